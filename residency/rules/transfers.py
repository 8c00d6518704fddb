"""Transfer vectors: data leaves the jurisdiction only under a valid, unexpired transfer assessment.

One rule per vector so that a reviewer sees "transfer-s3-replication" rather than a generic failure,
and so that policy configuration can address each vector; the decision logic is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from residency.assessments import TransferAssessment
from residency.model import DATA_PATH_VECTORS, Category, Fact, Finding, Severity, Status, Transfer, Vector
from residency.rule_ids import transfer_rule_id
from residency.rules.base import Context, Rule, Scope

TRANSFER_REFERENCES = (
    "GDPR Art. 44-49 (transfers to third countries)",
    "UK GDPR Art. 44-49 and ICO Transfer Risk Assessment tool",
    "DPDP Act 2023 s.16",
    "EDPB Recommendations 01/2020",
)


def covering_assessment(fact: Transfer, ctx: Context) -> tuple[TransferAssessment | None, bool]:
    """The assessment that covers the transfer and whether it expired: the valid one reviewed last, else the
    expired one reviewed last (an expired assessment does not cover, but the finding names it); or None."""
    matches = ctx.assessments.for_transfer(fact, ctx.jurisdiction.id, ctx.catalogue)
    valid = [a for a in matches if not a.expired(ctx.today)]
    if valid:
        return max(valid, key=lambda a: a.review_by), False
    if matches:
        return max(matches, key=lambda a: a.review_by), True
    return None, False


def own_account(account: str, ctx: Context, fact: Transfer) -> bool:
    """The stack's enclave account, one of the jurisdiction's, or the enclave account (of any jurisdiction, by
    the catalogue) the resource is itself deployed into: a role in a member account that names that account's
    own boundary shares nothing. An account the catalogue does not know is never its own by that route."""
    if ctx.owns_account(account):
        return True
    return account == fact.source_account and ctx.catalogue.account_owner(account) is not None


def check_transfer(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, Transfer)
    finding = _finding(fact, rule, ctx)
    return replace(finding, destination=fact.destination.description)


def _finding(fact: Transfer, rule: Rule, ctx: Context) -> Finding:
    j = ctx.jurisdiction
    dest = fact.destination
    region = dest.region
    # A peer, registry or vault of another account is that account's, wherever it is: sharing. Without the
    # stack's own account, an account the catalogue does not list cannot be told apart from it (as in
    # transfer-data-path), and the region decides.
    other = dest.account is not None and not own_account(dest.account, ctx, fact)
    known = ctx.account is not None or (dest.account is not None and ctx.catalogue.account_owner(dest.account))
    foreign = other and bool(known)
    if dest.worldwide:
        where = f"{dest.description} (worldwide edge locations)"
    elif region is not None and j.allows(region) and foreign:
        where = (
            f"{dest.description} in {region}, of account {dest.account}, which is not an enclave account of {j.name}"
        )
    elif region is not None and j.allows(region):
        return Finding(
            rule.id, Status.PASS, fact.resource, region, f"{dest.description} is in {region}, inside {j.name}"
        )
    elif region is None and dest.account is not None and not other:
        # Shared with the enclave's own account, or another enclave account of the jurisdiction.
        return Finding(
            rule.id, Status.PASS, fact.resource, None, f"{dest.description}: account {dest.account} is {j.name}'s"
        )
    elif region is None:
        where = f"{dest.description}, whose region cannot be proven to be in {j.name}"
    else:
        where = f"{dest.description} in {region}, outside {j.name}"

    assessment, expired = covering_assessment(fact, ctx)
    if assessment is not None and not expired:
        return Finding(
            rule.id,
            Status.PASS,
            fact.resource,
            region,
            f"{fact.vector} to {where} is covered by transfer assessment {assessment.id} "
            f"({assessment.legal_mechanism}, review by {assessment.review_by})",
            assessment=assessment.id,
        )
    if assessment is not None:
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            region,
            f"{fact.vector} to {where}: transfer assessment {assessment.id} expired on {assessment.review_by}; "
            "re-review it and extend review_by",
            assessment=assessment.id,
        )
    return Finding(
        rule.id,
        Status.FAIL,
        fact.resource,
        region,
        f"{fact.vector} to {where} has no transfer assessment; record one or remove the transfer",
    )


@dataclass(frozen=True)
class _VectorText:
    title: str
    remediation: str
    severity: Severity = Severity.HIGH


_TEXT: dict[Vector, _VectorText] = {
    Vector.S3_REPLICATION: _VectorText(
        "S3 replication stays in the jurisdiction",
        "Point replication rules at a bucket in the jurisdiction, or record a transfer assessment for the destination.",
        Severity.CRITICAL,
    ),
    Vector.S3_MULTI_REGION_ACCESS_POINT: _VectorText(
        "S3 Multi-Region Access Points span only the jurisdiction",
        "Remove buckets outside the jurisdiction from the access point's regions.",
    ),
    Vector.KMS_MULTI_REGION_KEY: _VectorText(
        "KMS keys are not replicated out of the jurisdiction",
        "Create single-Region keys (multiRegion=false); do not create replica keys outside the jurisdiction.",
        Severity.CRITICAL,
    ),
    Vector.DYNAMODB_GLOBAL_TABLE: _VectorText(
        "DynamoDB global tables replicate only inside the jurisdiction",
        "Remove replicas (Table.replicas, TableReplica, GlobalTable) outside the jurisdiction.",
        Severity.CRITICAL,
    ),
    Vector.RDS_READ_REPLICA: _VectorText(
        "RDS read replicas stay in the jurisdiction",
        "Create read replicas only in the jurisdiction's regions.",
        Severity.CRITICAL,
    ),
    Vector.RDS_BACKUP_REPLICATION: _VectorText(
        "RDS automated backups are not replicated out of the jurisdiction",
        "Replicate automated backups only to a region of the jurisdiction.",
    ),
    Vector.AURORA_GLOBAL_DATABASE: _VectorText(
        "Aurora global databases span only the jurisdiction",
        "Attach secondary clusters only in the jurisdiction's regions.",
        Severity.CRITICAL,
    ),
    Vector.SECRETS_MANAGER_REPLICA: _VectorText(
        "Secrets are not replicated out of the jurisdiction",
        "Remove Secrets Manager replicas outside the jurisdiction.",
    ),
    Vector.ECR_REPLICATION: _VectorText(
        "ECR replication stays in the jurisdiction",
        "Limit ECR replication destinations to the jurisdiction's regions.",
        Severity.MEDIUM,
    ),
    Vector.EFS_REPLICATION: _VectorText(
        "EFS replication stays in the jurisdiction",
        "Replicate file systems only to a region of the jurisdiction.",
        Severity.CRITICAL,
    ),
    Vector.BACKUP_COPY: _VectorText(
        "AWS Backup copies stay in the jurisdiction",
        "Copy recovery points only to vaults in the jurisdiction's regions.",
    ),
    Vector.EBS_SNAPSHOT_COPY: _VectorText(
        "EBS snapshots are not copied out of the jurisdiction",
        "Copy snapshots only into the jurisdiction's regions.",
    ),
    Vector.EBS_SNAPSHOT_SHARE: _VectorText(
        "EBS snapshots are not shared outside the enclave",
        "Remove createVolumePermission grants to other accounts or to 'all'.",
        Severity.CRITICAL,
    ),
    Vector.AMI_COPY: _VectorText(
        "AMIs are not copied out of the jurisdiction",
        "Copy images only into the jurisdiction's regions.",
        Severity.MEDIUM,
    ),
    Vector.DLM_CROSS_REGION_COPY: _VectorText(
        "Lifecycle policies copy snapshots only inside the jurisdiction",
        "Set crossRegionCopyRules targets to the jurisdiction's regions.",
    ),
    Vector.REDSHIFT_SNAPSHOT_COPY: _VectorText(
        "Redshift snapshots are not copied out of the jurisdiction",
        "Set destinationRegion to a region of the jurisdiction.",
    ),
    Vector.VPC_PEERING: _VectorText(
        "VPC peering stays in the jurisdiction",
        "Peer only with VPCs in the jurisdiction's regions.",
    ),
    Vector.TRANSIT_GATEWAY_PEERING: _VectorText(
        "Transit gateway peering stays in the jurisdiction",
        "Peer only with transit gateways in the jurisdiction's regions.",
    ),
    Vector.CLOUDFRONT: _VectorText(
        "CloudFront does not cache enclave data at worldwide edges",
        "Serve enclave data from in-region endpoints, or record a transfer assessment for edge caching.",
    ),
    Vector.ELASTICACHE_GLOBAL_DATASTORE: _VectorText(
        "ElastiCache global datastores span only the jurisdiction",
        "Add secondary replication groups only in the jurisdiction's regions.",
    ),
    Vector.DOCDB_GLOBAL_CLUSTER: _VectorText(
        "DocumentDB global clusters span only the jurisdiction",
        "Attach secondary clusters only in the jurisdiction's regions.",
    ),
    Vector.NEPTUNE_GLOBAL_CLUSTER: _VectorText(
        "Neptune global databases span only the jurisdiction",
        "Attach secondary clusters only in the jurisdiction's regions.",
    ),
    Vector.CONFIG_AGGREGATOR: _VectorText(
        "AWS Config aggregators do not pull configuration out of the jurisdiction",
        "Aggregate into a region of the jurisdiction, or record a transfer assessment.",
        Severity.MEDIUM,
    ),
    Vector.SECURITY_HUB_AGGREGATOR: _VectorText(
        "Security Hub finding aggregation stays in the jurisdiction",
        "Link only the jurisdiction's regions, or record a transfer assessment.",
        Severity.MEDIUM,
    ),
}


# S3 names destination buckets by ARN, which carries no region: the program's own buckets resolve them.
_PROGRAM_VECTORS = frozenset({Vector.S3_REPLICATION, Vector.S3_MULTI_REGION_ACCESS_POINT})


def _transfer_rule(vector: Vector) -> Rule:
    text = _TEXT[vector]
    return Rule(
        id=transfer_rule_id(vector),
        title=text.title,
        description=(
            f"Data copied through {vector.value} goes only to regions of the jurisdiction, unless a valid, "
            "unexpired transfer risk assessment covers that destination."
        ),
        category=Category.RESIDENCY,
        severity=text.severity,
        remediation=(
            text.remediation,
            "If the flow is intended, record a transfer assessment in governance/transfer-assessments.toml "
            "and have it reviewed.",
        ),
        references=TRANSFER_REFERENCES,
        applies_to=lambda fact, v=vector: isinstance(fact, Transfer) and fact.vector == v,  # type: ignore[misc]
        check=check_transfer,
        vector=vector,
        scope=Scope.PROGRAM if vector in _PROGRAM_VECTORS else Scope.RESOURCE,
        judges=((Transfer, vector),),
    )


# One rule per dedicated vector; the data-path vectors share one rule (residency.rules.data_paths).
NAMED_VECTORS: tuple[Vector, ...] = tuple(v for v in Vector if v not in DATA_PATH_VECTORS)
TRANSFER_RULES: tuple[Rule, ...] = tuple(_transfer_rule(v) for v in NAMED_VECTORS)
