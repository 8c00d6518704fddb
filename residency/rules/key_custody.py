"""Key custody: data is encrypted under KMS keys held inside the jurisdiction."""

from __future__ import annotations

from residency import rule_ids
from residency.model import Category, Fact, Finding, KeyReference, Severity, Status
from residency.regions import account_from_arn
from residency.rules.base import Context, Rule, Scope


def check_key_custody(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, KeyReference)
    j = ctx.jurisdiction
    if fact.key_region is None:
        return Finding(
            rule.id,
            Status.UNKNOWN,
            fact.resource,
            None,
            f"{fact.purpose} uses key {fact.key} whose region cannot be determined; "
            f"it cannot be shown to be held in {j.name}",
        )
    owner = account_from_arn(fact.key)
    if owner is not None and ctx.account is not None and owner != ctx.account:
        # Whoever holds the key controls the data: a key of another account is custody elsewhere,
        # even in the right region.
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            fact.key_region,
            f"{fact.purpose} uses key {fact.key} held by account {owner}, not the enclave's account {ctx.account}",
        )
    other = ctx.catalogue.account_owner(owner) if owner is not None and ctx.account is None else None
    if owner is not None and other is not None and not ctx.owns_account(owner):
        # The stack's account is not known, but the catalogue knows the key's: another jurisdiction's enclave.
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            fact.key_region,
            f"{fact.purpose} uses key {fact.key} held by account {owner}, an enclave account of {other.name}, "
            f"not {j.name}'s",
        )
    if j.allows(fact.key_region):
        return Finding(
            rule.id, Status.PASS, fact.resource, fact.key_region, f"{fact.purpose} key is held in {fact.key_region}"
        )
    return Finding(
        rule.id,
        Status.FAIL,
        fact.resource,
        fact.key_region,
        f"{fact.purpose} uses key {fact.key} held in {fact.key_region}, outside {j.name}",
    )


KEY_CUSTODY = Rule(
    id=rule_ids.KEY_CUSTODY,
    title="Encryption keys are held in the jurisdiction",
    description=(
        "Every KMS key a resource encrypts with (S3 SSE, RDS, EBS, DynamoDB, Secrets Manager, "
        "CloudWatch Logs, EKS secrets) is a key in one of the jurisdiction's regions, held by the enclave's own "
        "account when that account is known, and never by an account the catalogue gives another jurisdiction."
    ),
    category=Category.RESIDENCY,
    severity=Severity.CRITICAL,
    remediation=(
        "Use the enclave's own key (EnclaveKeys) or another key created in the jurisdiction's home region.",
        "Never reference a key ARN from another region: whoever holds the key controls the data.",
    ),
    references=("GDPR Art. 32 and Art. 44", "EDPB Recommendations 01/2020, use case 1", "UK GDPR Art. 32"),
    applies_to=lambda fact: isinstance(fact, KeyReference),
    judges=((KeyReference, None),),
    check=check_key_custody,
    # A key is often created in the same program: its region is resolved from the key resource.
    scope=Scope.PROGRAM,
)
