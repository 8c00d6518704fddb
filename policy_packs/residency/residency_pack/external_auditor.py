"""``external-auditor-configured`` (advisory): an enclave has a door for an independent third-party auditor.

A pack-only stack policy, like ``residency-exceptions``: it judges the shape of the enclave program, not a
residency fact, so it is not in the core's rule catalogue. Advisory, because an enclave may go live before
its outside auditor is appointed; the report then says, for every such stack, that nobody independent can
audit it. The door is an ``aws:iam/role:Role`` named ``enclave-<jurisdiction>-external-auditor`` whose trust
policy requires an ``sts:ExternalId`` (components/external_auditor.py). Programs without a RegionalEnclave
(other Pulumi programs checked by the gate) are not applicable.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

POLICY_NAME = "external-auditor-configured"
ENCLAVE_COMPONENT = "enclave:components:RegionalEnclave"
ROLE = "aws:iam/role:Role"
ROLE_SUFFIX = "-external-auditor"


def _requires_external_id(trust: Any) -> bool:
    document = json.loads(trust) if isinstance(trust, str) else trust
    if not isinstance(document, dict):
        return False
    statements = document.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        condition = statement.get("Condition", {}) if isinstance(statement, dict) else {}
        if statement.get("Effect") == "Allow" and "sts:ExternalId" in condition.get("StringEquals", {}):
            return True
    return False


def has_external_auditor(resources: list[tuple[str, Any]]) -> bool:
    """``resources``: (type, props) pairs of the program."""
    for type_, props in resources:
        if type_ != ROLE:
            continue
        name = props.get("name")
        if (
            isinstance(name, str)
            and name.endswith(ROLE_SUFFIX)
            and _requires_external_id(props.get("assumeRolePolicy"))
        ):
            return True
    return False


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    types = [r.resource_type for r in args.resources]
    if ENCLAVE_COMPONENT not in types:
        args.not_applicable("the program declares no RegionalEnclave")
        return
    if not has_external_auditor([(r.resource_type, r.props) for r in args.resources if r.resource_type == ROLE]):
        report(
            "no external auditor is configured: no independent third party can audit this enclave; set "
            "enclave:externalAuditor (accountId, externalId) in the stack config",
            None,
        )


def external_auditor_policy() -> StackValidationPolicy:
    return StackValidationPolicy(
        name=POLICY_NAME,
        description="An independent third party can audit the enclave through its own read-only, ExternalId-guarded role.",
        validate=_validate,
        enforcement_level=EnforcementLevel.ADVISORY,
        display_name="An external auditor is configured",
        severity=Severity.LOW,
        tags=["category:oversight"],
        remediation_steps="Set enclave:externalAuditor: {accountId: <third party's account>, externalId: <id>} "
        "in stacks/Pulumi.<stack>.yaml.",
        url="docs/policy.md#external-auditor-configured",
    )
