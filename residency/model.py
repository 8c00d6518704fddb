"""The normalised model every residency rule reads.

Adapters turn Pulumi resource properties (before deployment) or boto3 descriptions (after) into these
facts; rules never see either source format, so one rule serves the policy pack and the live auditor.
A ``None`` region always means "could not be determined", never "no region": rules treat it as UNKNOWN
or FAIL, never as a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    # The rule could not decide (a value is missing or unresolvable). Reported, and blocking.
    UNKNOWN = "UNKNOWN"
    # The check itself could not run (API failure, access denied). Only the live auditor produces it.
    ERROR = "ERROR"


class Category(StrEnum):
    RESIDENCY = "residency"
    ENCRYPTION = "encryption"
    ACCESS = "access"
    NETWORK = "network"
    OVERSIGHT = "oversight"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Vector(StrEnum):
    """A way AWS moves or copies data out of a region. Each has its own rule."""

    S3_REPLICATION = "s3-replication"
    S3_MULTI_REGION_ACCESS_POINT = "s3-multi-region-access-point"
    KMS_MULTI_REGION_KEY = "kms-multi-region-key"
    DYNAMODB_GLOBAL_TABLE = "dynamodb-global-table"
    RDS_READ_REPLICA = "rds-read-replica"
    RDS_BACKUP_REPLICATION = "rds-backup-replication"
    AURORA_GLOBAL_DATABASE = "aurora-global-database"
    SECRETS_MANAGER_REPLICA = "secrets-manager-replica"
    ECR_REPLICATION = "ecr-replication"
    EFS_REPLICATION = "efs-replication"
    BACKUP_COPY = "backup-copy"
    EBS_SNAPSHOT_COPY = "ebs-snapshot-copy"
    EBS_SNAPSHOT_SHARE = "ebs-snapshot-share"
    AMI_COPY = "ami-copy"
    DLM_CROSS_REGION_COPY = "dlm-cross-region-copy"
    REDSHIFT_SNAPSHOT_COPY = "redshift-snapshot-copy"
    VPC_PEERING = "vpc-peering"
    TRANSIT_GATEWAY_PEERING = "transit-gateway-peering"
    CLOUDFRONT = "cloudfront"
    ELASTICACHE_GLOBAL_DATASTORE = "elasticache-global-datastore"
    DOCDB_GLOBAL_CLUSTER = "docdb-global-cluster"
    NEPTUNE_GLOBAL_CLUSTER = "neptune-global-cluster"
    CONFIG_AGGREGATOR = "config-aggregator"
    SECURITY_HUB_AGGREGATOR = "security-hub-aggregator"
    # Data paths found by searching every input (residency.destinations), labelled by the resource type's
    # catalogue entry (residency.resource_types). One rule judges them all: transfer-data-path.
    MESSAGING_FAN_OUT = "messaging-fan-out"
    DELIVERY_STREAM = "delivery-stream"
    MIGRATION = "migration"
    SNAPSHOT_COPY = "snapshot-copy"
    ACCOUNT_SHARING = "account-sharing"
    RESOURCE_POLICY = "resource-policy"
    LOGGING_DESTINATION = "logging-destination"
    EMBEDDED_INFRASTRUCTURE = "embedded-infrastructure"
    OTHER_PROVIDER = "other-provider"
    RESOURCE_REFERENCE = "resource-reference"


# The vectors of data paths found by discovery, all judged by the one rule transfer-data-path; every other
# vector has a dedicated rule (transfer-<vector>).
DATA_PATH_VECTORS: frozenset[Vector] = frozenset(
    {
        Vector.MESSAGING_FAN_OUT,
        Vector.DELIVERY_STREAM,
        Vector.MIGRATION,
        Vector.SNAPSHOT_COPY,
        Vector.ACCOUNT_SHARING,
        Vector.RESOURCE_POLICY,
        Vector.LOGGING_DESTINATION,
        Vector.EMBEDDED_INFRASTRUCTURE,
        Vector.OTHER_PROVIDER,
        Vector.RESOURCE_REFERENCE,
    }
)


@dataclass(frozen=True)
class Destination:
    """Where a transfer sends data.

    ``region`` is None when it cannot be resolved (an S3 ARN of a bucket outside the program, an
    account id). ``worldwide`` marks services that copy data to every edge location. ``host`` is a host
    outside AWS; ``provider`` another Pulumi provider's package (a SaaS, another cloud); ``public`` means
    anyone at all (a ``*`` principal, ``all``), which no assessment can cover.
    """

    description: str
    region: str | None = None
    account: str | None = None
    worldwide: bool = False
    host: str | None = None
    provider: str | None = None
    public: bool = False
    # An S3 bucket named by ARN or name: S3 is one global namespace, so only the whole program can place it.
    bucket: str | None = None
    # ``account`` is granted access or given the data (a principal, a share), not only where a referenced
    # resource lives.
    grantee: bool = False
    # ``account`` is an IAM identity's (a role the resource acts as): global, so the ARN names no region.
    identity: bool = False


@dataclass(frozen=True)
class Placement:
    """A resource exists (or will exist) in ``region``.

    ``unknown_because`` says why the region is None when that is more than "not determinable" (e.g. the
    resource belongs to a cloud provider the tool does not model).
    """

    resource: str
    resource_type: str
    region: str | None
    unknown_because: str | None = None
    # What is placed when it is a part of the resource rather than the resource itself (an endpoint
    # override of a provider: its API calls, and the data in them, go there).
    part: str | None = None
    # The AWS accounts the resource may be deployed into when its explicit provider names them (the account of
    # the role it assumes, else its allowed accounts); empty when the stack's own account applies.
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transfer:
    """``resource`` moves or copies data from ``source_region`` to ``destination`` through ``vector``."""

    vector: Vector
    resource: str
    resource_type: str
    source_region: str | None
    destination: Destination
    # The account the resource itself is deployed into, when its explicit provider says so (a stack that
    # deploys into several accounts): its own account is not another account.
    source_account: str | None = None


@dataclass(frozen=True)
class KeyReference:
    """``resource`` encrypts data for ``purpose`` under the KMS key ``key`` held in ``key_region``."""

    resource: str
    resource_type: str
    purpose: str
    key: str
    key_region: str | None


@dataclass(frozen=True)
class ControlState:
    """Whether one of the enclave's own promises (``control``) holds for ``resource``.

    ``satisfied`` None means the state could not be read.
    """

    control: str
    resource: str
    resource_type: str
    region: str | None
    satisfied: bool | None
    detail: str = ""


@dataclass(frozen=True)
class RoleTrust:
    """An IAM role's trust policy and longest session, as the plan or the account shows them.

    ``document`` is the trust policy as JSON text (None: it could not be read); ``max_session_seconds`` None
    means the role's maximum session could not be read.
    """

    resource: str
    resource_type: str
    region: str | None
    role_name: str
    document: str | None
    max_session_seconds: int | None


@dataclass(frozen=True)
class ZonePinning:
    """``resource`` (a Kubernetes StorageClass or PersistentVolume) keeps volumes in availability ``zones``.

    ``zones`` None means they could not be read; an empty tuple means the storage is not pinned at all.
    """

    resource: str
    resource_type: str
    zones: tuple[str, ...] | None


@dataclass(frozen=True)
class ClusterBinding:
    """``resource`` (a Kubernetes provider) deploys to EKS cluster ``cluster`` in ``region``.

    ``region`` None: the target region could not be read. ``declared_region`` is the region of the EKS
    cluster of that name declared in the same program, or None when the program declares none.
    """

    resource: str
    resource_type: str
    cluster: str | None
    region: str | None
    declared_region: str | None
    detail: str = ""


@dataclass(frozen=True)
class NamespaceLabels:
    """A Kubernetes namespace's enclave labels: the jurisdiction and data class it declares (None: absent)."""

    resource: str
    resource_type: str
    namespace: str | None
    jurisdiction: str | None
    data_class: str | None


Fact = Placement | Transfer | KeyReference | ControlState | ZonePinning | ClusterBinding | NamespaceLabels | RoleTrust


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule on one fact."""

    rule: str
    status: Status
    resource: str
    region: str | None
    message: str
    # The transfer assessment that made a cross-border transfer PASS, or that expired.
    assessment: str | None = None
    # The exemption that waived this finding, if any.
    exemption: str | None = None
    # Where a transfer sends data, in words (a transfer rule's finding), or None.
    destination: str | None = None
    # The input whose value could not be read (unknown during preview), when that is why it is UNKNOWN.
    unknown: str | None = None

    @property
    def blocking(self) -> bool:
        """A FAIL or UNKNOWN that no exemption waives blocks a deployment and fails an audit."""
        return self.status in (Status.FAIL, Status.UNKNOWN) and self.exemption is None
