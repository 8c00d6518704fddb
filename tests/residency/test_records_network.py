"""Whether the records bucket serves objects only through the enclave's network (residency/records_network.py):
the aws:SourceVpce form, and the s3:DataAccessPointArn form with the access points it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from residency.records_network import AccessPoint, Verdict, access_point_arns, records_network

RECORDS = ["arn:aws:s3:::records", "arn:aws:s3:::records/*"]
OBJECTS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"]
BREAK_GLASS = "arn:aws:iam::111122223333:role/enclave-eu-break-glass"
AP = "arn:aws:s3:eu-west-1:111122223333:accesspoint/enclave-eu-records"
OTHER_AP = "arn:aws:s3:eu-west-1:111122223333:accesspoint/other"
IN_VPC = AccessPoint(AP, "records", "VPC", "vpc-0123")


def _doc(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _outside_network(
    condition: Mapping[str, Any], actions: list[str] = OBJECTS, principal: Any = "*"
) -> dict[str, Any]:
    return {"Effect": "Deny", "Principal": principal, "Action": actions, "Resource": RECORDS, "Condition": condition}


VPCE = {"StringNotEquals": {"aws:SourceVpce": ["vpce-0123456789abcdef0"]}}
THROUGH_AP = {"StringNotEquals": {"s3:DataAccessPointArn": [AP]}, "ArnNotEquals": {"aws:PrincipalArn": [BREAK_GLASS]}}


def _verdict(document: dict[str, Any] | None, points: Mapping[str, AccessPoint | None] | None = None) -> Verdict:
    return records_network(document, "records", {AP: IN_VPC} if points is None else points)


def test_source_vpce_as_the_enclave_built_it_passes() -> None:
    exempt = {**VPCE, "ArnNotEquals": {"aws:PrincipalArn": [BREAK_GLASS]}}
    assert _verdict(_doc(_outside_network(exempt))).satisfied is True
    assert _verdict(_doc(_outside_network(VPCE, ["s3:*"], {"AWS": "*"}))).satisfied is True


@pytest.mark.parametrize(
    "document",
    [
        None,  # no policy at all
        _doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": RECORDS}),
        _doc(_outside_network(VPCE, ["s3:GetObject*"])),  # writes left open
        _doc(_outside_network({"StringNotEquals": {"aws:SourceVpce": ["vpce-*"]}})),  # any endpoint, anyone's
        _doc(_outside_network({**VPCE, "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}})),  # exempts all
        _doc(_outside_network({**VPCE, "StringEquals": {"aws:RequestedRegion": "eu-west-1"}})),  # narrowed
        _doc(_outside_network(VPCE, principal={"AWS": "arn:aws:iam::111122223333:role/x"})),  # one principal only
        # Two network keys ANDed: a request through either one passes; not this rule's form.
        _doc(_outside_network({**VPCE, "StringNotEquals": {**VPCE["StringNotEquals"], "s3:DataAccessPointArn": [AP]}})),
    ],
)
def test_policies_that_leave_a_way_in_from_outside_fail(document: dict[str, Any] | None) -> None:
    assert _verdict(document).satisfied is False


def test_an_access_point_with_a_vpc_origin_on_the_bucket_passes() -> None:
    verdict = _verdict(_doc(_outside_network(THROUGH_AP)))
    assert verdict == Verdict(True, "objects only through access points with a VPC network origin (vpc-0123)")
    assert access_point_arns(_doc(_outside_network(THROUGH_AP))) == [AP]


@pytest.mark.parametrize(
    ("points", "detail"),
    [
        ({}, f"the policy names access point {AP}, which is not an access point of this program or account"),
        (
            {OTHER_AP: IN_VPC},
            f"the policy names access point {AP}, which is not an access point of this program or account",
        ),
        (
            {AP: AccessPoint(AP, "records", "Internet")},
            f"access point {AP} has network origin Internet: reachable from outside a VPC",
        ),
        (
            {AP: AccessPoint(AP, "other-bucket", "VPC", "vpc-0123")},
            f"access point {AP} serves bucket other-bucket, not records",
        ),
    ],
)
def test_an_access_point_absent_internet_or_on_another_bucket_fails(
    points: dict[str, AccessPoint | None], detail: str
) -> None:
    assert _verdict(_doc(_outside_network(THROUGH_AP)), points) == Verdict(False, detail)


@pytest.mark.parametrize(
    "point", [None, AccessPoint(AP, "records", None), AccessPoint(AP, None, "VPC", "the program's VPC v")]
)
def test_an_access_point_that_cannot_be_read_is_unknown(point: AccessPoint | None) -> None:
    verdict = _verdict(_doc(_outside_network(THROUGH_AP)), {AP: point})
    assert verdict == Verdict(None, f"cannot read the bucket or network origin of access point {AP}")


def test_a_wildcard_access_point_arn_is_not_the_form() -> None:
    wildcard = {"StringNotEquals": {"s3:DataAccessPointArn": ["arn:aws:s3:eu-west-1:111122223333:accesspoint/*"]}}
    assert _verdict(_doc(_outside_network(wildcard))).satisfied is False
    assert access_point_arns(_doc(_outside_network(wildcard))) == []


def test_every_access_point_named_must_qualify() -> None:
    two = {"StringNotEquals": {"s3:DataAccessPointArn": [AP, OTHER_AP]}}
    internet = AccessPoint(OTHER_AP, "records", "Internet")
    assert _verdict(_doc(_outside_network(two)), {AP: IN_VPC, OTHER_AP: internet}).satisfied is False
    both = {AP: IN_VPC, OTHER_AP: AccessPoint(OTHER_AP, "records", "VPC", "vpc-0456")}
    assert _verdict(_doc(_outside_network(two)), both).satisfied is True


def test_one_qualifying_statement_is_enough_and_unknown_wins_over_fail() -> None:
    bad = {"StringNotEquals": {"s3:DataAccessPointArn": [OTHER_AP]}}
    assert _verdict(_doc(_outside_network(bad), _outside_network(THROUGH_AP))).satisfied is True
    unreadable = {AP: None}
    assert _verdict(_doc(_outside_network(bad), _outside_network(THROUGH_AP)), unreadable).satisfied is None


def test_without_the_bucket_name_the_access_point_cannot_be_shown_to_serve_it() -> None:
    assert records_network(_doc(_outside_network(THROUGH_AP)), None, {AP: IN_VPC}).satisfied is None
