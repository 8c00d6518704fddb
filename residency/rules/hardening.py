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
- ``records-source-vpce``: the records bucket serves objects only through the enclave's network (the judgement
  is residency/records_network.py, shared with the live auditor).

The predicates are pure (policy documents as parsed JSON); adapters build ControlState facts with them, and
the rules are control rules (residency/rules/controls.py): UNKNOWN when a document cannot be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from residency.model import Category, Severity
from residency.policy_documents import (
    condition_keys,
    label,
    principals,
    statements,
)
from residency.rule_ids import (
    GUARD_PROTECTED,
    RECORDS_SOURCE_VPCE,
    SERVICE_GRANT_BOUND,
    TRAIL_COVERS_GLOBAL_EVENTS,
    VPC_ENDPOINT_POLICY,
)
from residency.rules.base import Rule, Scope
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
    for i, statement in enumerate(statements(document)):
        if statement.get("Effect") == "Allow" and not condition_keys(statement) & set(PRINCIPAL_SCOPE_KEYS):
            gaps.append(f"{label(statement, i)} allows without aws:PrincipalAccount or aws:PrincipalOrgID")
    return gaps


def unbound_service_grants(document: Mapping[str, Any]) -> list[str]:
    """Service-principal Allows not held to this account and resource (empty: none)."""
    gaps = []
    for i, statement in enumerate(statements(document)):
        services = [p for p in principals(statement, "Service") if p != "*"]
        if statement.get("Effect") != "Allow" or not services:
            continue
        keys = condition_keys(statement)
        required = frozenset().union(*(binding_for(s) for s in services))
        names = {"aws:sourceaccount": "aws:SourceAccount", "aws:sourcearn": "aws:SourceArn"}
        missing = [names.get(k, k) for k in sorted(required) if k not in keys]
        if missing:
            gaps.append(f"{label(statement, i)} ({', '.join(services)}) lacks {' and '.join(missing)}")
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
    control_rule(
        RECORDS_SOURCE_VPCE,
        "User records are reached only through the enclave's network",
        "The policy of the records bucket (tagged enclave-data=records, or named enclave-<jid>-storage-records-*) "
        "denies reading and writing objects to every principal whose request does not come through the "
        "enclave's network, exempting at most named principals (aws:PrincipalArn, no wildcard), each with its "
        "reason in the program. The network is named either by the VPC endpoints (StringNotEquals "
        "aws:SourceVpce) or by S3 access points (StringNotEquals s3:DataAccessPointArn, no wildcard), each of "
        "which must be, in the same program or account, an access point on that bucket with a VPC network "
        "origin (S3 rejects requests to it from outside that VPC); an access point that is absent, "
        "Internet-origin or on another bucket fails, one that cannot be read is UNKNOWN "
        "(residency/records_network.py).",
        Category.NETWORK,
        Severity.CRITICAL,
        "Add a Deny of object actions with StringNotEquals s3:DataAccessPointArn naming the records bucket's "
        "access point with a VPC network origin (components/secure_bucket.py, components/policy.py "
        "deny_object_access_outside_access_points), or StringNotEquals aws:SourceVpce naming the enclave's "
        "S3 endpoint.",
        _ART32,
        Scope.PROGRAM,  # the bucket's tag, its policy and its access points are separate resources
    ),
    control_rule(
        GUARD_PROTECTED,
        "Stores and guards are protected",
        "Every store, and every resource that guards a store, is protect-ed in any stack; in an enclave program "
        "every guard is (residency/guards.py lists the types), so a rename, a replacement, a removal or destroy "
        "stops with an error instead of deleting it.",
        Category.OVERSIGHT,
        Severity.HIGH,
        "Create the resource with protect=True (components/guard.py guarded()); stores also with retainOnDelete.",
        ("GDPR Art. 32(1)(b) and (c) (integrity, availability and resilience)", "ISO/IEC 27001 A.8.13 (backup)"),
        Scope.PROGRAM,  # whether a type is a guard depends on whether the program is an enclave
    ),
)
