"""From a resource's type entry and its candidate destinations to the transfers the rules judge.

Both the pack (Pulumi inputs) and the live auditor (boto3 descriptions) call ``data_path_transfers`` with
a type entry (``residency.resource_types``) and the values to search; the same rule
(``transfer-data-path``) judges what comes out. Direction comes from the catalogue: a candidate under an
``in`` property is where data comes *from* and makes no transfer (the copy lands where the resource is,
which residency-location judges). Properties a dedicated vector rule reads (S3 replication, snapshot
copies, ...) are left to that rule, so a path is judged once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from residency.destinations import Candidate, Kind, discover
from residency.model import DATA_PATH_VECTORS, Destination, Transfer, Vector
from residency.resource_types import Direction, TypeEntry

# Judged by stack-level analysis, which knows the program's buckets (S3 is one global namespace).
PROGRAM_KINDS = frozenset({Kind.BUCKET})


# Dedicated vectors about whom the resource shares with: the principals of such an entry are the share its
# rule judges (transfer-ebs-snapshot-share, transfer-config-aggregator).
_SHARING_VECTORS = frozenset({Vector.EBS_SNAPSHOT_SHARE, Vector.CONFIG_AGGREGATOR})


def candidates_of(entry: TypeEntry, props: Mapping[str, Any]) -> Iterator[Candidate]:
    """The outbound candidates of one resource: inbound ones and those a dedicated rule judges are dropped."""
    dedicated = entry.vector is not None and entry.vector not in DATA_PATH_VECTORS
    for found in discover(props, entry.holds_principals):
        if dedicated and _read_by_dedicated_rule(entry, found.path):
            continue
        if entry.names_bucket(found.path) and found.kind != Kind.BUCKET:
            found = Candidate(found.path, found.value, Kind.BUCKET, host=found.value, principal=found.principal)
        if entry.direction_of(found.path) == Direction.IN and not found.principal:
            continue
        yield found
    yield from bucket_names(entry, props)


def _read_by_dedicated_rule(entry: TypeEntry, path: tuple[str | int, ...]) -> bool:
    """Whether the entry's dedicated rule reads ``path``: its ``out`` and ``in`` properties, and the principals
    of a share. Anything else it names (a bucket's inline policy, ACL and log target; a secret's policy) is
    searched like every other input, or it would be judged by no rule."""
    if entry.direction_of(path) is not None:
        return True
    return entry.vector in _SHARING_VECTORS and entry.holds_principals(path)


def naming_others(candidates: Iterable[Candidate], identity: Collection[str]) -> Iterator[Candidate]:
    """The candidates that name something other than the resource itself.

    ``identity`` is what the resource is known by (a bucket's own name, ARN and id). Seen in the state a
    stack policy reads, a bucket's own ``arn`` has the shape of a destination; but where the resource itself
    is, residency-location judges: it is never a place the resource sends data to. Only an exact match is
    left out: any other value (another bucket, however alike) is still judged.
    """
    for found in candidates:
        if found.value in identity or (found.kind == Kind.BUCKET and found.host in identity):
            continue
        yield found


def bucket_names(entry: TypeEntry, props: Mapping[str, Any]) -> Iterator[Candidate]:
    """Bucket names in ``buckets`` properties that are plain names (the discovery sees no shape in them)."""
    for pattern in entry.buckets:
        for path, value in _values_at(props, pattern.split(".")):
            if isinstance(value, str) and value and not value.startswith(("arn:", "s3://")):
                yield Candidate(path, value, Kind.BUCKET, host=value)


def _values_at(value: Any, steps: list[str], path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, Any]]:
    if not steps:
        yield path, value
        return
    head, rest = steps[0], steps[1:]
    if isinstance(value, Mapping):
        keys = list(value) if head == "*" else [head] if head in value else []
        for key in keys:
            yield from _values_at(value[key], rest, (*path, key))
    elif isinstance(value, list | tuple) and head == "*":
        for index, item in enumerate(value):
            yield from _values_at(item, rest, (*path, index))


def vector_for(entry: TypeEntry, found: Candidate) -> Vector:
    """The vector that labels a finding: the entry's own for its named properties, else a plain reference."""
    if entry.vector in DATA_PATH_VECTORS and (entry.named(found.path) or found.principal):
        return entry.vector
    if found.principal or found.kind == Kind.PUBLIC:
        return Vector.RESOURCE_POLICY
    return Vector.RESOURCE_REFERENCE


def destination_of(
    found: Candidate, resource_region: str | None, bucket_regions: Mapping[str, str | None]
) -> Destination:
    """What the candidate says about where data goes. Unreadable shapes keep region None (cannot be proven)."""
    what = f"{found.where} = {found.value}"
    if found.kind == Kind.PUBLIC:
        return Destination(f"{what} (anyone)", public=True)
    if found.kind == Kind.EXTERNAL_HOST:
        return Destination(f"{what} (host {found.host}, outside AWS)", host=found.host)
    if found.kind == Kind.BUCKET:
        bucket = found.host or found.value
        region = bucket_regions.get(bucket, bucket_regions.get(f"arn:aws:s3:::{bucket}"))
        where = f"in {region}" if region else "which the gate cannot place (not declared in this program)"
        return Destination(f"{what} (S3 bucket {bucket}, {where})", region=region, bucket=bucket)
    if found.kind == Kind.GEOGRAPHY and found.host == "global":
        return Destination(f"{what} (global inference profile: AWS routes requests to any commercial region)",
                           worldwide=True)  # fmt: skip
    if found.kind == Kind.GEOGRAPHY:
        # Covered only by an assessment naming the geography: destination = { provider = "bedrock:<geo>" }.
        return Destination(
            f"{what} (cross-region inference profile of AWS's {found.host!r} geography: AWS routes requests to "
            "regions of its choosing, which the gate cannot place)",
            provider=f"bedrock:{found.host}",
        )
    if found.kind == Kind.ORGANISATION:
        return Destination(f"{what} (every account of organisation {found.value})")
    if found.kind == Kind.OPAQUE:
        return Destination(f"{what} (not a destination the gate can read)")
    grantee = found.principal or found.kind == Kind.ACCOUNT
    if found.kind == Kind.ACCOUNT or (found.kind == Kind.ARN and found.region is None):
        return Destination(what, account=found.account, grantee=grantee, identity=found.identity)
    return Destination(what, region=found.region, account=found.account, grantee=grantee)


def data_path_transfers(
    resource: str,
    resource_type: str,
    region: str | None,
    entry: TypeEntry,
    candidates: Iterable[Candidate],
    bucket_regions: Mapping[str, str | None] | None = None,
    account: str | None = None,
) -> list[Transfer]:
    """One transfer per distinct destination (the first path that names it describes it). ``account`` is the
    account the resource is deployed into, when its provider names one."""
    seen: set[tuple[Any, ...]] = set()
    transfers: list[Transfer] = []
    for found in candidates:
        if (found.kind in PROGRAM_KINDS) != (bucket_regions is not None):
            continue  # bucket references are judged once, by stack-level analysis
        vector = vector_for(entry, found)
        dest = destination_of(found, region, bucket_regions or {})
        key = (
            vector,
            dest.region,
            dest.account,
            dest.host,
            dest.public,
            found.kind,
            found.value if dest.region is None and dest.account is None and dest.host is None else "",
        )
        if key in seen:
            continue
        seen.add(key)
        transfers.append(Transfer(vector, resource, resource_type, region, dest, account))
    return transfers
