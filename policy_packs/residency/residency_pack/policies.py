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

import os
import threading
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

from residency.jurisdictions import default_catalogue
from residency.model import Finding, Status
from residency.rules import RULES
from residency.rules.base import Rule, Scope
from residency_pack.context import PackContext, build_context
from residency_pack.evaluation import (
    Unknowns,
    judge,
    program_of,
    render,
    resource_facts,
    stack_facts,
    unknown_findings,
    with_unknown_region,
)
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
    # Whether residency-context ran at all in this pack process (the engine starts one per deployment).
    context_ran: bool = False


# The resource residency-context last ran for, per thread: pulumi_policy runs every policy for one Analyze
# call in order on one thread (residency-context first), while calls for different resources run in parallel.
_LAST_CONTEXT = threading.local()


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
        # The registries bundled in a built pack (enclave pack build), else the repository's governance/.
        bundled = (STATE.pack_dir / "governance").is_dir()
        default = Path("governance") if bundled else Path("../../governance")
        directory = Path(STATE.governance_dir) if STATE.governance_dir else default
        ctx = _CONTEXTS[key] = build_context(STATE.pinned, STATE.pack_dir / directory)
    return ctx


def stack_rules() -> list[Rule]:
    return [r for r in RULES if r.id in STACK_RULE_IDS]


def resource_rules() -> list[Rule]:
    return [r for r in RULES if r.id not in STACK_RULE_IDS]


def _require_context(args: ResourceValidationArgs | StackValidationArgs) -> PackContext:
    ctx = current_context()
    if not ctx.ok or not _context_ran(args):
        args.not_applicable(f"the pack cannot judge this stack; see {CONTEXT_POLICY}")
    return ctx


def _context_ran(args: ResourceValidationArgs | StackValidationArgs) -> bool:
    """Whether residency-context ran for this resource (for the stack: for any resource).

    It carries the pinned jurisdiction and the governance directory to every other policy. Disabled in
    policy-pack config, it never runs, and judging without it would silently drop the pin (the stack's
    own config would choose the jurisdiction) and the registries: so nothing is judged, and the backstop
    blocks.
    """
    if isinstance(args, StackValidationArgs):
        return STATE.context_ran
    return getattr(_LAST_CONTEXT, "urn", None) == args.urn


# The rule that still blocks when the context is broken, so that disabling residency-context alone (in
# policy-pack config) cannot silence the pack: every resource then fails location, naming the problem.
CONTEXT_BACKSTOP_RULE = "residency-location"
CONTEXT_DISABLED = (
    f"{CONTEXT_POLICY} did not run (disabled in policy-pack config?): the pinned jurisdiction and the "
    "governance registries it carries are unknown, so nothing can be judged; re-enable it"
)


def _backstop_problem(args: ResourceValidationArgs) -> str | None:
    if not _context_ran(args):
        return CONTEXT_DISABLED
    ctx = current_context()
    return None if ctx.ok else "the pack cannot judge this stack: " + "; ".join(ctx.problems)


def _report(report: ReportViolation, finding: Finding, ctx: PackContext, urn: str | None = None) -> None:
    exemption = ctx.exemptions.get(finding.exemption) if finding.exemption else None
    report(render(finding, exemption), urn)


def _resource_validation(rule: Rule) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if rule.id == CONTEXT_BACKSTOP_RULE and (problem := _backstop_problem(args)) is not None:
            finding = Finding(rule.id, Status.UNKNOWN, args.urn, None, problem)
            report(render(finding), None)
            return
        ctx = _require_context(args)
        view = view_of(args, ctx.stack_region)
        unknowns: Unknowns = []
        findings = with_unknown_region(judge([rule], resource_facts(view, unknowns), ctx), view)
        if rule.id == CONTEXT_BACKSTOP_RULE:
            # An unknown input kept some fact of this resource from being read; which rule that fact was
            # for cannot be known, so the rule every resource answers to reports it, and it blocks.
            findings += unknown_findings(rule, unknowns, {view.urn: view.type})
        for finding in findings:
            if finding.blocking:
                _report(report, finding, ctx)

    return validate


def _stack_validation(rule: Rule) -> Any:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        ctx = _require_context(args)
        unknowns: Unknowns = []
        program = program_of(args, ctx)
        facts = [f for f in stack_facts(program, unknowns) if rule.applies_to(f)]
        for finding in judge([rule], facts, ctx):
            if finding.blocking:
                _report(report, finding, ctx, finding.resource)
        # A value the whole-program extractors could not read (and property dependencies did not resolve)
        # blocks now: under `pulumi up` this policy runs again only after the resources exist.
        types = {r.view.urn: r.view.type for r in program}
        for finding in unknown_findings(rule, unknowns, types):
            _report(report, finding, ctx, finding.resource)

    return validate


def _validate_context(args: ResourceValidationArgs, report: ReportViolation) -> None:
    config = args.get_config()
    STATE.pinned = config.get("jurisdiction") or None
    STATE.governance_dir = config.get("governanceDir") or None
    _LAST_CONTEXT.urn = args.urn
    STATE.context_ran = True
    for problem in current_context().problems:
        report(render(Finding(CONTEXT_POLICY, Status.UNKNOWN, args.urn, None, problem)), None)


def _exception_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings an exemption waived, and transfers a transfer assessment let pass."""
    return [f for f in findings if f.exemption is not None or (f.status == Status.PASS and f.assessment is not None)]


def _validate_exceptions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    ctx = _require_context(args)
    view = view_of(args, ctx.stack_region)
    for finding in _exception_findings(judge(resource_rules(), resource_facts(view, []), ctx)):
        _report(report, finding, ctx)


def _validate_exceptions_stack(args: StackValidationArgs, report: ReportViolation) -> None:
    ctx = _require_context(args)
    for finding in _exception_findings(judge(stack_rules(), stack_facts(program_of(args, ctx), []), ctx)):
        _report(report, finding, ctx, finding.resource)


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
