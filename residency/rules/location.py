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


def _foreign_account(fact: Placement, what: str, ctx: Context) -> tuple[Status, str] | None:
    """Why a resource in the right region is still outside: its provider deploys it into an account that is
    another jurisdiction's (FAIL) or that cannot be shown to be this jurisdiction's (UNKNOWN)."""
    j = ctx.jurisdiction
    for account in fact.accounts:
        if ctx.owns_account(account):
            continue
        other = ctx.catalogue.account_owner(account)
        if other is not None:
            return Status.FAIL, (
                f"{what} is deployed by its provider into account {account}, an enclave account of {other.name}, "
                f"not of {j.name}"
            )
        declare = "" if ctx.account else ", or declare it as the stack's enclave:accountId"
        return Status.UNKNOWN, (
            f"{what} is deployed by its provider into account {account}, which cannot be verified as an enclave "
            f"account of {j.name} (list it under accounts of {j.id!r} in residency/catalogue.toml{declare})"
        )
    return None


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
        foreign = _foreign_account(fact, what, ctx)
        if foreign is not None:
            status, why = foreign
            return Finding(rule.id, status, fact.resource, fact.region, why)
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
    description=(
        "Every regional resource and every explicit AWS provider is in one of the jurisdiction's regions; a "
        "regional resource whose provider names its account is in one of the jurisdiction's accounts."
    ),
    category=Category.RESIDENCY,
    severity=Severity.CRITICAL,
    remediation=(
        "Set the resource's `region` (or its provider's `region`) to one of the jurisdiction's regions, and its "
        "provider's `allowedAccountIds`/`assumeRoles` to the jurisdiction's enclave accounts.",
        "If the resource must live elsewhere, it does not belong in this enclave's stack.",
    ),
    references=REFERENCES,
    applies_to=lambda fact: isinstance(fact, Placement),
    judges=((Placement, None),),
    check=check_location,
)
