"""Hardening rules (issue 10): the enclave's own doors stay shut, judged on any stack and, where the API shows
it, in a live account.

- ``trail-covers-global-events``: a trail records every region and the global services (IAM, global STS), which
  AWS logs in us-east-1 only; a single-Region trail elsewhere never sees trust-policy or boundary changes.
- ``vpc-endpoint-policy``: every VPC endpoint has a policy, and every Allow in it is held to the account's or the
  organisation's principals (the default policy admits anyone's credentials to anyone's resources).
- ``service-grant-bound``: every Allow that a key or bucket policy gives an AWS service is held to this
  account and resource (``aws:SourceAccount`` and ``aws:SourceArn``), unless AWS documents another binding for
  that service (``DOCUMENTED_BINDINGS``): CloudWatch Logs names its caller in the encryption context
  (``kms:EncryptionContext:aws:logs:arn``); AWS Config's delivery channel documents ``aws:SourceAccount`` only.
  Every other service, known or not, needs both.

The predicates are pure (policy documents as parsed JSON); adapters build ControlState facts with them, and
the rules are control rules (residency/rules/controls.py): UNKNOWN when a document cannot be read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from residency.model import Category, Severity
from residency.rule_ids import SERVICE_GRANT_BOUND, TRAIL_COVERS_GLOBAL_EVENTS, VPC_ENDPOINT_POLICY
from residency.rules.base import Rule
from residency.rules.controls import control_rule

# Condition keys that hold an Allow to the caller's account or organisation.
PRINCIPAL_SCOPE_KEYS = ("aws:principalaccount", "aws:principalorgid")
SOURCE_KEYS = ("aws:sourceaccount", "aws:sourcearn")
LOGS_CONTEXT_KEY = "kms:encryptioncontext:aws:logs:arn"
DEFAULT_BINDING = frozenset(SOURCE_KEYS)
# Services whose documented confused-deputy binding is not aws:SourceAccount + aws:SourceArn (lower case keys):
# CloudWatch Logs (regional principals logs.<region>.amazonaws.com) binds through the encryption context;
# AWS Config delivers history and snapshots with aws:SourceAccount only (Config Developer Guide, "Permissions for
# the Amazon S3 Bucket for the AWS Config Delivery Channel" and "... KMS Key"), so requiring aws:SourceArn
# there would break delivery, not harden it.
DOCUMENTED_BINDINGS: dict[str, frozenset[str]] = {
    "logs.*": frozenset({LOGS_CONTEXT_KEY}),
    "config.amazonaws.com": frozenset({"aws:sourceaccount"}),
}


def binding_for(service: str) -> frozenset[str]:
    """The condition keys that hold ``service`` to this account and resource."""
    if service.startswith("logs.") and service.endswith(".amazonaws.com"):
        return DOCUMENTED_BINDINGS["logs.*"]
    return DOCUMENTED_BINDINGS.get(service, DEFAULT_BINDING)


def parse_document(value: Any) -> Mapping[str, Any] | None:
    """A policy document from a JSON string or a mapping; None when it cannot be read as one."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, Mapping) and isinstance(value.get("Statement"), list | Mapping):
        return value
    return None


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    raw = document["Statement"]
    return [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, Mapping)]


def _condition_keys(statement: Mapping[str, Any]) -> set[str]:
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return set()
    return {str(key).lower() for tests in condition.values() if isinstance(tests, Mapping) for key in tests}


def _services(statement: Mapping[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if not isinstance(principal, Mapping):
        return []
    services = principal.get("Service", [])
    return [str(s) for s in (services if isinstance(services, list) else [services])]


def _label(statement: Mapping[str, Any], index: int) -> str:
    return str(statement.get("Sid") or f"statement {index + 1}")


def trail_scope_gaps(multi_region: Any, global_events: Any) -> list[str]:
    """What keeps a trail from seeing every region and the global services (empty: nothing)."""
    gaps = []
    if multi_region is not True:
        gaps.append("isMultiRegionTrail is not true")
    if global_events is False:
        gaps.append("includeGlobalServiceEvents is false")
    return gaps


def endpoint_policy_gaps(document: Mapping[str, Any] | None) -> list[str]:
    """Why an endpoint policy admits principals of other accounts (empty: it does not)."""
    if document is None:
        return ["no endpoint policy: the default admits every principal to every resource"]
    gaps = []
    for i, statement in enumerate(_statements(document)):
        if statement.get("Effect") == "Allow" and not _condition_keys(statement) & set(PRINCIPAL_SCOPE_KEYS):
            gaps.append(f"{_label(statement, i)} allows without aws:PrincipalAccount or aws:PrincipalOrgID")
    return gaps


def unbound_service_grants(document: Mapping[str, Any]) -> list[str]:
    """Service-principal Allows not held to this account and resource (empty: none)."""
    gaps = []
    for i, statement in enumerate(_statements(document)):
        services = _services(statement)
        if statement.get("Effect") != "Allow" or not services:
            continue
        keys = _condition_keys(statement)
        required = frozenset().union(*(binding_for(s) for s in services))
        names = {"aws:sourceaccount": "aws:SourceAccount", "aws:sourcearn": "aws:SourceArn"}
        missing = [names.get(k, k) for k in sorted(required) if k not in keys]
        if missing:
            gaps.append(f"{_label(statement, i)} ({', '.join(services)}) lacks {' and '.join(missing)}")
    return gaps


_CONFUSED_DEPUTY = ("AWS IAM User Guide: the confused deputy problem", "ISO/IEC 27001 A.8.2 (privileged access)")
_ART32 = ("GDPR Art. 32 (security of processing)", "UK GDPR Art. 32")

HARDENING_RULES: tuple[Rule, ...] = (
    control_rule(
        TRAIL_COVERS_GLOBAL_EVENTS,
        "CloudTrail records every region and the global services",
        "Every trail is multi-Region with global service events, so IAM changes and global-endpoint STS calls "
        "(recorded in us-east-1 only) reach its bucket. Only event metadata flows to the trail's home region.",
        Category.OVERSIGHT,
        Severity.HIGH,
        "Set isMultiRegionTrail=true and includeGlobalServiceEvents=true on the trail.",
        ("GDPR Art. 5(2) and Art. 30 (accountability, records)", "ISO/IEC 27001 A.8.15 (logging)"),
    ),
    control_rule(
        VPC_ENDPOINT_POLICY,
        "VPC endpoints admit only the account's principals",
        "Every VPC endpoint has a policy, and every Allow in it is conditioned on aws:PrincipalAccount or "
        "aws:PrincipalOrgID, so credentials of another account cannot use the enclave's network.",
        Category.NETWORK,
        Severity.HIGH,
        "Give the endpoint a policy whose Allow statements require aws:PrincipalAccount (and, where every call "
        "names a resource, aws:ResourceAccount) of the enclave.",
        _ART32,
    ),
    control_rule(
        SERVICE_GRANT_BOUND,
        "Key and bucket policies hold AWS services to this account and resource",
        "Every Allow a KMS key policy or S3 bucket policy gives an AWS service principal carries aws:SourceAccount "
        "and aws:SourceArn (CloudWatch Logs: the kms:EncryptionContext:aws:logs:arn of this account's log groups), "
        "so no other account's resource can make the service use the key or bucket.",
        Category.ACCESS,
        Severity.HIGH,
        "Add aws:SourceAccount and aws:SourceArn conditions to the service-principal statement.",
        _CONFUSED_DEPUTY,
    ),
)
