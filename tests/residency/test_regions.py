"""Regions: the effective region of a pulumi-aws v7 resource (and what the location rule makes of it), zone
names, and the region and account an ARN names."""

from __future__ import annotations

import pytest

from adapters.pulumi.resources import ResourceView, facts_for
from residency.jurisdictions import default_catalogue
from residency.model import Placement, Status
from residency.regions import (
    account_from_arn,
    effective_region,
    is_availability_zone_of,
    region_from_arn,
    region_of,
    zone_region,
)
from residency.rules import Context, evaluate

EXPLICIT_WITHOUT_REGION = {"allowedAccountIds": '["111111111101"]'}


def test_own_region_wins() -> None:
    assert effective_region({"region": "us-east-1"}, {"region": "eu-west-1"}, "eu-west-1") == "us-east-1"


def test_explicit_provider_region_beats_the_stack() -> None:
    assert effective_region({}, {"region": "eu-central-1"}, "eu-west-1") == "eu-central-1"


def test_default_provider_takes_the_stack_region() -> None:
    assert effective_region({}, None, "eu-west-1") == "eu-west-1"


def test_explicit_provider_without_region_never_borrows_the_stack_region() -> None:
    # Such a provider takes the deployer's AWS_REGION/profile, not the stack's aws:region.
    assert effective_region({}, EXPLICIT_WITHOUT_REGION, "eu-west-1") is None


def test_a_resource_on_it_cannot_be_verified() -> None:
    region = effective_region({}, EXPLICIT_WITHOUT_REGION, "eu-west-1")
    view = ResourceView("urn:pulumi:s::p::aws:s3/bucket:Bucket::b", "aws:s3/bucket:Bucket", "b", {}, region)
    placements = [f for f in facts_for(view) if isinstance(f, Placement)]
    catalogue = default_catalogue()
    [finding] = evaluate(placements, Context(jurisdiction=catalogue.get("eu"), catalogue=catalogue))
    assert finding.status is Status.UNKNOWN and finding.blocking


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("eu-west-1a", "eu-west-1"),
        ("us-west-2-lax-1a", "us-west-2"),
        ("ap-southeast-2c", "ap-southeast-2"),
        ("euw1-az1", None),
        ("eu-west-1", None),
    ],
)
def test_zone_region(zone: str, region: str | None) -> None:
    assert zone_region(zone) == region


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("eu-west-1a", True),
        ("eu-west-1d", True),
        ("eu-west-11", False),  # not a letter
        ("eu-west-1A", False),
        ("us-west-2-lax-1a", False),  # a Local Zone: another city, never an enclave subnet's zone
        ("eu-west-2a", False),
        ("eu-west-1", False),
    ],
)
def test_availability_zones_of_a_region(zone: str, expected: bool) -> None:
    assert is_availability_zone_of(zone, "eu-west-1") is expected


@pytest.mark.parametrize(
    ("reference", "region", "account"),
    [
        ("arn:aws:kms:eu-west-1:111122223333:key/abc", "eu-west-1", "111122223333"),
        ("arn:aws:s3:::bucket", None, None),  # S3 ARNs carry neither
        ("alias/data", None, None),
        ("arn:aws:kms", None, None),  # malformed: nothing known
    ],
)
def test_arn_region_and_account(reference: str, region: str | None, account: str | None) -> None:
    assert region_from_arn(reference) == region
    assert account_from_arn(reference) == account


def test_a_bare_reference_resolves_in_the_callers_region_and_an_arn_in_its_own() -> None:
    assert region_of("alias/data", "eu-west-1") == "eu-west-1"
    assert region_of("arn:aws:kms:us-east-1:111122223333:key/abc", "eu-west-1") == "us-east-1"
    assert region_of("arn:aws:s3:::bucket", "eu-west-1") is None
