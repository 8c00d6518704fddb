"""Location: every regional resource lives in one of the jurisdiction's regions."""

from __future__ import annotations

from residency import rule_ids
from residency.model import Category, Fact, Finding, Placement, Severity, Status
from residency.rules.base import Context, Rule

REFERENCES = (
    "GDPR Art. 44-49",
    "UK GDPR Art. 44-49",
    "DPDP Act 2023 s.16",
    "Privacy Act 1988 (Cth) APP 8",
    "LGPD Art. 33",
)


def check_location(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, Placement)
    j = ctx.jurisdiction
    what = f"{fact.resource_type} {fact.part}" if fact.part else fact.resource_type
    if fact.region is None:
        why = fact.unknown_because or "has no determinable region"
        return Finding(
            rule.id,
            Status.UNKNOWN,
            fact.resource,
            None,
            f"{what} {why}; it cannot be shown to be in {j.name}",
        )
    if j.allows(fact.region):
        return Finding(rule.id, Status.PASS, fact.resource, fact.region, f"{fact.region} is in {j.name}")
    return Finding(
        rule.id,
        Status.FAIL,
        fact.resource,
        fact.region,
        f"{what} is in {fact.region}, outside {j.name} (allowed: {', '.join(j.sorted_regions())})",
    )


LOCATION = Rule(
    id=rule_ids.LOCATION,
    title="Resources stay in the jurisdiction's regions",
    description="Every regional resource and every explicit AWS provider is in one of the jurisdiction's regions.",
    category=Category.RESIDENCY,
    severity=Severity.CRITICAL,
    remediation=(
        "Set the resource's `region` (or its provider's `region`) to one of the jurisdiction's regions.",
        "If the resource must live elsewhere, it does not belong in this enclave's stack.",
    ),
    references=REFERENCES,
    applies_to=lambda fact: isinstance(fact, Placement),
    judges=((Placement, None),),
    check=check_location,
)
