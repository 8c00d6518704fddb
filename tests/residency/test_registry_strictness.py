"""Registries fail closed: unknown keys, future approvals, account destinations without a place, bare
resource names, and transfer exemptions that name no covering assessment are all load errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from residency.assessments import AssessmentRegistry, load_registry, parse_registry
from residency.errors import RegistryError
from residency.exemptions import load_exemptions, parse_exemptions
from residency.jurisdictions import default_catalogue
from residency.model import Finding, Status
from residency.rules import RULE_VECTORS
from tests.residency.conftest import TODAY, assessment

CAT = default_catalogue()
URN = "urn:pulumi:eu-dublin::enclave::aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission::share"
SHARE = assessment(
    id="TRA-SHARE",
    destination={"account": "444455556666", "jurisdiction": "uk"},
    vectors=["ebs-snapshot-share"],
    resources=[URN],
)


def _exemption(**overrides: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": "EX-1",
        "rule": "transfer-ebs-snapshot-share",
        "resource": URN,
        "reason": "re-review of TRA-SHARE in progress",
        "owner": "dpo@example.com",
        "expires": "2026-12-31",
        "jurisdiction": "eu",
        "assessment": "TRA-SHARE",
    }
    raw.update(overrides)
    return {k: v for k, v in raw.items() if v is not None}


def _registry() -> AssessmentRegistry:
    return parse_registry([SHARE], CAT, TODAY)


def test_a_typo_in_an_assessment_key_is_an_error_not_a_wider_assessment() -> None:
    with pytest.raises(RegistryError, match=r"unknown key 'resource'; allowed: id, source"):
        parse_registry([assessment(resource=URN)], CAT, TODAY)


def test_a_typo_in_a_destination_key_is_named() -> None:
    with pytest.raises(RegistryError, match=r"destination: unknown key 'regoin'"):
        parse_registry([assessment(destination={"regoin": "eu-west-2"})], CAT, TODAY)


def test_a_typo_in_an_exemption_key_is_an_error() -> None:
    with pytest.raises(RegistryError, match=r"exemption 'EX-1': unknown key 'assesment'"):
        parse_exemptions([_exemption(assesment="TRA-SHARE", assessment=None)], RULE_VECTORS, _registry())


@pytest.mark.parametrize(
    ("file", "text", "loader"),
    [
        ("transfer-assessments.toml", '[[assesment]]\nid = "x"\n', "assessments"),
        ("exemptions.toml", '[[exemptions]]\nid = "x"\n', "exemptions"),
    ],
)
def test_a_misspelt_table_is_an_error_not_an_empty_registry(tmp_path: Path, file: str, text: str, loader: str) -> None:
    path = tmp_path / file
    path.write_text(text)
    with pytest.raises(RegistryError, match="unknown top-level key"):
        if loader == "assessments":
            load_registry(path, CAT, TODAY)
        else:
            load_exemptions(path, RULE_VECTORS, AssessmentRegistry())


def test_an_approval_dated_in_the_future_is_rejected_and_today_is_accepted() -> None:
    with pytest.raises(RegistryError, match=r"approved_on: 2026-12-01 is in the future \(today is 2026-11-30\)"):
        parse_registry([assessment(approved_on="2026-12-01", review_by="2027-12-01")], CAT, TODAY)
    assert parse_registry([assessment(approved_on="2026-11-30")], CAT, TODAY).assessments


def test_an_account_destination_needs_where_the_account_keeps_the_data() -> None:
    with pytest.raises(RegistryError, match="account id alone cannot prove where data goes"):
        parse_registry([assessment(destination={"account": "444455556666"})], CAT, TODAY)
    [record] = _registry().assessments
    assert record.destination.describe() == "account 444455556666 in jurisdiction uk"


@pytest.mark.parametrize(
    "listed", ["share", "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission::share"]
)
def test_a_bare_name_is_rejected_in_both_registries(listed: str) -> None:
    with pytest.raises(RegistryError, match="is not a full Pulumi URN"):
        parse_registry([assessment(resources=[listed])], CAT, TODAY)
    with pytest.raises(RegistryError, match="an exemption names exactly one resource"):
        parse_exemptions([_exemption(resource=listed)], RULE_VECTORS, _registry())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"assessment": None}, "name the transfer assessment that covers the flow"),
        ({"assessment": "TRA-NONE"}, "assessment 'TRA-NONE' is not in the transfer assessment registry"),
        ({"jurisdiction": None}, "jurisdiction must be 'eu', the source of assessment 'TRA-SHARE'; got None"),
        ({"rule": "transfer-ami-copy"}, "does not cover vector ami-copy"),
        ({"resource": URN.replace("::share", "::other")}, "does not cover resource"),
    ],
)
def test_a_transfer_exemption_must_name_the_assessment_covering_that_flow(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_exemptions([_exemption(**overrides)], RULE_VECTORS, _registry())


def test_a_transfer_exemption_waives_only_the_transfer_that_matched_its_assessment() -> None:
    registry = parse_exemptions([_exemption()], RULE_VECTORS, _registry())
    expired = Finding(
        "transfer-ebs-snapshot-share", Status.FAIL, URN, None, "TRA-SHARE expired", assessment="TRA-SHARE"
    )
    unassessed = Finding("transfer-ebs-snapshot-share", Status.FAIL, URN, "us-east-1", "no transfer assessment")
    waived, blocked = registry.apply([expired, unassessed], "eu", date(2026, 12, 1))
    assert waived.exemption == "EX-1" and not waived.blocking
    assert blocked.blocking and blocked.exemption is None


def test_a_non_transfer_exemption_needs_no_assessment() -> None:
    vpc = "urn:pulumi:eu-dublin::enclave::aws:ec2/vpc:Vpc::legacy"
    registry = parse_exemptions(
        [_exemption(rule="vpc-flow-logs", resource=vpc, assessment=None)], RULE_VECTORS, AssessmentRegistry()
    )
    assert registry.exemptions[0].assessment is None
