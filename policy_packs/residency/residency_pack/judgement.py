"""One resource (or one stack) judged once per request, shared by every policy of the pack.

The engine asks each CrossGuard policy about each resource, and the pack has one policy per rule. Each
policy used to build the context, read the resource's facts and judge them on its own: about 40 times the
same work per resource. The pack's server (``residency_pack.pack``) now creates one ``ResourceJudgement``
per Analyze request (one ``StackJudgement`` per AnalyzeStack) and hands it to every policy with its
arguments; each policy reports its own rule's findings from it. So every rule is still its own policy,
individually visible and configurable, and the facts are built once.

A policy called without one (pulumi_policy's own handler, the tests' direct stand-in) builds its own.
Everything here is computed lazily: a policy that stops early (a broken context) builds no facts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from functools import cached_property

from pulumi_policy import ResourceValidationArgs, StackValidationArgs

from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from residency.model import Fact, Finding
from residency.rule_ids import LOCATION
from residency.rules import RULES, RULES_BY_ID
from residency.rules.base import Scope
from residency.rules.index import RuleIndex
from residency_pack.context import PackContext
from residency_pack.evaluation import (
    Unknowns,
    judge,
    program_of,
    resource_facts,
    stack_facts,
    unknown_findings,
    with_unknown_region,
)
from residency_pack.settings import PackSettings, context_for
from residency_pack.views import view_of

# Rules whose facts need the whole program (a field of each rule) are judged in AnalyzeStack.
STACK_RULES = RuleIndex(r for r in RULES if r.scope is Scope.PROGRAM)
RESOURCE_RULES = RuleIndex(r for r in RULES if r.scope is not Scope.PROGRAM)
RESOURCE_RULE_IDS = frozenset(r.id for r in RESOURCE_RULES.rules)
# The rule that still blocks when the context is broken, so that disabling residency-context alone (in
# policy-pack config) cannot silence the pack: every resource then fails location, naming the problem. It is
# also the rule every resource answers to, so it reports the resource's inputs unknown during preview.
CONTEXT_BACKSTOP_RULE = LOCATION


def _by_rule(findings: list[Finding]) -> Mapping[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule, []).append(finding)
    return grouped


class _Judgement(ABC):
    """The context, facts and findings of one request, each computed once, on first use."""

    rules: RuleIndex

    def __init__(self, settings: PackSettings) -> None:
        self.settings = settings

    @cached_property
    def ctx(self) -> PackContext:
        return context_for(self.settings)

    @abstractmethod
    def _collect(self, unknowns: Unknowns) -> list[Fact]:
        """This scope's facts; an input unknown during preview is appended to ``unknowns``."""

    @cached_property
    def _facts(self) -> tuple[list[Fact], Unknowns]:
        unknowns: Unknowns = []
        return self._collect(unknowns), unknowns

    @property
    def unknowns(self) -> Unknowns:
        """Values unknown during preview that kept some fact from being read."""
        return self._facts[1]

    @cached_property
    def findings(self) -> list[Finding]:
        """Every rule's findings (of this scope), exemptions applied; the context must be ok."""
        return judge(self.rules, self._facts[0], self.ctx)


class ResourceJudgement(_Judgement):
    """One resource, judged by every resource-scope rule."""

    rules = RESOURCE_RULES

    def __init__(self, args: ResourceValidationArgs, settings: PackSettings) -> None:
        super().__init__(settings)
        self.args = args

    @cached_property
    def view(self) -> ResourceView:
        return view_of(self.args, self.ctx.stack_region)

    def _collect(self, unknowns: Unknowns) -> list[Fact]:
        return resource_facts(self.view, unknowns)

    @cached_property
    def reports(self) -> Mapping[str, list[Finding]]:
        """What each resource rule's policy reports on the resource (context ok): its blocking findings, and
        for the backstop rule one UNKNOWN per input that kept a fact from being read (which rule that fact
        was for cannot be known, so the rule every resource answers to reports it, and it blocks). A rule
        not in here has nothing to report, so the server need not ask its policy."""
        view = self.view
        findings = with_unknown_region(self.findings, view)
        if self.unknowns:
            backstop = RULES_BY_ID[CONTEXT_BACKSTOP_RULE]
            findings = findings + unknown_findings(backstop, self.unknowns, {view.urn: view.type})
        return _by_rule([f for f in findings if f.blocking])


class StackJudgement(_Judgement):
    """The whole program, judged by every program-scope rule. Its unknowns are values the whole-program
    extractors could not read (and property dependencies did not resolve)."""

    rules = STACK_RULES

    def __init__(self, args: StackValidationArgs, settings: PackSettings) -> None:
        super().__init__(settings)
        self.args = args

    @cached_property
    def program(self) -> list[ProgramResource]:
        return program_of(self.args, self.ctx)

    def _collect(self, unknowns: Unknowns) -> list[Fact]:
        return stack_facts(self.program, unknowns)

    @cached_property
    def types(self) -> dict[str, str]:
        return {r.view.urn: r.view.type for r in self.program}

    @cached_property
    def by_rule(self) -> Mapping[str, list[Finding]]:
        return _by_rule(self.findings)


class SharedResourceArgs(ResourceValidationArgs):
    """pulumi_policy's arguments for one policy, carrying the request's shared judgement."""

    judgement: ResourceJudgement


class SharedStackArgs(StackValidationArgs):
    judgement: StackJudgement


def resource_judgement(args: ResourceValidationArgs, settings: PackSettings) -> ResourceJudgement:
    """The request's judgement when the pack's server made one, else one for this call alone."""
    if isinstance(args, SharedResourceArgs):
        return args.judgement
    return ResourceJudgement(args, settings)


def stack_judgement(args: StackValidationArgs, settings: PackSettings) -> StackJudgement:
    if isinstance(args, SharedStackArgs):
        return args.judgement
    return StackJudgement(args, settings)
