"""Every rule id, named once. Rule ids are a contract: exemptions, policy-pack config and reports name them.

A control rule's id is also the ``control`` of the ``ControlState`` facts it judges, and the auditor
records an API failure against the rule whose facts it could not read, so adapters name rules here too.
"""

from __future__ import annotations

from residency.model import Vector

LOCATION = "residency-location"
KEY_CUSTODY = "key-custody"

# The enclave's own controls (residency.rules.controls).
KMS_KEY_ROTATION = "kms-key-rotation"
S3_ENCRYPTION_KMS = "s3-encryption-kms"
S3_PUBLIC_ACCESS_BLOCKED = "s3-public-access-blocked"
VPC_FLOW_LOGS = "vpc-flow-logs"
TRAIL_LOG_VALIDATION = "trail-log-validation"
TRAIL_LOGGING = "trail-logging"
NO_INTERNET_GATEWAY = "no-internet-gateway"

# Hardening the enclave's own doors (residency.rules.hardening, issue 10).
TRAIL_COVERS_GLOBAL_EVENTS = "trail-covers-global-events"
VPC_ENDPOINT_POLICY = "vpc-endpoint-policy"
SERVICE_GRANT_BOUND = "service-grant-bound"
RECORDS_SOURCE_VPCE = "records-source-vpce"
GUARD_PROTECTED = "guard-protected"

# Who can become a person of the jurisdiction (residency.rules.identity, issue 10).
BREAK_GLASS_TRUST = "break-glass-trust"
OIDC_TRUST_PINNED = "oidc-trust-pinned"
JURISDICTION_TAG_GUARDED = "jurisdiction-tag-guarded"

# Every destination found in a resource's inputs (residency.rules.data_paths), the bucket ones judged with the
# whole program.
TRANSFER_DATA_PATH = "transfer-data-path"
TRANSFER_BUCKET_DESTINATION = "transfer-bucket-destination"

# The Kubernetes layer (residency.rules.kubernetes).
K8S_NAMESPACE_CLASSIFIED = "k8s-namespace-classified"
K8S_NAMESPACE_RESTRICTED = "k8s-namespace-restricted"
K8S_DEFAULT_DENY_EGRESS = "k8s-default-deny-egress"
K8S_NO_INTERNET_EGRESS = "k8s-no-internet-egress"
K8S_NO_HOST_ACCESS = "k8s-no-host-access"
K8S_STORAGE_ENCRYPTED = "k8s-storage-encrypted"
K8S_STORAGE_ZONE_PINNED = "k8s-storage-zone-pinned"
K8S_CLUSTER_IN_ENCLAVE = "k8s-cluster-in-enclave"
EKS_PRIVATE_ENDPOINT = "eks-private-endpoint"
EKS_SECRETS_ENCRYPTED = "eks-secrets-encrypted"
EKS_CONTROL_PLANE_LOGS = "eks-control-plane-logs"


def transfer_rule_id(vector: Vector) -> str:
    """The id of the rule that judges transfers by ``vector``: one rule per vector (residency.rules.transfers)."""
    return f"transfer-{vector.value}"
