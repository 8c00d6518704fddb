"""Facts that only the whole program shows (stack scope).

- S3 replication and Multi-Region Access Points name buckets by ARN or name, and S3 ARNs carry no region:
  a destination bucket declared in the program is resolved to its effective region; any other bucket is
  external and cannot be proven in the jurisdiction (region None).
- In pulumi-aws v7, bucket encryption and public-access blocks are separate resources, and a VPC's flow
  log is a separate resource: a bucket or VPC that nothing configures is a failed control.

Resources are linked by property dependencies (``bucket`` of a BucketPublicAccessBlock depends on the
Bucket) or, when values are known, by equal names/ids. During preview a destination whose ARN is unknown
is still resolved through property dependencies; if it cannot be, the unknown-value error is re-raised
so the engine reports that the check will run at update.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from adapters.pulumi.aws_controls import pulumi_setting
from adapters.pulumi.aws_identity import identity_facts
from adapters.pulumi.controlled_interface import interface_facts
from adapters.pulumi.program import BUCKET_TYPES, SSE_CONFIG, ProgramResource, bucket_names, known
from adapters.pulumi.resources import (
    PROGRAM_EXTRACTORS,
    ProgramIndex,
    ResourceView,
    UnknownValueError,
    extractor,
    extractors_for,
    get_path,
    items,
    load_extractors,
    text,
)
from residency.arns import parse_arn
from residency.model import ControlState, Destination, Fact, Transfer, Vector
from residency.regions import account_from_arn
from residency.rule_ids import S3_ENCRYPTION_KMS, S3_PUBLIC_ACCESS_BLOCKED, VPC_FLOW_LOGS
from residency.s3_controls import public_access_settings_off

PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
KEY_TYPES = (
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
    "aws:kms/externalKey:ExternalKey",
)
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"


def build_index(resources: Sequence[ProgramResource]) -> ProgramIndex:
    buckets: dict[str, str | None] = {}
    for r in resources:
        if r.view.type in BUCKET_TYPES:
            for name in bucket_names(r.view):
                buckets[name] = r.view.region
            buckets[r.view.urn] = r.view.region
    keys = {r.view.urn: r.view.region for r in resources if r.view.type in KEY_TYPES}
    by_urn = {r.view.urn: r for r in resources}
    return ProgramIndex(bucket_regions=buckets, key_regions=keys, by_urn=by_urn)


def _by_urn(index: ProgramIndex) -> Mapping[str, ProgramResource]:
    return index.by_urn


def _dependency_buckets(resource: ProgramResource | None, prop: str, index: ProgramIndex) -> list[str]:
    """The program buckets ``prop`` depends on, or [] when it depends on anything else as well.

    An unknown destination may be any value computed from the dependencies: it is resolved to a program
    bucket only when every dependency of the property is one (an external bucket named by a config value
    or another resource's output could otherwise borrow a program bucket's region).
    """
    if resource is None:
        return []
    deps = resource.property_dependencies.get(prop, ())
    buckets = [u for u in deps if index.bucket_regions.get(u, "?") != "?"]
    return buckets if len(buckets) == len(deps) else []


def unreadable(what: str) -> Destination:
    """A destination the extractor cannot read: region None, so the transfer rules block on it."""
    return Destination(f"unreadable destination: {what}", None)


def _resolve_bucket(name_or_arn: str, account: str | None) -> tuple[str, str | None]:
    arn = parse_arn(name_or_arn)
    name = arn.resource if arn else name_or_arn
    return name, account or account_from_arn(name_or_arn)


def _replication_transfers(
    view: ResourceView, index: ProgramIndex, rules: object, deps_prop: str, account_key: str
) -> Iterator[Fact]:
    me = _by_urn(index).get(view.urn)
    for rule in items(rules):
        account = text(known(rule, "destination", account_key))
        try:
            arn = text(get_path(rule, "destination", "bucket"))
        except UnknownValueError:
            # Unknown during preview: the destination may still be a bucket this program declares.
            deps = _dependency_buckets(me, deps_prop, index)
            regions = {index.bucket_regions[u] for u in deps}
            if len(regions) != 1:
                raise
            region = regions.pop()
            dest = Destination(f"bucket {deps[0].rsplit('::', 1)[-1]} in {region}", region, account)
            yield Transfer(Vector.S3_REPLICATION, view.urn, view.type, view.region, dest)
            continue
        if arn is None:
            dest = unreadable("replication rule without a destination bucket")
            yield Transfer(Vector.S3_REPLICATION, view.urn, view.type, view.region, dest)
            continue
        name, account = _resolve_bucket(arn, account)
        if name in index.bucket_regions:
            region = index.bucket_regions[name]
            dest = Destination(f"bucket {name} in {region}", region, account)
        else:
            dest = Destination(f"bucket {name} (not declared in this program)", None, account)
        yield Transfer(Vector.S3_REPLICATION, view.urn, view.type, view.region, dest)


@extractor("aws:s3/bucketReplicationConfig:BucketReplicationConfig", needs_program=True)
def s3_replication(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    assert index is not None
    yield from _replication_transfers(view, index, view.props.get("rules"), "rules", "account")


@extractor(*BUCKET_TYPES, needs_program=True)
def s3_inline_replication(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    # The deprecated inline block on the bucket replicates just the same.
    assert index is not None
    rules = get_path(view.props, "replicationConfiguration", "rules")
    yield from _replication_transfers(view, index, rules, "replicationConfiguration", "accountId")


@extractor("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", needs_program=True)
def s3_multi_region_access_point(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    assert index is not None
    for entry in items(get_path(view.props, "details", "regions")):
        bucket = text(get_path(entry, "bucket"))
        if bucket is None:
            dest = unreadable("multi-Region access point region without a bucket")
            yield Transfer(Vector.S3_MULTI_REGION_ACCESS_POINT, view.urn, view.type, None, dest)
            continue
        name, account = _resolve_bucket(bucket, text(get_path(entry, "bucketAccountId")))
        region = index.bucket_regions.get(name)
        what = f"bucket {name} in {region}" if region else f"bucket {name} (not declared in this program)"
        yield Transfer(
            Vector.S3_MULTI_REGION_ACCESS_POINT, view.urn, view.type, None, Destination(what, region, account)
        )


def _targets(config: ProgramResource, target: ProgramResource, prop: str, target_names: list[str]) -> bool:
    if target.view.urn in config.property_dependencies.get(prop, ()):
        return True
    value = text(known(config.view.props, prop))
    return value is not None and value in target_names


def _control_presence(
    resources: Sequence[ProgramResource], target_types: tuple[str, ...], config_type: str, prop: str, control: str
) -> Iterator[ControlState]:
    """One ControlState per target: satisfied when some ``config_type`` resource targets it through ``prop``."""
    configs = [r for r in resources if r.view.type == config_type]
    kind = config_type.rsplit(":", 1)[-1]
    # Indexed once, so the cost is linear in the program (a scan of every config per target was quadratic).
    # A config whose ``prop`` cannot be read here (unknown in preview) keeps the per-target check, unchanged.
    by_dependency: dict[str, list[int]] = {}
    by_value: dict[str, list[int]] = {}
    unindexed: list[int] = []
    for i, c in enumerate(configs):
        for urn in c.property_dependencies.get(prop, ()):
            by_dependency.setdefault(urn, []).append(i)
        try:
            value = text(known(c.view.props, prop))
        except Exception:
            unindexed.append(i)
            continue
        if value is not None:
            by_value.setdefault(value, []).append(i)
    for target in resources:
        if target.view.type not in target_types:
            continue
        if config_type == SSE_CONFIG and _has_inline_encryption(target.view):
            continue  # judged from the bucket's own inline block (adapters.pulumi.aws_controls)
        names = bucket_names(target.view) if target.view.type in BUCKET_TYPES else _ids(target.view)
        hits = set(by_dependency.get(target.view.urn, ()))
        for name in names:
            hits.update(by_value.get(name, ()))
        hits.update(i for i in unindexed if i not in hits and _targets(configs[i], target, prop, names))
        covering = [configs[i] for i in sorted(hits)]
        detail = f"{kind} {covering[0].view.name} targets it" if covering else f"no {kind} in the program targets it"
        yield ControlState(control, target.view.urn, target.view.type, target.view.region, bool(covering), detail)


def _has_inline_encryption(view: ResourceView) -> bool:
    # The same test as aws_controls.encryption_states (a present but null block is no block). An unknown
    # block is judged by preview_keys, which resolves or reports the unknown.
    try:
        return view.props.get("serverSideEncryptionConfiguration") is not None
    except UnknownValueError:
        return True


def _ids(view: ResourceView) -> list[str]:
    value = text(known(view.props, "id"))
    return [value] if value else []


def _account_blocks_public_access(resources: Sequence[ProgramResource]) -> bool:
    def all_on(block: ResourceView) -> bool:
        # Lazily: the first setting that is off decides, before any later (perhaps unknown) one is read.
        return next(public_access_settings_off(lambda s: known(block.props, pulumi_setting(s))), None) is None

    return any(r.view.type == ACCOUNT_PUBLIC_ACCESS_BLOCK and all_on(r.view) for r in resources)


@extractor(FLOW_LOG, needs_program=True)
def flow_log_traffic(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """A VPC's flow log that records less than ALL traffic fails vpc-flow-logs (an unknown traffic type is
    read, so it raises and is reported, never taken for ALL)."""
    if _has_input(view.props, "vpcId"):
        traffic = text(get_path(view.props, "trafficType"))
        if traffic not in (None, "ALL"):
            detail = f"trafficType is {traffic}, not ALL"
            yield ControlState(VPC_FLOW_LOGS, view.urn, view.type, view.region, False, detail)


def _has_input(props: Mapping[str, Any], key: str) -> bool:
    """Whether ``key`` is set, known or not: ``key in props`` reads the value, which raises when unknown."""
    try:
        return key in props
    except UnknownValueError:
        return True


def program_facts(
    resources: Sequence[ProgramResource], unknowns: list[tuple[str, UnknownValueError]] | None = None
) -> list[Fact]:
    """The facts only the whole program shows. Per-resource facts come from ``facts_for``.

    With ``unknowns``, an extractor that meets a value unknown during preview adds (URN, error) there and
    the other extractors still run; without it, the error propagates.
    """
    load_extractors()
    index = build_index(resources)
    facts: list[Fact] = []
    for r in resources:
        for fn in extractors_for(r.view.type, PROGRAM_EXTRACTORS):
            try:
                facts.extend(list(fn(r.view, index)))  # all of an extractor's facts or none of them
            except UnknownValueError as err:
                if unknowns is None:
                    raise
                unknowns.append((r.view.urn, err))

    def presence() -> Iterator[Fact]:
        yield from _control_presence(resources, BUCKET_TYPES, SSE_CONFIG, "bucket", S3_ENCRYPTION_KMS)
        if not _account_blocks_public_access(resources):
            yield from _control_presence(
                resources, BUCKET_TYPES, PUBLIC_ACCESS_BLOCK, "bucket", S3_PUBLIC_ACCESS_BLOCKED
            )
        yield from _control_presence(resources, (VPC,), FLOW_LOG, "vpcId", VPC_FLOW_LOGS)

    # Whole-program steps, the controls' presence, the controlled interface (test-data pipeline, guard,
    # single writer) and the identity guards: an unknown they meet is collected like an extractor's, never left to the engine.
    for step in (presence, lambda: interface_facts(resources), lambda: identity_facts(resources)):
        try:
            facts.extend(list(step()))
        except UnknownValueError as err:
            if unknowns is None:
                raise
            unknowns.append(("", err))
    return facts
