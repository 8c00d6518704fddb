"""The residency pack's CrossGuard policies, built from the rule catalogue (residency.rules.RULES).

One policy per rule, named by the rule id, carrying its metadata. Rules whose facts need the whole program
are stack policies (AnalyzeStack); the rest are resource policies (Analyze). Three pack-only policies:

- ``residency-context`` (mandatory, first): the stack's jurisdiction and the governance registries are
  resolvable; otherwise one violation per resource naming the problem (fail closed). Its policy-pack config
  pins the jurisdiction (``jurisdiction``) and the registry directory (``governanceDir``).
- ``residency-exceptions`` / ``residency-exceptions-stack`` (advisory): list every exemption that waived a
  finding and every transfer assessment a transfer relied on, so each report shows them.

Every report carries the finding as data (``residency.finding_wire``), after the prose a person reads.

Unknown values: no policy raises pulumi_policy's UnknownValueError (the engine would downgrade it to an
ADVISORY "can't run policy ... during preview", and a stack policy runs again under ``pulumi up`` only after
the resources exist). A value unknown during preview that keeps a fact from being read is an UNKNOWN
finding at the policy's own level, naming the input: residency-location reports those of resource-scope
facts (it is the rule every resource answers to), each stack policy those of program-scope facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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

from residency.jurisdictions import default_catalogue
from residency.model import Finding, Status
from residency.rules.base import Rule
from residency_pack.context import PackContext
from residency_pack.evaluation import render, unknown_findings
from residency_pack.external_auditor import external_auditor_policy
from residency_pack.judgement import (
    CONTEXT_BACKSTOP_RULE,
    RESOURCE_RULES,
    STACK_RULES,
    resource_judgement,
    stack_judgement,
)
from residency_pack.settings import PackSettings

PACK_NAME = "residency"
CONTEXT_POLICY = "residency-context"
EXCEPTIONS_POLICY = "residency-exceptions"
EXCEPTIONS_STACK_POLICY = "residency-exceptions-stack"
# Rules whose facts only the whole program shows (a field of each rule): judged in AnalyzeStack.
STACK_RULE_IDS = frozenset(r.id for r in STACK_RULES.rules)
DOCS_URL = "docs/policy.md"


def stack_rules() -> list[Rule]:
    return list(STACK_RULES.rules)


def resource_rules() -> list[Rule]:
    return list(RESOURCE_RULES.rules)


Settings = Callable[[], PackSettings]


def _require_context(args: ResourceValidationArgs | StackValidationArgs, ctx: PackContext) -> None:
    if not ctx.ok:
        args.not_applicable(f"the pack cannot judge this stack; see {CONTEXT_POLICY}")


def _report(report: ReportViolation, finding: Finding, ctx: PackContext, urn: str | None = None) -> None:
    exemption = ctx.exemptions.get(finding.exemption) if finding.exemption else None
    report(render(finding, exemption), urn)


def _resource_validation(rule: Rule, settings: Settings) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        judged = resource_judgement(args, settings())
        ctx = judged.ctx
        if rule.id == CONTEXT_BACKSTOP_RULE and not ctx.ok:
            problem = "the pack cannot judge this stack: " + "; ".join(ctx.problems)
            report(render(Finding(rule.id, Status.UNKNOWN, args.urn, None, problem)), None)
            return
        _require_context(args, ctx)
        for finding in judged.reports.get(rule.id, ()):
            _report(report, finding, ctx)

    return validate


def _stack_validation(rule: Rule, settings: Settings) -> Any:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        judged = stack_judgement(args, settings())
        ctx = judged.ctx
        _require_context(args, ctx)
        for finding in judged.by_rule.get(rule.id, ()):
            if finding.blocking:
                _report(report, finding, ctx, finding.resource)
        # A value the whole-program extractors could not read (and property dependencies did not resolve)
        # blocks now: under `pulumi up` this policy runs again only after the resources exist.
        for finding in unknown_findings(rule, judged.unknowns, judged.types):
            _report(report, finding, ctx, finding.resource)

    return validate


def _context_validation(settings: Settings) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        for problem in resource_judgement(args, settings()).ctx.problems:
            report(render(Finding(CONTEXT_POLICY, Status.UNKNOWN, args.urn, None, problem)), None)

    return validate


def _exception_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings an exemption waived, and transfers a transfer assessment let pass."""
    return [f for f in findings if f.exemption is not None or (f.status == Status.PASS and f.assessment is not None)]


def _exceptions_validation(settings: Settings) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        judged = resource_judgement(args, settings())
        _require_context(args, judged.ctx)
        for finding in _exception_findings(judged.findings):
            _report(report, finding, judged.ctx)

    return validate


def _exceptions_stack_validation(settings: Settings) -> Any:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        judged = stack_judgement(args, settings())
        _require_context(args, judged.ctx)
        for finding in _exception_findings(judged.findings):
            _report(report, finding, judged.ctx, finding.resource)

    return validate


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


def build_policies(settings: Settings = PackSettings) -> list[Policy]:
    """Every policy of the pack, each reading the pack's settings through ``settings`` (the server swaps in
    new settings when the engine configures the pack; the default is the unconfigured pack)."""
    policies: list[Policy] = [
        ResourceValidationPolicy(
            name=CONTEXT_POLICY,
            description="The stack's jurisdiction is declared and known, and the governance registries are valid.",
            validate=_context_validation(settings),
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
            ResourceValidationPolicy(rule.id, rule.description, _resource_validation(rule, settings), **_metadata(rule))
        )
    for rule in stack_rules():
        policies.append(
            StackValidationPolicy(rule.id, rule.description, _stack_validation(rule, settings), **_metadata(rule))
        )
    policies.append(external_auditor_policy())
    exceptions_text = "Lists exemptions that waived a finding and transfer assessments a transfer relied on."
    policies.append(
        ResourceValidationPolicy(
            EXCEPTIONS_POLICY,
            exceptions_text,
            _exceptions_validation(settings),
            EnforcementLevel.ADVISORY,
            severity=Severity.LOW,
        )
    )
    policies.append(
        StackValidationPolicy(
            EXCEPTIONS_STACK_POLICY,
            exceptions_text,
            _exceptions_stack_validation(settings),
            EnforcementLevel.ADVISORY,
            severity=Severity.LOW,
        )
    )
    return policies
