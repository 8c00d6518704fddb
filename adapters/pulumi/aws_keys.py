"""Key references that one pulumi-aws resource shows on its own (resource scope).

Every KMS key a resource encrypts with is a ``KeyReference``; its region is the ARN's region, or the
resource's own region for a bare key id or alias (AWS resolves those in the caller's region).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from adapters.pulumi.kubernetes import STORAGE_CLASS
from adapters.pulumi.program import SSE_CONFIG
from adapters.pulumi.resources import (
    UNREADABLE,
    ProgramIndex,
    ResourceView,
    extractor,
    get_path,
    items,
    key_region,
    text,
)
from residency.model import Fact, KeyReference

# type token -> (purpose, property path to the key). A path step "*" iterates a list.
KEY_PATHS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    SSE_CONFIG: (("S3 default encryption", ("rules", "*", "applyServerSideEncryptionByDefault", "kmsMasterKeyId")),),
    "aws:s3/bucket:Bucket": (
        (
            "S3 default encryption (inline)",
            ("serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
        ),
        (
            "S3 replica encryption (inline)",
            ("replicationConfiguration", "rules", "*", "destination", "replicaKmsKeyId"),
        ),
    ),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (
        ("S3 replica encryption", ("rules", "*", "destination", "encryptionConfiguration", "replicaKmsKeyId")),
    ),
    "aws:rds/instance:Instance": (
        ("RDS storage encryption", ("kmsKeyId",)),
        ("RDS Performance Insights", ("performanceInsightsKmsKeyId",)),
        ("RDS master password secret", ("masterUserSecretKmsKeyId",)),
    ),
    "aws:rds/cluster:Cluster": (
        ("Aurora storage encryption", ("kmsKeyId",)),
        ("Aurora Performance Insights", ("performanceInsightsKmsKeyId",)),
    ),
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (
        ("replicated RDS backups", ("kmsKeyId",)),
    ),
    "aws:ebs/volume:Volume": (("EBS volume encryption", ("kmsKeyId",)),),
    "aws:ebs/defaultKmsKey:DefaultKmsKey": (("EBS default encryption", ("keyArn",)),),
    "aws:ebs/snapshotCopy:SnapshotCopy": (("EBS snapshot copy", ("kmsKeyId",)),),
    "aws:ec2/amiCopy:AmiCopy": (("AMI copy", ("kmsKeyId",)),),
    "aws:ec2/instance:Instance": (
        ("EC2 root volume", ("rootBlockDevice", "kmsKeyId")),
        ("EC2 EBS volume", ("ebsBlockDevices", "*", "kmsKeyId")),
    ),
    "aws:dynamodb/table:Table": (("DynamoDB encryption", ("serverSideEncryption", "kmsKeyArn")),),
    "aws:secretsmanager/secret:Secret": (("Secrets Manager encryption", ("kmsKeyId",)),),
    "aws:cloudwatch/logGroup:LogGroup": (("CloudWatch Logs encryption", ("kmsKeyId",)),),
    "aws:eks/cluster:Cluster": (("EKS secrets encryption", ("encryptionConfig", "provider", "keyArn")),),
    "aws:cloudtrail/trail:Trail": (("CloudTrail log encryption", ("kmsKeyId",)),),
    "aws:sns/topic:Topic": (("SNS topic encryption", ("kmsMasterKeyId",)),),
    "aws:sqs/queue:Queue": (("SQS queue encryption", ("kmsMasterKeyId",)),),
    "aws:efs/fileSystem:FileSystem": (("EFS encryption", ("kmsKeyId",)),),
    "aws:backup/vault:Vault": (("Backup vault encryption", ("kmsKeyArn",)),),
    "aws:ecr/repository:Repository": (("ECR encryption", ("encryptionConfigurations", "*", "kmsKey")),),
    "aws:redshift/cluster:Cluster": (("Redshift encryption", ("kmsKeyId",)),),
    "aws:elasticache/replicationGroup:ReplicationGroup": (("ElastiCache encryption", ("kmsKeyId",)),),
    "aws:kinesis/stream:Stream": (("Kinesis stream encryption", ("kmsKeyId",)),),
    "aws:ssm/parameter:Parameter": (("SSM parameter encryption", ("keyId",)),),
    "aws:docdb/cluster:Cluster": (("DocumentDB encryption", ("kmsKeyId",)),),
    "aws:neptune/cluster:Cluster": (("Neptune encryption", ("kmsKeyArn",)),),
}
KEY_PATHS["aws:s3/bucketV2:BucketV2"] = KEY_PATHS["aws:s3/bucket:Bucket"]
UNREADABLE_KEY = "(unreadable key reference)"


def values_at(value: object, path: tuple[str, ...]) -> Iterator[object]:
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for element in items(value):
            yield from values_at(element, rest)
    else:
        yield from values_at(get_path(value, head), rest)


def key_references(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    for purpose, path in KEY_PATHS.get(view.type, ()):
        for value in values_at(view.props, path):
            if value is UNREADABLE:  # a list property given as a string: which key it names is unknown
                yield KeyReference(view.urn, view.type, purpose, UNREADABLE_KEY, None)
                continue
            key = text(value)
            if key is not None:
                yield KeyReference(view.urn, view.type, purpose, key, key_region(key, view.region, index))


# A key ARN unknown at preview is resolved with the program (adapters.pulumi.preview_keys).
extractor(*KEY_PATHS, unknowns_resolved_by_program=True)(key_references)


# Replicas keep their own key, held in the replica's region (a bare id there means a key in that region):
# type -> (list property, key property, region property, purpose).
REPLICA_KEYS: dict[str, tuple[str, str, str, str]] = {
    "aws:dynamodb/table:Table": ("replicas", "kmsKeyArn", "regionName", "DynamoDB replica encryption"),
    "aws:secretsmanager/secret:Secret": ("replicas", "kmsKeyId", "region", "secret replica encryption"),
    "aws:efs/replicationConfiguration:ReplicationConfiguration": (
        "destination",
        "kmsKeyId",
        "region",
        "EFS replica encryption",
    ),
}


def replica_keys(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    list_prop, key_prop, region_prop, purpose = REPLICA_KEYS[view.type]
    for replica in items(view.props.get(list_prop)):
        key = text(get_path(replica, key_prop))
        if key is not None:
            region = text(get_path(replica, region_prop))
            yield KeyReference(view.urn, view.type, purpose, key, key_region(key, region, index))


extractor(*REPLICA_KEYS)(replica_keys)


# Key inputs key custody reads beyond the tables above: a StorageClass's (adapters.pulumi.kubernetes).
_OTHER_KEY_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    STORAGE_CLASS: (("parameters", "kmsKeyId"), ("parameters", "kmskeyid")),
}


def judged_by_key_custody(type_token: str, path: Sequence[str | int]) -> bool:
    """Whether ``path`` of a resource of this type is a key input that key custody reads (known or unknown at
    preview: adapters.pulumi.preview_keys). Destination discovery leaves those to it, so a key is judged once,
    by one rule, at preview as at update; any other property naming a key is still searched."""
    patterns = [pattern for _, pattern in KEY_PATHS.get(type_token, ())]
    patterns += _OTHER_KEY_PATHS.get(type_token, ())
    if type_token in REPLICA_KEYS:
        list_prop, key_prop, _, _ = REPLICA_KEYS[type_token]
        patterns.append((list_prop, "*", key_prop))
    steps = [str(step) for step in path]
    return any(_covers(pattern, steps) for pattern in patterns)


def _covers(pattern: Sequence[str], steps: list[str]) -> bool:
    """Exactly ``pattern``; ``*`` is one list index, or none where one object stands for the list (``items``)."""
    if not pattern:
        return not steps
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        return (bool(steps) and steps[0].isdigit() and _covers(rest, steps[1:])) or _covers(rest, steps)
    return bool(steps) and steps[0] == head and _covers(rest, steps[1:])
