"""The program's S3 access points as the records rule reads them (residency/records_network.py).

An access point's ARN is ``arn:aws:s3:<region>:<account>:accesspoint/<name>``: its own ``arn`` once it exists,
before that (at preview) from its region, its ``accountId`` (or its provider's one account) and its name, as the
enclave builds the ARN its bucket policy names. Its network origin is VPC when ``vpcConfiguration.vpcId`` is
set: a known id, or at preview an unknown whose every dependency is a VPC of this program (the value is that
VPC's id, the only thing a VPC resource computes that a vpcId takes). An unknown with any other dependency, or
none, cannot be resolved (origin None: the rule is UNKNOWN). No ``vpcConfiguration``: Internet origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.pulumi.program import ProgramResource
from adapters.pulumi.provider_account import provider_account
from adapters.pulumi.resources import UnknownValueError, get_path, text
from residency.records_network import INTERNET_ORIGIN, VPC_ORIGIN, AccessPoint

ACCESS_POINT = "aws:s3/accessPoint:AccessPoint"
VPC = "aws:ec2/vpc:Vpc"


def _known(props: Mapping[str, Any], *path: str) -> Any:
    """The value at ``path``, or None when it is absent or unknown during preview."""
    try:
        return get_path(props, *path)
    except UnknownValueError:
        return None


def _arn(r: ProgramResource) -> str | None:
    props, region = r.view.props, r.view.region
    arn = text(_known(props, "arn"))
    if arn:
        return arn
    name = text(_known(props, "name"))
    account = text(_known(props, "accountId")) or provider_account(r.view.provider_props)
    return f"arn:aws:s3:{region}:{account}:accesspoint/{name}" if name and account and region else None


def _origin(r: ProgramResource, by_urn: Mapping[str, ProgramResource]) -> tuple[str | None, str | None]:
    """(network origin, VPC) of the access point; (None, None) when it cannot be read."""
    try:
        config = get_path(r.view.props, "vpcConfiguration")
        vpc = get_path(r.view.props, "vpcConfiguration", "vpcId")
    except UnknownValueError:
        deps = r.property_dependencies.get("vpcConfiguration", ())
        vpcs = [by_urn[u] for u in deps if u in by_urn and by_urn[u].view.type == VPC]
        if deps and len(vpcs) == len(deps):
            return VPC_ORIGIN, ", ".join(f"the program's VPC {v.view.name}" for v in vpcs)
        return None, None
    if config is None:
        return INTERNET_ORIGIN, None
    return (VPC_ORIGIN, vpc) if text(vpc) else (None, None)


def _bucket(r: ProgramResource, bucket: ProgramResource, bucket_name: str | None) -> str | None:
    """The name of the bucket the access point serves: its ``bucket`` input, or at preview, when that is unknown
    and depends on the records bucket alone, that bucket's name. None when it cannot be read."""
    named = _known(r.view.props, "bucket")
    if text(named):
        return str(named)
    deps = r.property_dependencies.get("bucket", ())
    return bucket_name if deps and set(deps) == {bucket.view.urn} else None


def program_access_points(
    resources: Sequence[ProgramResource], bucket: ProgramResource, bucket_name: str | None
) -> dict[str, AccessPoint | None]:
    """Every access point of the program by ARN (those whose ARN cannot be formed are left out: a policy that
    names one then fails, as it names nothing the program shows)."""
    by_urn = {r.view.urn: r for r in resources}
    found: dict[str, AccessPoint | None] = {}
    for r in resources:
        if r.view.type != ACCESS_POINT or (arn := _arn(r)) is None:
            continue
        origin, vpc = _origin(r, by_urn)
        found[arn] = AccessPoint(arn, _bucket(r, bucket, bucket_name), origin, vpc)
    return found
