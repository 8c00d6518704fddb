"""The enclave's own promises: encryption, rotation, isolation and audit trails stay switched on.

Each is a ControlState fact named by ``control``; ``satisfied=None`` (state unreadable) is UNKNOWN.
"""

from __future__ import annotations

from residency.model import Category, ControlState, Fact, Finding, Severity, Status
from residency.rule_ids import (
    KMS_KEY_ROTATION,
    NO_INTERNET_GATEWAY,
    S3_ENCRYPTION_KMS,
    S3_PUBLIC_ACCESS_BLOCKED,
    TRAIL_LOG_VALIDATION,
    TRAIL_LOGGING,
    VPC_FLOW_LOGS,
)
from residency.rules.base import Context, Rule, Scope


def check_control(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, ControlState)
    detail = f": {fact.detail}" if fact.detail else ""
    if fact.satisfied is None:
        return Finding(
            rule.id, Status.UNKNOWN, fact.resource, fact.region, f"cannot tell whether this holds: {rule.title}{detail}"
        )
    if fact.satisfied:
        return Finding(rule.id, Status.PASS, fact.resource, fact.region, f"{rule.title}{detail}")
    return Finding(rule.id, Status.FAIL, fact.resource, fact.region, f"not satisfied: {rule.title}{detail}")


def control_rule(
    control: str,
    title: str,
    description: str,
    category: Category,
    severity: Severity,
    remediation: str,
    references: tuple[str, ...],
    scope: Scope = Scope.RESOURCE,
) -> Rule:
    return Rule(
        id=control,
        title=title,
        description=description,
        category=category,
        severity=severity,
        remediation=(remediation,),
        references=references,
        applies_to=lambda fact, c=control: isinstance(fact, ControlState) and fact.control == c,  # type: ignore[misc]
        check=check_control,
        scope=scope,
        judges=((ControlState, control),),
    )


_ART32 = ("GDPR Art. 32 (security of processing)", "UK GDPR Art. 32")
_ART30 = ("GDPR Art. 5(2) and Art. 30 (accountability, records)", "ISO/IEC 27001 A.8.15 (logging)")

CONTROL_RULES: tuple[Rule, ...] = (
    control_rule(
        KMS_KEY_ROTATION,
        "KMS key rotation is enabled",
        "Customer-managed keys rotate their key material automatically.",
        Category.ENCRYPTION,
        Severity.MEDIUM,
        "Set enableKeyRotation=true on the key.",
        _ART32,
    ),
    control_rule(
        S3_ENCRYPTION_KMS,
        "S3 buckets encrypt with a customer-managed KMS key",
        "Default encryption of every bucket is SSE-KMS under a customer-managed key, not SSE-S3 or none.",
        Category.ENCRYPTION,
        Severity.HIGH,
        "Add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and the enclave key.",
        _ART32,
        Scope.PROGRAM,  # a separate resource (configuration, flow log) decides
    ),
    control_rule(
        S3_PUBLIC_ACCESS_BLOCKED,
        "S3 public access is fully blocked",
        "All four S3 public-access-block settings are on for every bucket.",
        Category.ACCESS,
        Severity.CRITICAL,
        "Add a BucketPublicAccessBlock with all four settings true.",
        _ART32,
        Scope.PROGRAM,  # a separate resource (configuration, flow log) decides
    ),
    control_rule(
        VPC_FLOW_LOGS,
        "VPC flow logs are enabled",
        "Every VPC records flow logs to a destination inside the enclave.",
        Category.OVERSIGHT,
        Severity.MEDIUM,
        "Create an ec2 FlowLog for the VPC with traffic type ALL.",
        _ART30,
        Scope.PROGRAM,  # a separate resource (configuration, flow log) decides
    ),
    control_rule(
        TRAIL_LOG_VALIDATION,
        "CloudTrail log-file validation is enabled",
        "Every trail validates its log files so tampering is detectable.",
        Category.OVERSIGHT,
        Severity.HIGH,
        "Set enableLogFileValidation=true on the trail.",
        _ART30,
    ),
    control_rule(
        TRAIL_LOGGING,
        "CloudTrail is logging",
        "Every trail is logging (not stopped).",
        Category.OVERSIGHT,
        Severity.HIGH,
        "Start logging on the trail (enableLogging=true).",
        _ART30,
    ),
    control_rule(
        NO_INTERNET_GATEWAY,
        "The enclave network has no internet gateway",
        "No internet gateway, egress-only gateway or NAT gateway attaches the enclave network to the internet.",
        Category.NETWORK,
        Severity.CRITICAL,
        "Remove the gateway; reach AWS services through VPC endpoints.",
        _ART32,
    ),
)
