"""Judging facts with the rule catalogue, as the pack's policies do it (shared by resource and stack scope).

No policy may leave a decision to the engine: a value unknown during preview makes pulumi_policy report an
ADVISORY "can't run policy" in place of the policy's own level, so a mandatory residency rule would not
block the preview, and under ``pulumi up`` a stack policy runs again only after the resources exist. So
every extractor runs on its own, an unknown value it meets is collected (never raised), the facts that
could be read are judged, and each unknown is reported as an UNKNOWN finding (blocking) that names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from pulumi_policy import StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from adapters.pulumi.aws_program import program_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import (
    UNKNOWNS_RESOLVED_BY_PROGRAM,
    ResourceView,
    extractors_for,
    load_extractors,
    placement_facts,
)
from residency.exemptions import Exemption
from residency.finding_wire import encode, from_finding
from residency.model import Fact, Finding, Status
from residency.rules import RULES_BY_ID
from residency.rules.base import Rule
from residency.rules.index import RuleIndex
from residency_pack.context import PackContext
from residency_pack.views import program_resource

# Values unknown during preview: (URN of the resource whose input was unknown, the error naming the input).
Unknowns = list[tuple[str, UnknownValueError]]
LOCATION_RULE = "residency-location"


def judge(rules: RuleIndex | Sequence[Rule], facts: Iterable[Fact], ctx: PackContext) -> list[Finding]:
    """Run ``rules`` on ``facts``; a rule that crashes is UNKNOWN (blocking), never a pass. Applies exemptions.

    Each fact is offered only to the rules of its kind (``RuleIndex``); pass an index built once where
    judging is repeated (the pack's policies do)."""
    assert ctx.rules is not None
    index = rules if isinstance(rules, RuleIndex) else RuleIndex(rules)
    findings: list[Finding] = []
    for fact in facts:
        for rule in index.candidates(fact):
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


def render(finding: Finding, exemption: Exemption | None = None) -> str:
    """What a person reads, then the finding itself as data (``residency.finding_wire``)."""
    rule = RULES_BY_ID.get(finding.rule)
    if exemption is not None:
        head = (
            f"[{finding.rule}] exempted by {exemption.id} ({exemption.reason}; owner {exemption.owner}; "
            f"expires {exemption.expires}): {finding.message}"
        )
    elif finding.status == Status.PASS:
        head = f"[{finding.rule}] {finding.message}"
    else:
        state = "cannot be verified" if finding.status == Status.UNKNOWN else "violated"
        head = f"[{finding.rule} {state}] {finding.message}"
    fix = f"\nFix: {rule.remediation[0]}" if rule is not None and finding.blocking else ""
    return f"{head}{fix}\n{encode(from_finding(finding, exemption))}"


def unknown_path(err: UnknownValueError) -> str:
    return "." + ".".join(str(p) for p in err.props)


def unknown_findings(rule: Rule, unknowns: Unknowns, types: dict[str, str]) -> list[Finding]:
    """One UNKNOWN finding of ``rule`` per value that kept facts from being read (once, however many
    extractors met it: a provider's unknown account stops both placement and data paths)."""
    findings = []
    seen: set[tuple[str, str]] = set()
    for urn, err in unknowns:
        path = unknown_path(err)
        if (urn, path) in seen:
            continue
        seen.add((urn, path))
        what = types.get(urn, "the resource")
        message = (
            f"{what} cannot be judged during preview: its input {path} is unknown until the deployment runs, "
            "so the pack cannot show it stays in the jurisdiction"
        )
        findings.append(Finding(rule.id, Status.UNKNOWN, urn, None, message, unknown=path))
    return findings


def resource_facts(view: ResourceView, unknowns: Unknowns) -> list[Fact]:
    """Every fact one resource shows on its own, each extractor on its own; unknowns are collected.

    An unknown key (``key.arn`` before the key exists) is not collected: key custody and S3 default
    encryption are judged with the whole program, which resolves such a key through the property's
    dependency on the key resource, or reports it there (adapters.pulumi.preview_keys).
    """
    load_extractors()
    facts: list[Fact] = []
    try:
        facts.extend(placement_facts(view))
    except UnknownValueError as err:
        unknowns.append((view.urn, err))
    for fn in extractors_for(view.type):
        try:
            facts.extend(list(fn(view, None)))  # all of an extractor's facts or none of them
        except UnknownValueError as err:
            if fn not in UNKNOWNS_RESOLVED_BY_PROGRAM:
                unknowns.append((view.urn, err))
    return facts


def with_unknown_region(findings: list[Finding], view: ResourceView) -> list[Finding]:
    """Location findings on a resource whose region was unknown name the unknown input."""
    if view.region_unknown is None:
        return findings
    return [
        replace(f, unknown=view.region_unknown) if f.rule == LOCATION_RULE and f.status == Status.UNKNOWN else f
        for f in findings
    ]


def program_of(args: StackValidationArgs, ctx: PackContext) -> list[ProgramResource]:
    return [program_resource(resource, ctx.stack_region) for resource in args.resources]


def stack_facts(program: Sequence[ProgramResource], unknowns: Unknowns) -> list[Fact]:
    """Every fact of the program. Unknowns met by resource-scope extractors are the resource policies' to
    report; unknowns met by program-scope extractors are collected for the stack policies."""
    facts: list[Fact] = []
    for resource in program:
        facts.extend(resource_facts(resource.view, []))
    facts.extend(program_facts(program, unknowns))
    return facts
