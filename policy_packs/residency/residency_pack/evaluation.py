"""Judging facts with the rule catalogue, as the pack's policies do it (shared by resource and stack scope)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pulumi_policy import StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from adapters.pulumi.aws_keys import key_references
from adapters.pulumi.aws_program import ProgramResource, program_facts
from adapters.pulumi.resources import EXTRACTORS, facts_for, placement_facts
from residency.model import Fact, Finding, Status
from residency.rules.base import Rule
from residency_pack.context import PackContext
from residency_pack.views import program_resource


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


def _salvaged_facts(resource: ProgramResource, pending: Pending) -> list[Fact]:
    """A resource whose ``facts_for`` met an unknown: the facts of every part that can still be read.

    Each extractor runs on its own, so one unknown value does not throw away the resource's known facts.
    An unknown key reference is not pending here: program analysis (``unknown_key_references``) judges
    every key of such a resource, or raises itself.
    """
    view = resource.view
    facts: list[Fact] = []
    try:
        facts.extend(placement_facts(view))
    except UnknownValueError as err:
        pending.append((view.urn, err))
    for fn in EXTRACTORS.get(view.type, ()):
        try:
            facts.extend(list(fn(view, None)))  # all of an extractor's facts or none of them
        except UnknownValueError as err:
            if fn is not key_references:
                pending.append((view.urn, err))
    return facts


def stack_facts(program: Sequence[ProgramResource], pending: Pending) -> list[Fact]:
    facts: list[Fact] = []
    for resource in program:
        try:
            facts.extend(facts_for(resource.view))
        except UnknownValueError:
            facts.extend(_salvaged_facts(resource, pending))
    try:
        facts.extend(program_facts(program))
    except UnknownValueError as err:
        pending.append(("", err))
    return facts
