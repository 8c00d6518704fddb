"""Judging facts with the rule catalogue, as the pack's policies do it (shared by resource and stack scope)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pulumi_policy import StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from adapters.pulumi_aws_stack import ProgramResource, program_facts
from adapters.pulumi_resources import facts_for
from enclave.policy.context import PackContext
from enclave.policy.views import program_resource
from residency.model import Fact, Finding, Status
from residency.rules.base import Rule


def judge(rules: Sequence[Rule], facts: Iterable[Fact], ctx: PackContext) -> list[Finding]:
    """Run ``rules`` on ``facts``; a rule that crashes is UNKNOWN (blocking), never a pass. Applies exemptions."""
    assert ctx.rules is not None
    findings: list[Finding] = []
    for fact in facts:
        for rule in rules:
            if not rule.applies_to(fact):
                continue
            try:
                findings.append(rule.evaluate(fact, ctx.rules))
            except Exception as err:
                resource = getattr(fact, "resource", "?")
                findings.append(
                    Finding(rule.id, Status.UNKNOWN, resource, None, f"rule {rule.id} could not evaluate: {err!r}")
                )
    return ctx.exemptions.apply(findings, ctx.rules.jurisdiction.id, ctx.rules.today)


def render(finding: Finding, rule: Rule) -> str:
    state = "cannot be verified" if finding.status == Status.UNKNOWN else "violated"
    return f"[{rule.id} {state}] {finding.message}\nFix: {rule.remediation[0]}"


# Unknown values met during stack analysis, by the URN whose property was unknown ("" for the program).
Pending = list[tuple[str, UnknownValueError]]


def program_of(args: StackValidationArgs, ctx: PackContext, pending: Pending) -> list[ProgramResource]:
    program: list[ProgramResource] = []
    for resource in args.resources:
        try:
            program.append(program_resource(resource, ctx.stack_region))
        except UnknownValueError as err:
            pending.append((resource.urn, err))
    return program


def stack_facts(program: Sequence[ProgramResource], pending: Pending) -> list[Fact]:
    facts: list[Fact] = []
    for resource in program:
        try:
            facts.extend(facts_for(resource.view))
        except UnknownValueError as err:
            pending.append((resource.view.urn, err))
    try:
        facts.extend(program_facts(program))
    except UnknownValueError as err:
        pending.append(("", err))
    return facts
