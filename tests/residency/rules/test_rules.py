import dataclasses

import pytest

from residency.model import (
    ControlState,
    Destination,
    Fact,
    Finding,
    KeyReference,
    Placement,
    Status,
    Transfer,
    Vector,
)
from residency.rules import RULES, RULES_BY_ID, evaluate, rules_for
from residency.rules.base import Context, Rule
from residency.rules.index import RuleIndex
from tests.residency.conftest import assessment, ctx_with

URN = "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::records"


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_location_fails_outside_jurisdiction(eu_ctx: Context) -> None:
    f = only(evaluate([Placement(URN, "aws:s3/bucket:Bucket", "us-east-1")], eu_ctx))
    assert (f.rule, f.status, f.region) == ("residency-location", Status.FAIL, "us-east-1")
    assert "outside European Union" in f.message
    assert f.blocking


def test_location_passes_inside_jurisdiction(eu_ctx: Context) -> None:
    f = only(evaluate([Placement(URN, "aws:s3/bucket:Bucket", "eu-central-1")], eu_ctx))
    assert f.status is Status.PASS and not f.blocking


def test_location_unknown_region_is_unknown_and_blocking(eu_ctx: Context) -> None:
    f = only(evaluate([Placement(URN, "aws:s3/bucket:Bucket", None)], eu_ctx))
    assert f.status is Status.UNKNOWN and f.blocking


def test_london_is_not_eu(eu_ctx: Context) -> None:
    assert only(evaluate([Placement(URN, "t", "eu-west-2")], eu_ctx)).status is Status.FAIL


def test_key_custody(eu_ctx: Context) -> None:
    far = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:us-east-1:1:key/x", "us-east-1")
    near = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:1:key/x", "eu-west-1")
    unknown = KeyReference(URN, "t", "S3 default encryption", "alias/external", None)
    statuses = [f.status for f in evaluate([far, near, unknown], eu_ctx)]
    assert statuses == [Status.FAIL, Status.PASS, Status.UNKNOWN]


def test_key_custody_fails_a_key_of_another_jurisdictions_enclave_account(eu_ctx: Context) -> None:
    # The stack's account is unknown; the catalogue still places the key's account: the UK enclave's.
    uk = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:111111111102:key/x", "eu-west-1")
    own = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:111111111101:key/x", "eu-west-1")
    stranger = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:123456789012:key/x", "eu-west-1")
    failed, *passed = evaluate([uk, own, stranger], eu_ctx)
    assert failed.status is Status.FAIL and "an enclave account of United Kingdom" in failed.message, failed
    assert [f.status for f in passed] == [Status.PASS, Status.PASS]


def transfer(region: str | None, vector: Vector = Vector.S3_REPLICATION, account: str | None = None) -> Transfer:
    return Transfer(vector, URN, "t", "eu-west-1", Destination("arn:aws:s3:::dr", region=region, account=account))


def test_transfer_inside_jurisdiction_passes(eu_ctx: Context) -> None:
    assert only(evaluate([transfer("eu-central-1")], eu_ctx)).status is Status.PASS


def test_transfer_outside_without_assessment_fails(eu_ctx: Context) -> None:
    f = only(evaluate([transfer("us-east-1")], eu_ctx))
    assert f.rule == "transfer-s3-replication" and f.status is Status.FAIL
    assert "has no transfer assessment" in f.message


def test_transfer_unresolvable_destination_fails(eu_ctx: Context) -> None:
    f = only(evaluate([transfer(None)], eu_ctx))
    assert f.status is Status.FAIL and "cannot be proven" in f.message


def test_transfer_covered_by_valid_assessment_passes_and_names_it() -> None:
    f = only(evaluate([transfer("eu-west-2")], ctx_with(assessment())))
    assert f.status is Status.PASS and f.assessment == "TRA-EU-2026-001"


def test_transfer_with_expired_assessment_fails_and_names_it() -> None:
    f = only(evaluate([transfer("eu-west-2")], ctx_with(assessment(approved_on="2025-01-01", review_by="2026-06-30"))))
    assert f.status is Status.FAIL and f.assessment == "TRA-EU-2026-001"
    assert "expired on 2026-06-30" in f.message


def test_assessment_for_another_vector_does_not_cover() -> None:
    f = only(evaluate([transfer("eu-west-2", Vector.DYNAMODB_GLOBAL_TABLE)], ctx_with(assessment())))
    assert f.status is Status.FAIL and f.rule == "transfer-dynamodb-global-table"


def test_assessment_for_another_destination_does_not_cover() -> None:
    assert only(evaluate([transfer("us-east-1")], ctx_with(assessment()))).status is Status.FAIL


def test_account_destination_matched_exactly_and_never_against_a_region_outside_the_record() -> None:
    raw = assessment(destination={"account": "999988887777", "jurisdiction": "uk"}, vectors=["ebs-snapshot-share"])
    share = transfer("eu-west-2", Vector.EBS_SNAPSHOT_SHARE, account="999988887777")
    other = transfer("eu-west-2", Vector.EBS_SNAPSHOT_SHARE, account="111100002222")
    unproven = transfer(None, Vector.EBS_SNAPSHOT_SHARE, account="999988887777")
    abroad = transfer("us-east-1", Vector.EBS_SNAPSHOT_SHARE, account="999988887777")
    statuses = [f.status for f in evaluate([share, other, unproven, abroad], ctx_with(raw))]
    assert statuses == [Status.PASS, Status.FAIL, Status.PASS, Status.FAIL]


def test_worldwide_destination_needs_worldwide_assessment(eu_ctx: Context) -> None:
    edge = Transfer(Vector.CLOUDFRONT, URN, "t", "eu-west-1", Destination("CloudFront edges", worldwide=True))
    assert only(evaluate([edge], eu_ctx)).status is Status.FAIL
    raw = assessment(destination={"worldwide": True}, vectors=["cloudfront"])
    assert only(evaluate([edge], ctx_with(raw))).status is Status.PASS


def test_control_rules(eu_ctx: Context) -> None:
    facts = [
        ControlState("kms-key-rotation", URN, "t", "eu-west-1", True),
        ControlState("kms-key-rotation", URN, "t", "eu-west-1", False),
        ControlState("kms-key-rotation", URN, "t", "eu-west-1", None),
    ]
    assert [f.status for f in evaluate(facts, eu_ctx)] == [Status.PASS, Status.FAIL, Status.UNKNOWN]


def test_a_rule_that_raises_fails_closed(eu_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(fact: Fact, rule: Rule, ctx: Context) -> Finding:
        raise RuntimeError("bug")

    broken = dataclasses.replace(RULES_BY_ID["residency-location"], check=boom)
    monkeypatch.setattr("residency.rules.RULE_INDEX", RuleIndex([broken]))
    f = only(evaluate([Placement(URN, "t", "eu-west-1")], eu_ctx))
    assert f.status is Status.UNKNOWN and "could not evaluate" in f.message


def test_fact_without_rule_is_an_error(eu_ctx: Context) -> None:
    with pytest.raises(LookupError):
        evaluate([ControlState("no-such-control", URN, "t", "eu-west-1", True)], eu_ctx)


def test_catalogue_ids_unique_and_metadata_complete() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.title and r.description and r.remediation and r.references, r.id
    # every transfer vector has exactly one rule
    for v in Vector:
        assert len(rules_for(transfer("eu-west-1", v))) == 1


def test_key_of_another_account_fails_even_in_region(eu_ctx: Context) -> None:
    from dataclasses import replace

    ctx = replace(eu_ctx, account="111111111101")
    foreign = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:999999999999:key/x", "eu-west-1")
    own = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:111111111101:key/x", "eu-west-1")
    bare = KeyReference(URN, "t", "S3 default encryption", "alias/records", "eu-west-1")
    findings = evaluate([foreign, own, bare], ctx)
    assert [f.status for f in findings] == [Status.FAIL, Status.PASS, Status.PASS]
    assert "held by account 999999999999, not the enclave's account 111111111101" in findings[0].message


def test_key_account_not_judged_when_the_enclave_account_is_unknown(eu_ctx: Context) -> None:
    foreign = KeyReference(URN, "t", "S3 default encryption", "arn:aws:kms:eu-west-1:999999999999:key/x", "eu-west-1")
    assert only(evaluate([foreign], eu_ctx)).status is Status.PASS
