"""The effective region of a pulumi-aws v7 resource, and what the location rule makes of it."""

from __future__ import annotations

from adapters.pulumi.resources import ResourceView, effective_region, facts_for
from residency.jurisdictions import default_catalogue
from residency.model import Placement, Status
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
