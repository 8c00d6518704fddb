"""The residency pack's CrossGuard policies, built from the rule catalogue (residency.rules.RULES).

One policy per rule, named by the rule id, carrying its metadata. Rules whose facts need the whole program
are stack policies (AnalyzeStack); the rest are resource policies (Analyze). Three pack-only policies:

- ``residency-context`` (mandatory, first): the stack's jurisdiction and the governance registries are
  resolvable; otherwise one violation per resource naming the problem (fail closed). Its policy-pack config
  pins the jurisdiction (``jurisdiction``) and the registry directory (``governanceDir``).
- ``residency-exceptions`` / ``residency-exceptions-stack`` (advisory): list every exemption that waived a
  finding and every transfer assessment a transfer relied on, so each report shows them.

Unknown values: a policy that reads a value unknown during preview raises pulumi_policy's
UnknownValueError; the engine then reports an ADVISORY "can't run policy ... during preview" for it. The
same policy runs again at update, when the value is known, at its own (mandatory) level.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from adapters.pulumi.resources import facts_for
from residency.jurisdictions import default_catalogue
from residency.model import Finding, Status
from residency.rules import RULES
from residency.rules.base import Rule, Scope
from residency_pack.context import PackContext, build_context
from residency_pack.evaluation import Pending, judge, program_of, render, stack_facts
from residency_pack.views import view_of

PACK_NAME = "residency"
CONTEXT_POLICY = "residency-context"
EXCEPTIONS_POLICY = "residency-exceptions"
EXCEPTIONS_STACK_POLICY = "residency-exceptions-stack"
# Rules whose facts only the whole program shows (a field of each rule): judged in AnalyzeStack.
STACK_RULE_IDS = frozenset(r.id for r in RULES if r.scope is Scope.PROGRAM)
DOCS_URL = "docs/policy.md"


class _PackState:
    """Set by residency-context on every Analyze (it runs first), read by every other policy."""

    pack_dir: Path = Path(__file__).resolve().parents[1]
    pinned: str | None = None
    governance_dir: str | None = None


STATE = _PackState()


def configure_pack(pack_dir: Path) -> None:
    STATE.pack_dir = pack_dir.resolve()


_CONTEXTS: dict[tuple[object, ...], PackContext] = {}


def current_context() -> PackContext:
    # Asked by every policy for every resource: memoised on everything it depends on.
    key = (
        STATE.pinned,
        STATE.governance_dir,
        STATE.pack_dir,
        os.environ.get("PULUMI_CONFIG"),
        os.environ.get("PULUMI_PROJECT"),
        date.today(),
    )
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        directory = Path(STATE.governance_dir) if STATE.governance_dir else Path("../../governance")
        ctx = _CONTEXTS[key] = build_context(STATE.pinned, STATE.pack_dir / directory)
    return ctx


def stack_rules() -> list[Rule]:
    return [r for r in RULES if r.id in STACK_RULE_IDS]


def resource_rules() -> list[Rule]:
    return [r for r in RULES if r.id not in STACK_RULE_IDS]


def _require_context(args: ResourceValidationArgs | StackValidationArgs) -> PackContext:
    ctx = current_context()
    if not ctx.ok:
        args.not_applicable(f"the pack cannot judge this stack; see {CONTEXT_POLICY}")
    return ctx


# The rule that still blocks when the context is broken, so that disabling residency-context alone (in
# policy-pack config) cannot silence the pack: every resource then fails location, naming the problem.
CONTEXT_BACKSTOP_RULE = "residency-location"


def _resource_validation(rule: Rule) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if rule.id == CONTEXT_BACKSTOP_RULE and not current_context().ok:
            problems = "; ".join(current_context().problems)
            report(f"[{rule.id} cannot be verified] the pack cannot judge this stack: {problems}", None)
            return
        ctx = _require_context(args)
        view = view_of(args, ctx.stack_region)
        for finding in judge([rule], facts_for(view), ctx):
            if finding.blocking:
                report(render(finding, rule), None)

    return validate


def _stack_validation(rule: Rule) -> Any:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        ctx = _require_context(args)
        pending: Pending = []
        facts = [f for f in stack_facts(program_of(args, ctx, pending), pending) if rule.applies_to(f)]
        for finding in judge([rule], facts, ctx):
            if finding.blocking:
                report(render(finding, rule), finding.resource)
        # Every unknown still pending was resolved by nobody (an unknown key reference that program
        # analysis resolved never becomes pending): report what could be judged, then let the engine say
        # the rest runs at update. A URN having some facts does not settle it: its other facts may be lost.
        if pending:
            raise pending[0][1]

    return validate


def _validate_context(args: ResourceValidationArgs, report: ReportViolation) -> None:
    config = args.get_config()
    STATE.pinned = config.get("jurisdiction") or None
    STATE.governance_dir = config.get("governanceDir") or None
    for problem in current_context().problems:
        report(problem, None)


def _exception_lines(findings: Iterable[Finding], ctx: PackContext) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for f in findings:
        if f.exemption is not None:
            ex = ctx.exemptions.get(f.exemption)
            assert ex is not None
            lines.append(
                (
                    f.resource,
                    f"[{f.rule}] exempted by {ex.id} ({ex.reason}; owner {ex.owner}; expires {ex.expires}): {f.message}",
                )
            )
        elif f.status == Status.PASS and f.assessment is not None:
            lines.append((f.resource, f"[{f.rule}] {f.message}"))
    return lines


def _validate_exceptions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    ctx = _require_context(args)
    for _, line in _exception_lines(judge(resource_rules(), facts_for(view_of(args, ctx.stack_region)), ctx), ctx):
        report(line, None)


def _validate_exceptions_stack(args: StackValidationArgs, report: ReportViolation) -> None:
    ctx = _require_context(args)
    pending: Pending = []
    facts = stack_facts(program_of(args, ctx, pending), pending)
    for urn, line in _exception_lines(judge(stack_rules(), facts, ctx), ctx):
        report(line, urn)


def _metadata(rule: Rule) -> dict[str, Any]:
    tags = [f"category:{rule.category.value}"] + ([f"vector:{rule.vector.value}"] if rule.vector else [])
    return {
        "enforcement_level": EnforcementLevel.MANDATORY if rule.mandatory else EnforcementLevel.ADVISORY,
        "display_name": rule.title,
        "severity": Severity(rule.severity.value),
        "framework": PolicyComplianceFramework(
            name="regional-enclaves-residency", reference="; ".join(rule.references), specification=rule.category.value
        ),
        "tags": tags,
        "remediation_steps": "\n".join(rule.remediation),
        "url": f"{DOCS_URL}#{rule.id}",
    }


def _context_schema() -> PolicyConfigSchema:
    return PolicyConfigSchema(
        properties={
            "jurisdiction": {"type": "string", "enum": default_catalogue().ids()},
            "governanceDir": {"type": "string"},
        }
    )


def build_policies() -> list[Policy]:
    """Every policy of the pack, residency-context first (it publishes the pinned config to the others)."""
    policies: list[Policy] = [
        ResourceValidationPolicy(
            name=CONTEXT_POLICY,
            description="The stack's jurisdiction is declared and known, and the governance registries are valid.",
            validate=_validate_context,
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=_context_schema(),
            display_name="Jurisdiction and registries are resolvable",
            severity=Severity.CRITICAL,
            tags=["category:residency"],
            remediation_steps="Set enclave:jurisdiction in the stack config (or pin it in policy-pack config) "
            "and fix the registry named in the message (`enclave transfers --check`).",
            url=f"{DOCS_URL}#{CONTEXT_POLICY}",
        )
    ]
    for rule in resource_rules():
        policies.append(
            ResourceValidationPolicy(rule.id, rule.description, _resource_validation(rule), **_metadata(rule))
        )
    for rule in stack_rules():
        policies.append(StackValidationPolicy(rule.id, rule.description, _stack_validation(rule), **_metadata(rule)))
    exceptions_text = "Lists exemptions that waived a finding and transfer assessments a transfer relied on."
    policies.append(
        ResourceValidationPolicy(
            EXCEPTIONS_POLICY, exceptions_text, _validate_exceptions, EnforcementLevel.ADVISORY, severity=Severity.LOW
        )
    )
    policies.append(
        StackValidationPolicy(
            EXCEPTIONS_STACK_POLICY,
            exceptions_text,
            _validate_exceptions_stack,
            EnforcementLevel.ADVISORY,
            severity=Severity.LOW,
        )
    )
    return policies
