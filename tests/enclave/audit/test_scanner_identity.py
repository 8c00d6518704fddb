"""The identity and perimeter checks of issue 10 on a live account (moto server mode): break-glass and OIDC trust,
the jurisdiction-tag deny of each role's boundary (IAM), and the network deny of the records bucket (S3:
aws:SourceVpce, or s3:DataAccessPointArn with the access points it names read with s3control GetAccessPoint),
in the second account of tests/enclave/audit/identity_seed.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.enclave.audit.identity_seed import identity_account
from tests.moto_world import World, audit, outcomes


@pytest.fixture(scope="module")
def account(moto_url: str) -> World:
    return identity_account(moto_url)


@pytest.fixture(scope="module")
def report(account: World) -> Any:
    return audit(account, ("iam", "s3"), regions=("eu-west-1",))


def _of(report: Any, rule: str, status: str) -> set[str]:
    return {resource for r, resource, _ in outcomes(report, status) if r == rule}


def test_nothing_is_left_unread(report: Any) -> None:
    unread = [f for f in report.findings if f.status in ("ERROR", "UNKNOWN") or "cannot be verified" in f.message]
    assert unread == []


def test_break_glass_needs_named_tagged_people_with_fresh_mfa(account: World, report: Any) -> None:
    ids = account.ids
    assert _of(report, "break-glass-trust", "PASS") == {ids["enclave-eu-break-glass"]}
    assert _of(report, "break-glass-trust", "FAIL") == {ids["enclave-eu-break-glass-legacy"]}
    [legacy] = [f for f in report.findings if f.rule == "break-glass-trust" and f.status == "FAIL"]
    for gap in ("sessions last up to 43200 s", "MFA sign-in at most 900 s old", "aws:PrincipalTag/jurisdiction = eu"):
        assert gap in legacy.message


def test_oidc_trust_is_pinned_to_one_environment(account: World, report: Any) -> None:
    assert _of(report, "oidc-trust-pinned", "FAIL") == {account.ids["ci-any-branch"]}
    assert account.ids["enclave-deploy"] in _of(report, "oidc-trust-pinned", "PASS")


def test_every_role_boundary_denies_the_jurisdiction_tag(account: World, report: Any) -> None:
    ids = account.ids
    assert _of(report, "jurisdiction-tag-guarded", "PASS") == {ids["enclave-eu-break-glass"], ids["enclave-deploy"]}
    assert _of(report, "jurisdiction-tag-guarded", "FAIL") == {
        ids["enclave-eu-break-glass-legacy"],
        ids["ci-any-branch"],
    }
    messages = {f.resource: f.message for f in report.findings if f.rule == "jurisdiction-tag-guarded"}
    assert "no permissions boundary" in messages[ids["ci-any-branch"]]
    assert "sts:TagSession" in messages[ids["enclave-eu-break-glass-legacy"]]


def test_the_records_bucket_requires_the_enclaves_endpoint_or_a_vpc_access_point(account: World, report: Any) -> None:
    ids = account.ids
    assert _of(report, "records-source-vpce", "PASS") == {ids["behind-endpoint"], ids["through-access-point"]}
    assert _of(report, "records-source-vpce", "FAIL") == {
        ids["open"],
        ids["internet-access-point"],
        ids["elsewhere-access-point"],
        ids["absent-access-point"],
    }
    messages = {f.resource: f.message for f in report.findings if f.rule == "records-source-vpce"}
    assert "VPC network origin (vpc-0123456789abcdef0)" in messages[ids["through-access-point"]]
    assert "has network origin Internet" in messages[ids["internet-access-point"]]
    assert "serves bucket enclave-eu-storage-testdata-identity" in messages[ids["elsewhere-access-point"]]
    assert "which is not an access point of this program or account" in messages[ids["absent-access-point"]]
    # Another bucket of the enclave (not the records bucket) is not judged by this rule.
    assert ids["other-data"] not in {f.resource for f in report.findings if f.rule == "records-source-vpce"}
