"""Audit findings as AWS Security Finding Format (ASFF) records for Security Hub ``BatchImportFindings``.

Mapped the way Prowler maps its checks (prowler/lib/outputs/asff/asff.py), with this product's own
default-product ARN instead of a partner product:
- ``Id``: stable per (jurisdiction, rule, account, region, resource), so a later run updates the same finding
  instead of adding one (Prowler: ``prowler-<check>-<account>-<region>-<hash of resource>``);
- ``GeneratorId``: ``enclave-<rule id>``; ``Types``: ``Software and Configuration Checks/Industry and
  Regulatory Standards/<rule category>``;
- ``Compliance.Status``: PASS -> PASSED, FAIL -> FAILED, ERROR (the check could not run) -> NOT_AVAILABLE;
  ``RelatedRequirements`` are the rule's legal references, each cut to 64 characters as Prowler does;
- ``Severity.Label``: the rule's severity, upper case; a PASSED finding is INFORMATIONAL, as Security Hub's
  own controls report passed checks;
- ``Description`` cut to 1,024 characters, ``Remediation.Recommendation.Text`` to 512, ``Title`` to 256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from enclave.audit.findings import ERROR, FAIL, PASS, AuditFinding
from residency.rules import RULES_BY_ID

SCHEMA_VERSION = "2018-10-08"
# The ASFF fields BatchImportFindings requires (AWS Security Hub user guide, "Required top-level attributes").
REQUIRED_FIELDS = (
    "AwsAccountId",
    "CreatedAt",
    "Description",
    "GeneratorId",
    "Id",
    "ProductArn",
    "Resources",
    "SchemaVersion",
    "Severity",
    "Title",
    "Types",
    "UpdatedAt",
)
COMPLIANCE_STATUS = {PASS: "PASSED", FAIL: "FAILED", ERROR: "NOT_AVAILABLE"}
SEVERITY_LABELS = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")
MAX_BATCH = 100  # BatchImportFindings takes at most 100 findings per call

# ARN "service:resource-prefix" -> the ASFF resource type; anything else is "Other".
_RESOURCE_TYPES = {
    ("s3", ""): "AwsS3Bucket",
    ("kms", "key"): "AwsKmsKey",
    ("dynamodb", "table"): "AwsDynamoDbTable",
    ("rds", "db"): "AwsRdsDbInstance",
    ("rds", "cluster"): "AwsRdsDbCluster",
    ("secretsmanager", "secret"): "AwsSecretsManagerSecret",
    ("ec2", "vpc"): "AwsEc2Vpc",
    ("ec2", "vpc-peering-connection"): "AwsEc2VpcPeeringConnection",
    ("ec2", "snapshot"): "Other",
    ("cloudtrail", "trail"): "AwsCloudTrailTrail",
    ("elasticfilesystem", "file-system"): "AwsEfsFileSystem",
    ("redshift", "cluster"): "AwsRedshiftCluster",
    ("cloudfront", "distribution"): "AwsCloudFrontDistribution",
    ("ecr", "repository"): "AwsEcrRepository",
    ("backup", "backup-vault"): "AwsBackupBackupVault",
    ("backup", "backup-plan"): "AwsBackupBackupPlan",
}


def product_arn(region: str, account: str) -> str:
    """The account's own default product: findings a customer imports for itself."""
    return f"arn:aws:securityhub:{region}:{account}:product/{account}/default"


def resource_type(resource: str) -> str:
    if resource.startswith("account:"):
        return "AwsAccount"
    parts = resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return "Other"
    service, rest = parts[2], parts[5]
    prefix = rest.split("/", 1)[0].split(":", 1)[0] if ("/" in rest or ":" in rest) else ""
    return _RESOURCE_TYPES.get((service, prefix), "Other")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def finding_id(jurisdiction: str, finding: AuditFinding, account: str, region: str) -> str:
    digest = hashlib.sha256(finding.resource.encode()).hexdigest()
    return f"enclave-{jurisdiction}-{finding.rule}-{account}-{finding.region or region}-{digest}"


def to_asff(
    finding: AuditFinding, *, account: str, region: str, jurisdiction: str, observed_at: datetime, tool_version: str
) -> dict[str, Any]:
    """One audit finding as one ASFF record. ``region`` is where it is imported (the enclave's home)."""
    rule = RULES_BY_ID.get(finding.rule)
    title = rule.title if rule else finding.rule
    severity = "INFORMATIONAL" if finding.status == PASS else (rule.severity.value.upper() if rule else "HIGH")
    category = rule.category.value if rule else "oversight"
    resource: dict[str, Any] = {"Type": resource_type(finding.resource), "Id": finding.resource, "Partition": "aws"}
    fields = {"enclave/Jurisdiction": jurisdiction, "enclave/Rule": finding.rule, "enclave/ToolVersion": tool_version}
    # A transfer finding's region is where the data goes, not where the resource is.
    if finding.region and rule is not None and rule.vector is not None:
        fields["enclave/DestinationRegion"] = finding.region
    elif finding.region:
        resource["Region"] = finding.region
    if finding.assessment:
        fields["enclave/TransferAssessment"] = finding.assessment
    if finding.exemption:
        fields["enclave/Exemption"] = finding.exemption
    when = _timestamp(observed_at)
    return {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(jurisdiction, finding, account, region),
        "ProductArn": product_arn(region, account),
        "GeneratorId": f"enclave-{finding.rule}",
        "AwsAccountId": account,
        "Types": [f"Software and Configuration Checks/Industry and Regulatory Standards/{category}"],
        "FirstObservedAt": when,
        "CreatedAt": when,
        "UpdatedAt": when,
        "Severity": {"Label": severity},
        "Title": _cut(f"[{finding.status}] {title}", 256),
        "Description": _cut(finding.message, 1024),
        "Resources": [resource],
        "Compliance": {
            "Status": COMPLIANCE_STATUS[finding.status],
            "RelatedRequirements": [ref[:64] for ref in (rule.references if rule else ())][:32],
        },
        "Remediation": {"Recommendation": {"Text": _cut(" ".join(rule.remediation) if rule else "", 512)}},
        "ProductFields": fields,
        "RecordState": "ACTIVE",
        "Region": region,
    }


def missing_required(record: dict[str, Any]) -> list[str]:
    """Required ASFF fields that are absent or empty (an empty list: the record is importable)."""
    return [name for name in REQUIRED_FIELDS if record.get(name) in (None, "", [], {})]


def batches(records: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    items = list(records)
    return [items[i : i + MAX_BATCH] for i in range(0, len(items), MAX_BATCH)]
