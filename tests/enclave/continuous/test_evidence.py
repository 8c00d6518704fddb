"""The scheduled evidence run against moto's server: evidence in the object-locked bucket with digests, and
the findings in Security Hub as ASFF."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from enclave.continuous.asff import missing_required, product_arn
from enclave.continuous.evidence import DIGEST_FILE, EvidenceRun, run_scheduled_audit
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from tests.enclave.continuous.conftest import ACCOUNT, Enclave

NOW = datetime(2026, 12, 3, 6, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def evidence(enclave: Enclave) -> EvidenceRun:
    return run_scheduled_audit(
        enclave.session,
        enclave.settings,
        AssessmentRegistry(),
        ExemptionRegistry(),
        NOW,
        regions=("eu-west-1", "us-east-1"),
        services=("s3",),
    )


def _get(enclave: Enclave, key: str) -> dict[str, Any]:
    return dict(enclave.client("s3").get_object(Bucket="cont-audit-logs", Key=key, ChecksumMode="ENABLED"))


def test_evidence_lands_in_the_locked_bucket_with_its_digest(enclave: Enclave, evidence: EvidenceRun) -> None:
    assert evidence.prefix == "evidence/eu/2026/12/03/20261203T060000Z/"
    assert evidence.keys == [evidence.prefix + n for n in ("audit.json", "audit.html", DIGEST_FILE)]
    s3 = enclave.client("s3")
    sums = _get(enclave, evidence.prefix + DIGEST_FILE)["Body"].read().decode()
    for name in ("audit.json", "audit.html"):
        obj = _get(enclave, evidence.prefix + name)
        body = obj["Body"].read()
        digest = hashlib.sha256(body).hexdigest()
        assert obj["Metadata"]["sha256"] == digest == evidence.digests[name]
        assert f"{digest}  {name}\n" in sums
        assert obj["ServerSideEncryption"] == "aws:kms" and obj["SSEKMSKeyId"] == enclave.settings.audit_key_arn
        # moto answers the lock on HeadObject (it has no GetObjectRetention): the bucket's default retention.
        head = s3.head_object(Bucket="cont-audit-logs", Key=evidence.prefix + name)
        assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"] > NOW
    report = json.loads(_get(enclave, evidence.prefix + "audit.json")["Body"].read())
    assert report["scope"]["account"] == ACCOUNT
    assert {(f["rule"], f["status"], f["resource"]) for f in report["findings"]} >= {
        ("residency-location", "FAIL", "arn:aws:s3:::cont-copy-us"),
        ("transfer-s3-replication", "FAIL", "arn:aws:s3:::cont-leaky"),
    }


def test_locked_evidence_cannot_be_deleted(enclave: Enclave, evidence: EvidenceRun) -> None:
    s3 = enclave.client("s3")
    key = evidence.prefix + "audit.json"
    version = s3.head_object(Bucket="cont-audit-logs", Key=key)["VersionId"]
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket="cont-audit-logs", Key=key, VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_tampered_copy_no_longer_matches_the_recorded_digest(enclave: Enclave, evidence: EvidenceRun) -> None:
    s3 = enclave.client("s3")
    key = evidence.prefix + "audit.json"
    s3.put_object(Bucket="cont-audit-logs", Key=key, Body=b'{"findings": []}', ChecksumAlgorithm="SHA256")
    latest = s3.get_object(Bucket="cont-audit-logs", Key=key)["Body"].read()
    assert hashlib.sha256(latest).hexdigest() != evidence.digests["audit.json"]
    # The original version is still there, locked, and still matches.
    versions = s3.list_object_versions(Bucket="cont-audit-logs", Prefix=key)["Versions"]
    bodies = [
        s3.get_object(Bucket="cont-audit-logs", Key=key, VersionId=v["VersionId"])["Body"].read() for v in versions
    ]
    assert evidence.digests["audit.json"] in {hashlib.sha256(b).hexdigest() for b in bodies}


def test_findings_are_in_security_hub_as_asff(enclave: Enclave, evidence: EvidenceRun) -> None:
    hub = enclave.client("securityhub")
    findings = [f for page in hub.get_paginator("get_findings").paginate() for f in page["Findings"]]
    ours = [f for f in findings if f["AwsAccountId"] == ACCOUNT and f["GeneratorId"].startswith("enclave-")]
    assert evidence.imported == len(ours) > 0
    replication = [
        f
        for f in ours
        if f["GeneratorId"] == "enclave-transfer-s3-replication"
        and f["Resources"][0]["Id"] == "arn:aws:s3:::cont-leaky"
    ]
    assert len(replication) == 1
    record = replication[0]
    assert missing_required(record) == []
    assert record["ProductArn"] == product_arn("eu-west-1", ACCOUNT)
    assert record["Compliance"]["Status"] == "FAILED"
    assert record["Severity"]["Label"] == "CRITICAL"  # the transfer rules are critical
    assert record["Resources"][0]["Type"] == "AwsS3Bucket"
    assert "Region" not in record["Resources"][0]  # a transfer's region is its destination:
    assert record["ProductFields"]["enclave/DestinationRegion"] == "us-east-1"
    stray = [f for f in ours if f["GeneratorId"] == "enclave-residency-location" and "cont-copy-us" in f["Id"] + str(f)]
    assert [(f["Compliance"]["Status"], f["Resources"][0]["Region"]) for f in stray] == [("FAILED", "us-east-1")]
    assert record["RecordState"] == "ACTIVE"
