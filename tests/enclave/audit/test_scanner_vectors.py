"""Redshift snapshot copy, S3 Multi-Region Access Points, CloudFront and Config aggregators against the
moto server: the seeded violations are found exactly, in-jurisdiction flows pass."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.moto_world import audit, outcomes

SERVICES = ("redshift", "mrap", "cloudfront", "config")


@pytest.fixture(scope="module")
def report(world: Any) -> Any:
    return audit(world, SERVICES)


def test_seeded_violations_are_found_exactly(world: Any, report: Any) -> None:
    ids = world.ids
    assert outcomes(report, "ERROR") == set()
    assert outcomes(report, "FAIL") == {
        ("transfer-redshift-snapshot-copy", ids["redshift-copying-to-virginia"], "us-east-1"),
        ("residency-location", ids["stray-redshift-virginia"], "us-east-1"),
        ("transfer-s3-multi-region-access-point", ids["mrap-with-virginia"], "us-east-1"),
        ("transfer-cloudfront", ids["enclave-cdn"], None),
        ("transfer-config-aggregator", ids["aggregator-in-virginia"], "us-east-1"),
        ("residency-location", ids["aggregator-in-virginia"], "us-east-1"),
    }


def test_in_jurisdiction_flows_pass(world: Any, report: Any) -> None:
    ids = world.ids
    passed = outcomes(report, "PASS")
    assert {
        ("residency-location", ids["good-redshift"], "eu-west-1"),
        ("key-custody", ids["good-redshift"], "eu-west-1"),
        ("transfer-redshift-snapshot-copy", ids["good-redshift"], "eu-central-1"),
        ("residency-location", ids["redshift-copying-to-virginia"], "eu-central-1"),
        ("transfer-s3-multi-region-access-point", ids["good-mrap"], "eu-west-1"),
        ("transfer-s3-multi-region-access-point", ids["good-mrap"], "eu-central-1"),
        ("transfer-s3-multi-region-access-point", ids["mrap-with-virginia"], "eu-west-1"),
        # An aggregator inside the jurisdiction pulls data in, from every region: allowed.
        ("transfer-config-aggregator", ids["good-aggregator"], "eu-west-1"),
        ("residency-location", ids["good-aggregator"], "eu-west-1"),
    } <= passed
    good = {ids["good-redshift"], ids["good-mrap"], ids["good-aggregator"]}
    assert [f for f in report.findings if f.resource in good and f.status != "PASS"] == []


def _message(report: Any, rule: str, resource: str) -> str:
    [finding] = [f for f in report.findings if f.rule == rule and f.resource == resource and f.status == "FAIL"]
    return str(finding.message)


def test_messages_name_the_flow(world: Any, report: Any) -> None:
    ids = world.ids
    assert _message(report, "transfer-cloudfront", ids["enclave-cdn"]) == (
        "cloudfront to CloudFront edge caches of origin good-bucket-dublin.s3.eu-west-1.amazonaws.com "
        "(worldwide edge locations) has no transfer assessment; record one or remove the transfer"
    )
    assert _message(report, "transfer-config-aggregator", ids["aggregator-in-virginia"]).startswith(
        "config-aggregator to Config aggregator aggregator-in-virginia (collects from eu-west-1) in us-east-1, "
        "outside European Union"
    )
    assert _message(report, "transfer-s3-multi-region-access-point", ids["mrap-with-virginia"]).startswith(
        "s3-multi-region-access-point to bucket replica-bucket-virginia in us-east-1, outside European Union"
    )


def test_global_services_are_listed_once_from_their_control_plane_region(world: Any) -> None:
    from tests.moto_world import make_session

    session = make_session()
    made: list[tuple[str, str]] = []
    calls: list[tuple[str, str]] = []
    real_client = session.client

    def client(service: str, **kwargs: Any) -> Any:
        made.append((service, kwargs["region_name"]))
        return real_client(service, **kwargs)

    session.client = client
    session.events.register(
        "before-call.*.*", lambda model, **_: calls.append((model.service_model.service_name, model.name))
    )
    audit(world, ("cloudfront", "mrap"), session=session)
    # Four regions are audited, but each global list call is made once, in its control plane's region.
    assert sorted(c for c in calls if c[1].startswith("List")) == [
        ("cloudfront", "ListDistributions"),
        ("s3control", "ListMultiRegionAccessPoints"),
    ]
    assert {m for m in made if m[0] in ("cloudfront", "s3control")} == {
        ("cloudfront", "us-east-1"),
        ("s3control", "us-west-2"),
    }


def test_a_distribution_covered_by_a_worldwide_assessment_passes(world: Any) -> None:
    from residency.assessments import parse_registry
    from residency.jurisdictions import default_catalogue

    record = {
        "id": "TA-CDN-1",
        "source": "eu",
        "destination": {"worldwide": True},
        "vectors": ["cloudfront"],
        "resources": [world.ids["enclave-cdn"]],
        "data_categories": ["public product images"],
        "purpose": "content delivery",
        "legal_mechanism": "eu-us-data-privacy-framework",
        "supplementary_measures": ["only public, non-personal objects behind the distribution"],
        "residual_risk": "low",
        "approver": "DPO",
        "approved_on": date(2026, 1, 1),
        "review_by": date(2099, 1, 1),
    }
    report = audit(world, ("cloudfront",), assessments=parse_registry([record], default_catalogue()))
    [finding] = [f for f in report.findings if f.resource == world.ids["enclave-cdn"]]
    assert (finding.rule, finding.status, finding.assessment) == ("transfer-cloudfront", "PASS", "TA-CDN-1")
