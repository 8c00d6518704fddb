"""transfer-data-path: every destination found in a resource's inputs stays in the jurisdiction.

The one rule core for data paths found by discovery (``residency.data_paths``), whatever the service:
- a region outside the jurisdiction is a transfer, which needs a valid transfer assessment;
- an account that is neither the enclave's own nor one of the jurisdiction's enclave accounts is sharing,
  which needs an assessment naming that account;
- a host outside AWS is an external transfer, which needs an assessment naming that host;
- another provider's resource, or a value the gate cannot read, cannot be verified (UNKNOWN) unless an
  assessment covers it;
- public access (``*``, ``all``, a public ACL) is a violation no assessment can cover.
"""

from __future__ import annotations

from residency.model import DATA_PATH_VECTORS, Category, Fact, Finding, Severity, Status, Transfer
from residency.rule_ids import TRANSFER_BUCKET_DESTINATION, TRANSFER_DATA_PATH
from residency.rules.base import Context, FactKind, Rule, Scope
from residency.rules.transfers import TRANSFER_REFERENCES, covering_assessment, own_account


def _outside(fact: Transfer, ctx: Context) -> tuple[Status, str] | None:
    """Why the destination is outside (FAIL) or cannot be proven inside (UNKNOWN); None when it is inside."""
    j, dest = ctx.jurisdiction, fact.destination
    if dest.host is not None:
        return Status.FAIL, f"{dest.description} sends data outside AWS"
    if dest.worldwide:
        return Status.FAIL, f"{dest.description} sends data worldwide, outside {j.name}"
    if dest.provider is not None:
        return Status.UNKNOWN, f"{dest.description} cannot be placed by the gate"
    if dest.region is not None and not j.allows(dest.region):
        return Status.FAIL, f"{dest.description} is in {dest.region}, outside {j.name}"
    if dest.account is not None and not own_account(dest.account, ctx, fact):
        other = ctx.catalogue.account_owner(dest.account)
        if other is None and ctx.account is None and not dest.grantee and (dest.region is not None or dest.identity):
            # A resource's own ARN in its region, or the role it acts as (IAM is global; AWS passes a role only
            # within its account): whose account it is cannot be told (as key custody), and it names no other
            # place. A grant to the account, or an account the catalogue places elsewhere, is still judged.
            return None
        if other is None and ctx.account is None:
            return Status.UNKNOWN, (
                f"{dest.description} names account {dest.account}, which cannot be verified as an enclave account "
                f"of {j.name} (set enclave:accountId, or list the account in residency/catalogue.toml)"
            )
        whose = f"an enclave account of {other.name}" if other else "not an enclave account of any jurisdiction"
        return Status.FAIL, f"{dest.description} shares with account {dest.account} ({whose}), not {j.name}'s"
    if dest.region is None and dest.account is None:
        return Status.UNKNOWN, f"{dest.description}: cannot be verified to stay in {j.name}"
    return None


def check_data_path(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, Transfer)
    dest = fact.destination
    if dest.public:
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            fact.source_region,
            f"{fact.vector} admits anyone: {dest.description}; public access to enclave data is never allowed",
        )
    outside = _outside(fact, ctx)
    if outside is None:
        where = dest.region or f"account {dest.account}"
        return Finding(rule.id, Status.PASS, fact.resource, dest.region, f"{dest.description} stays in {where}")
    status, why = outside
    assessment, expired = covering_assessment(fact, ctx)
    if assessment is not None:
        said = (
            f"transfer assessment {assessment.id} expired on {assessment.review_by}"
            if expired
            else f"covered by transfer assessment {assessment.id} ({assessment.legal_mechanism}, "
            f"review by {assessment.review_by})"
        )
        status = Status.FAIL if expired else Status.PASS
        return Finding(
            rule.id, status, fact.resource, dest.region, f"{fact.vector}: {why}; {said}", assessment=assessment.id
        )
    return Finding(rule.id, status, fact.resource, dest.region, f"{fact.vector}: {why}, with no transfer assessment")


# Every data-path vector a discovered destination can carry (residency.data_paths.vector_for).
DATA_PATH_KINDS: tuple[FactKind, ...] = tuple((Transfer, v) for v in sorted(DATA_PATH_VECTORS))

DATA_PATH = Rule(
    id=TRANSFER_DATA_PATH,
    title="Every destination a resource names stays in the jurisdiction",
    description=(
        "Every region, account, host and principal found in a resource's inputs (ARNs, region codes, AWS and "
        "external hosts, account ids, policy principals) is inside the jurisdiction and its enclave accounts, "
        "or covered by a valid transfer assessment; public access is never allowed."
    ),
    category=Category.RESIDENCY,
    severity=Severity.HIGH,
    remediation=(
        "Point the property named in the message at a resource of the jurisdiction (or remove the grant), or "
        "record a transfer assessment for that destination (region, account, host or provider) and vector.",
        "A type the gate reads wrongly is corrected in residency/resource_types/<package>.toml "
        "(in/out/principals), reviewed like code.",
    ),
    references=TRANSFER_REFERENCES,
    applies_to=lambda fact: _data_path(fact) and fact.destination.bucket is None,  # type: ignore[union-attr]
    check=check_data_path,
    scope=Scope.RESOURCE,
    judges=DATA_PATH_KINDS,
)


def _data_path(fact: Fact) -> bool:
    return isinstance(fact, Transfer) and fact.vector in DATA_PATH_VECTORS


BUCKET_DESTINATION = Rule(
    id=TRANSFER_BUCKET_DESTINATION,
    title="Every S3 bucket a resource sends data to is in the jurisdiction",
    description=(
        "An S3 bucket named by a resource's inputs (a log, export or delivery destination, a bucket ARN) is a "
        "bucket of this program placed in the jurisdiction, or covered by a valid transfer assessment. S3 ARNs "
        "carry no region, so a bucket outside the program cannot be proven in the jurisdiction."
    ),
    category=Category.RESIDENCY,
    severity=Severity.HIGH,
    remediation=(
        "Send the data to a bucket this program declares in the jurisdiction, or record a transfer assessment "
        "for the bucket's region or account.",
    ),
    references=TRANSFER_REFERENCES,
    applies_to=lambda fact: _data_path(fact) and fact.destination.bucket is not None,  # type: ignore[union-attr]
    check=check_data_path,
    scope=Scope.PROGRAM,
    judges=DATA_PATH_KINDS,
)

DATA_PATH_RULES: tuple[Rule, ...] = (DATA_PATH, BUCKET_DESTINATION)
