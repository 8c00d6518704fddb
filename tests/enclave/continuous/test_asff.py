"""ASFF records against the fields Security Hub requires, and the Prowler-style mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from enclave.audit.findings import AuditFinding
from enclave.continuous.asff import REQUIRED_FIELDS, batches, missing_required, resource_type, to_asff

WHEN = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def record(finding: AuditFinding) -> dict[str, object]:
    return to_asff(
        finding, account="111111111101", region="eu-west-1", jurisdiction="eu", observed_at=WHEN, tool_version="0.1.0"
    )


@pytest.mark.parametrize(
    ("status", "compliance", "severity"),
    [("PASS", "PASSED", "INFORMATIONAL"), ("FAIL", "FAILED", "CRITICAL"), ("ERROR", "NOT_AVAILABLE", "CRITICAL")],
)
def test_every_status_gives_a_complete_record(status: str, compliance: str, severity: str) -> None:
    r = record(AuditFinding("residency-location", status, "arn:aws:s3:::data", "us-east-1", "is in us-east-1"))
    assert missing_required(r) == []
    assert set(REQUIRED_FIELDS) <= set(r)
    assert r["Compliance"] == {
        "Status": compliance,
        "RelatedRequirements": [
            "GDPR Art. 44-49",
            "UK GDPR Art. 44-49",
            "DPDP Act 2023 s.16",
            "Privacy Act 1988 (Cth) APP 8",
            "LGPD Art. 33",
        ],
    }
    assert r["Severity"] == {"Label": severity}
    assert r["ProductArn"] == "arn:aws:securityhub:eu-west-1:111111111101:product/111111111101/default"
    assert r["GeneratorId"] == "enclave-residency-location"
    assert r["Types"] == ["Software and Configuration Checks/Industry and Regulatory Standards/residency"]
    assert r["CreatedAt"] == r["UpdatedAt"] == "2026-12-03T06:00:00Z"
    assert r["Resources"] == [
        {"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::data", "Partition": "aws", "Region": "us-east-1"}
    ]


def test_missing_required_names_the_fields() -> None:
    r = record(AuditFinding("residency-location", "FAIL", "arn:aws:s3:::data", None, "x"))
    del r["Types"]
    r["Title"] = ""
    assert missing_required(r) == ["Title", "Types"]


def test_the_id_is_stable_per_resource_and_rule() -> None:
    a = record(AuditFinding("residency-location", "FAIL", "arn:aws:s3:::data", "us-east-1", "one"))
    b = record(AuditFinding("residency-location", "PASS", "arn:aws:s3:::data", "us-east-1", "two"))
    c = record(AuditFinding("residency-location", "FAIL", "arn:aws:s3:::other", "us-east-1", "one"))
    assert a["Id"] == b["Id"] != c["Id"]


def test_long_text_is_cut_to_the_asff_limits() -> None:
    r = record(AuditFinding("residency-location", "FAIL", "arn:aws:s3:::data", None, "m" * 5000))
    assert len(str(r["Description"])) == 1024 and str(r["Description"]).endswith("...")


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("arn:aws:s3:::data", "AwsS3Bucket"),
        ("arn:aws:kms:eu-west-1:111111111101:key/abc", "AwsKmsKey"),
        ("arn:aws:ec2:eu-west-1:111111111101:vpc/vpc-1", "AwsEc2Vpc"),
        ("arn:aws:rds:eu-west-1:111111111101:db:orders", "AwsRdsDbInstance"),
        ("account:111111111101", "AwsAccount"),
        ("s3:eu-west-1", "Other"),
    ],
)
def test_resource_types(resource: str, expected: str) -> None:
    assert resource_type(resource) == expected


def test_batches_hold_at_most_100() -> None:
    assert [len(b) for b in batches([{}] * 250)] == [100, 100, 50]
