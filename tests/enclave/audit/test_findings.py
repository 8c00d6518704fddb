"""Status mapping and report rendering on a synthetic scan (no emulator needed)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from adapters.aws_live.api import ApiFailure
from enclave.audit.findings import AuditReport, judge
from enclave.audit.report import render
from enclave.audit.scanner import AuditScan
from residency.assessments import AssessmentRegistry
from residency.exemptions import Exemption, ExemptionRegistry
from residency.jurisdictions import default_catalogue
from residency.model import ControlState, KeyReference, Placement

NASTY = 'arn:aws:s3:::<script>alert("x")</script>|[bold]'


def synthetic_scan(**fields: Any) -> AuditScan:
    return AuditScan(
        account="123456789012",
        regions=["eu-west-1"],
        region_source="--regions",
        services=["s3"],
        endpoint=None,
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        finished_at=datetime(2026, 1, 1, 0, 1, tzinfo=UTC),
        **fields,
    )


def report(**exemptions: Exemption) -> AuditReport:
    catalogue = default_catalogue()
    scan = synthetic_scan(
        facts=[
            Placement(NASTY, "AWS::S3::Bucket", "eu-west-1"),
            ControlState("trail-logging", "trail-a", "AWS::CloudTrail::Trail", "eu-west-1", None),
            KeyReference("bucket-b", "AWS::S3::Bucket", "default encryption", "k", "us-east-1"),
        ],
        failures=[
            ApiFailure(
                "s3",
                "eu-west-1",
                "GetBucketReplication",
                "s3:GetReplicationConfiguration",
                "AccessDenied",
                "Access Denied",
                "bucket-c",
                "transfer-s3-replication",
            )
        ],
    )
    registry = ExemptionRegistry(tuple(exemptions.values()))
    return judge(scan, catalogue.get("eu"), catalogue, AssessmentRegistry(), registry, date(2026, 1, 1), "9.9.9")


def test_unknown_is_a_fail_that_cannot_be_verified() -> None:
    [f] = [f for f in report().findings if f.resource == "trail-a"]
    assert (f.status, f.rule) == ("FAIL", "trail-logging")
    assert f.message.startswith("cannot be verified: cannot tell whether this holds: CloudTrail is logging")


def test_api_failure_is_an_error_finding_and_exit_1() -> None:
    r = report()
    [f] = [f for f in r.findings if f.status == "ERROR"]
    assert (f.rule, f.resource, f.region) == ("transfer-s3-replication", "bucket-c", "eu-west-1")
    assert f.message.endswith("missing IAM permission s3:GetReplicationConfiguration")
    assert r.exit_code == 1


def test_exempted_fail_passes_and_is_listed() -> None:
    ex = Exemption("EX-1", "key-custody", "bucket-b", "migrating", "platform", date(2026, 6, 1))
    r = report(ex=ex)
    [f] = [f for f in r.findings if f.resource == "bucket-b"]
    assert (f.status, f.exemption) == ("PASS", "EX-1")
    assert r.exemptions_used == [
        {
            "id": "EX-1",
            "rule": "key-custody",
            "resource": "bucket-b",
            "reason": "migrating",
            "owner": "platform",
            "expires": "2026-06-01",
        }
    ]


def test_expired_exemption_waives_nothing() -> None:
    ex = Exemption("EX-2", "key-custody", "bucket-b", "migrating", "platform", date(2025, 12, 31))
    r = report(ex=ex)
    [f] = [f for f in r.findings if f.resource == "bucket-b"]
    assert f.status == "FAIL" and "exemption EX-2 expired on 2025-12-31" in f.message
    assert r.exemptions_used == []


def test_clean_report_exits_0() -> None:
    catalogue = default_catalogue()
    scan = AuditScan(
        "1",
        ["eu-west-1"],
        "--regions",
        ["s3"],
        None,
        datetime.now(UTC),
        datetime.now(UTC),
        facts=[Placement("b", "AWS::S3::Bucket", "eu-west-1")],
    )
    r = judge(scan, catalogue.get("eu"), catalogue, AssessmentRegistry(), ExemptionRegistry(), date.today(), "1")
    assert r.exit_code == 0 and r.counts() == {"PASS": 1, "FAIL": 0, "ERROR": 0}


def test_html_escapes_every_value() -> None:
    html = render(report(), "html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;|[bold]" in html


def test_markdown_escapes_table_pipes() -> None:
    md = render(report(), "markdown")
    assert 'alert("x")</script>\\|[bold]' in md
    assert "## Exemptions used" in md and "## Transfer assessments used" in md and "## API errors" in md


def test_table_shows_brackets_literally() -> None:
    table = render(report(), "table", width=400)
    assert "[bold]" in table
    assert "1 FAIL" not in table  # counts line reads "2 FAIL, 1 ERROR, 1 PASS"
    assert "2 FAIL, 1 ERROR, 1 PASS: NOT clean" in table


def test_json_has_the_documented_shape() -> None:
    doc = json.loads(render(report(), "json"))
    assert set(doc) == {"findings", "scope", "summary", "errors", "exemptions_used", "assessments_used"}
    assert set(doc["scope"]) >= {
        "account",
        "jurisdiction",
        "regions",
        "services",
        "started_at",
        "finished_at",
        "tool_version",
        "endpoint",
    }
    assert all(set(f) >= {"rule", "status", "resource", "region", "message"} for f in doc["findings"])
    assert doc["errors"][0]["permission"] == "s3:GetReplicationConfiguration"


def test_valid_and_expired_assessments_are_listed_with_their_state() -> None:
    from residency.assessments import AssessmentDestination, LegalMechanism, ResidualRisk, TransferAssessment
    from residency.model import Destination, Fact, Transfer, Vector

    catalogue = default_catalogue()

    def assessment(aid: str, region: str, review_by: date) -> TransferAssessment:
        return TransferAssessment(
            aid, "eu", AssessmentDestination(region=region), frozenset({Vector.S3_REPLICATION}), ("orders",), False,
            "disaster recovery", LegalMechanism.EU_US_DPF, ("encryption",), ResidualRisk.LOW, "DPO",
            date(2025, 1, 1), review_by,
        )  # fmt: skip

    registry = AssessmentRegistry((assessment("TA-1", "us-east-1", date(2027, 1, 1)),
                                   assessment("TA-2", "us-west-2", date(2025, 6, 1))))  # fmt: skip
    facts: list[Fact] = [
        Transfer(Vector.S3_REPLICATION, "a", "AWS::S3::Bucket", "eu-west-1", Destination("bucket x", "us-east-1")),
        Transfer(Vector.S3_REPLICATION, "b", "AWS::S3::Bucket", "eu-west-1", Destination("bucket y", "us-west-2")),
    ]
    scan = AuditScan("1", ["eu-west-1"], "--regions", ["s3"], None, datetime.now(UTC), datetime.now(UTC), facts=facts)
    r = judge(scan, catalogue.get("eu"), catalogue, registry, ExemptionRegistry(), date(2026, 1, 1), "1")
    assert {(f.resource, f.status, f.assessment) for f in r.findings} == {("a", "PASS", "TA-1"), ("b", "FAIL", "TA-2")}
    assert [(a["id"], a["state"]) for a in r.assessments_used] == [("TA-1", "valid"), ("TA-2", "expired")]
    assert "review by 2025-06-01 (expired)" in render(r, "markdown")


def test_a_key_of_another_account_fails_key_custody() -> None:
    own = "arn:aws:kms:eu-west-1:123456789012:key/a"
    foreign = "arn:aws:kms:eu-west-1:999999999999:key/b"
    scan = synthetic_scan(
        facts=[
            KeyReference("own", "AWS::S3::Bucket", "default encryption", own, "eu-west-1"),
            KeyReference("foreign", "AWS::S3::Bucket", "default encryption", foreign, "eu-west-1"),
        ]
    )
    catalogue = default_catalogue()
    result = judge(
        scan, catalogue.get("eu"), catalogue, AssessmentRegistry(), ExemptionRegistry(), date(2026, 1, 1), "t"
    )
    statuses = {f.resource: f.status for f in result.findings if f.rule == "key-custody"}
    assert statuses == {"own": "PASS", "foreign": "FAIL"}
