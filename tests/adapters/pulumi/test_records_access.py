"""The records bucket's access points as the pack reads them (adapters/pulumi/records_access.py, through
aws_identity's ``records-source-vpce`` fact): a policy that requires s3:DataAccessPointArn passes only when every
access point it names is, in the program, on that bucket with a VPC network origin; at preview a VPC id that is
unknown resolves only through the program's VPC."""

from __future__ import annotations

import json
from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from adapters.pulumi.aws_identity import identity_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from residency.model import ControlState
from tests.residency_pack.direct import wrap

ACCOUNT = "111122223333"
AP_NAME = "enclave-eu-records"
AP_ARN = f"arn:aws:s3:eu-west-1:{ACCOUNT}:accesspoint/{AP_NAME}"
BUCKET, ACCESS_POINT, POLICY = (
    "aws:s3/bucket:Bucket",
    "aws:s3/accessPoint:AccessPoint",
    "aws:s3/bucketPolicy:BucketPolicy",
)
VPC, SUBNET = "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet"
PROVIDER = {"region": "eu-west-1", "allowedAccountIds": json.dumps([ACCOUNT])}


def _urn(type_: str, name: str) -> str:
    return f"urn:pulumi:eu::enclave::{type_}::{name}"


def _r(type_: str, name: str, props: dict[str, Any], deps: dict[str, tuple[str, str]] | None = None) -> ProgramResource:
    view = ResourceView(_urn(type_, name), type_, name, wrap(props), "eu-west-1", provider_props=PROVIDER)
    links = {k: (_urn(*target),) for k, target in (deps or {}).items()}
    return ProgramResource(view, property_dependencies=links)


def _through(*arns: str) -> str:
    deny = {
        "Sid": "DenyObjectAccessOutsideEnclaveNetwork",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:ListBucket*"],
        "Resource": ["arn:aws:s3:::records", "arn:aws:s3:::records/*"],
        "Condition": {"StringNotEquals": {"s3:DataAccessPointArn": list(arns)}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [deny]})


def _records(policy: str, *access_points: ProgramResource) -> list[ProgramResource]:
    return [
        _r(BUCKET, "records", {"bucket": "records", "tags": {"enclave-data": "records"}}),
        _r(POLICY, "records-policy", {"bucket": "records", "policy": policy}, {"bucket": (BUCKET, "records")}),
        _r(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}),
        _r(SUBNET, "subnet", {"cidrBlock": "10.0.0.0/24"}),
        *access_points,
    ]


def _ap(
    vpc: Any = "vpc-0123", bucket: str = "records", name: str = AP_NAME, deps: dict[str, tuple[str, str]] | None = None
) -> ProgramResource:
    props: dict[str, Any] = {"bucket": bucket, "name": name, "accountId": ACCOUNT}
    if vpc is not None:
        props["vpcConfiguration"] = {"vpcId": vpc}
    return _r(ACCESS_POINT, f"ap-{name}", props, deps)


def _verdict(program: list[ProgramResource]) -> tuple[bool | None, str]:
    [fact] = [f for f in identity_facts(program) if isinstance(f, ControlState) and f.control == "records-source-vpce"]
    return fact.satisfied, fact.detail


def test_an_access_point_on_the_bucket_with_a_vpc_origin_passes() -> None:
    assert _verdict(_records(_through(AP_ARN), _ap())) == (
        True,
        "objects only through access points with a VPC network origin (vpc-0123)",
    )


def test_at_preview_a_vpc_id_unknown_from_the_programs_vpc_passes() -> None:
    """The bucket's id and the VPC's id are unknown until they exist; the engine says what each depends on."""
    deps = {"vpcConfiguration": (VPC, "vpc"), "bucket": (BUCKET, "records")}
    ap = _ap(UNKNOWN_STRING_VALUE, UNKNOWN_STRING_VALUE, deps=deps)
    assert _verdict(_records(_through(AP_ARN), ap)) == (
        True,
        "objects only through access points with a VPC network origin (the program's VPC vpc)",
    )


def test_at_preview_a_vpc_id_that_the_program_cannot_resolve_is_unknown() -> None:
    for deps in ({"vpcConfiguration": (SUBNET, "subnet")}, None):  # another type; no dependency at all
        ap = _ap(UNKNOWN_STRING_VALUE, deps=deps)
        satisfied, detail = _verdict(_records(_through(AP_ARN), ap))
        assert satisfied is None and detail == f"cannot read the bucket or network origin of access point {AP_ARN}"


def test_an_internet_origin_another_bucket_an_absent_or_a_wildcard_access_point_fails() -> None:
    internet = _verdict(_records(_through(AP_ARN), _ap(vpc=None)))
    assert internet == (False, f"access point {AP_ARN} has network origin Internet: reachable from outside a VPC")
    elsewhere = _verdict(_records(_through(AP_ARN), _ap(bucket="other")))
    assert elsewhere == (False, f"access point {AP_ARN} serves bucket other, not records")
    absent = _verdict(_records(_through(AP_ARN), _ap(name="another")))
    assert absent == (
        False,
        f"the policy names access point {AP_ARN}, which is not an access point of this program or account",
    )
    wildcard = _verdict(_records(_through(f"arn:aws:s3:eu-west-1:{ACCOUNT}:accesspoint/*"), _ap()))
    assert wildcard[0] is False and "no statement denies object access outside" in wildcard[1]


def test_the_access_points_own_arn_is_used_once_it_exists() -> None:
    """After deployment the access point's ``arn`` output is known: the ARN is read, not formed."""
    ap = _ap(name="enclave-eu-records")
    props = {"bucket": "records", "arn": AP_ARN, "vpcConfiguration": {"vpcId": "vpc-0123"}}
    deployed = ProgramResource(ResourceView(ap.view.urn, ACCESS_POINT, ap.view.name, wrap(props), "eu-west-1"))
    assert _verdict(_records(_through(AP_ARN), deployed))[0] is True
