"""One failing and one passing program per policy, keyed by rule id.

Both the direct tests (validate functions called with runtime-wrapped properties) and the engine tests
(the real Analyzer gRPC protocol) run this table, and a test proves it covers every rule in RULES.
Stack: jurisdiction eu, aws:region eu-west-1. Assessments the passing cases rely on are in ``ASSESSMENTS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

STACK_CONFIG = {"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"}
KEY_EU = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_US = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SHARE_ACCOUNT = "444455556666"


@dataclass
class Res:
    type: str
    name: str
    props: dict[str, Any] = field(default_factory=dict)
    provider: str | None = None  # name of a provider Res in the same case
    deps: dict[str, list[str]] = field(default_factory=dict)  # property -> names of Res it depends on
    outputs: dict[str, Any] = field(default_factory=dict)
    protect: bool = False  # the resource option, as the engine sends it
    # The engine gave it no state (its provider's configuration is unknown at preview): AnalyzeStack sends it
    # with no properties at all.
    empty_state: bool = False

    @property
    def urn(self) -> str:
        return f"urn:pulumi:test::enclave::{self.type}::{self.name}"


Case = list[Res]

ASSESSMENTS = f"""
[[assessment]]
id = "TRA-TEST-SHARE"
source = "eu"
destination = {{ account = "{SHARE_ACCOUNT}", jurisdiction = "eu" }}
vectors = ["ebs-snapshot-share"]
data_categories = ["system images without personal data"]
purpose = "Share a hardened base image with the platform account"
legal_mechanism = "standard-contractual-clauses"
supplementary_measures = ["no personal data in images"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
resources = ["urn:pulumi:test::enclave::aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission::approved-share"]

[[assessment]]
id = "TRA-TEST-CDN"
source = "eu"
destination = {{ worldwide = true }}
vectors = ["cloudfront"]
data_categories = ["public marketing assets"]
purpose = "Serve public static assets"
legal_mechanism = "art49-derogation"
supplementary_measures = ["only public, non-personal content behind the distribution"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
resources = ["urn:pulumi:test::enclave::aws:cloudfront/distribution:Distribution::approved-cdn"]
"""


def _out(vector_type: str, name: str, fail_props: dict[str, Any], pass_props: dict[str, Any]) -> tuple[Case, Case]:
    return [Res(vector_type, name, fail_props)], [Res(vector_type, name, pass_props)]


def _bucket(name: str, region: str | None = None) -> Res:
    props: dict[str, Any] = {"bucket": name}
    if region:
        props["region"] = region
    return Res("aws:s3/bucket:Bucket", name, props)


def _replication(dest_arn: str) -> Res:
    return Res(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "replication",
        {
            "bucket": "source",
            "role": "arn:aws:iam::111122223333:role/replication",
            "rules": [{"id": "all", "status": "Enabled", "destination": {"bucket": dest_arn}}],
        },
        deps={"bucket": ["source"]},
    )


def _mrap(*buckets: str) -> Res:
    return Res(
        "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint",
        "mrap",
        {"details": {"name": "mrap", "regions": [{"bucket": b} for b in buckets]}},
    )


def _global_member(token: str) -> tuple[Case, Case]:
    return _out(
        token,
        "secondary",
        {"globalClusterIdentifier": "global", "region": "us-east-1"},
        {"globalClusterIdentifier": "global", "region": "eu-central-1"},
    )


PIPELINE_ROLE = "arn:aws:iam::123456789012:role/enclave-eu-deidentify"


def _controlled_interface(*, pipeline: bool = True, guard: bool = True, second_writer: bool = False) -> Case:
    """A minimal enclave's controlled interface (components/test_data.py, test_data_guard.py), optionally
    without the pipeline, without its guard, or with a second writer to the test data."""
    only_pipeline = {
        "Sid": "OnlyThePipelineWritesTestData",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:PutObject*"],
        "NotResource": "arn:aws:s3:::testdata/query-results/*",
        "Condition": {"ArnNotEquals": {"aws:PrincipalArn": PIPELINE_ROLE}},
    }
    case = [
        Res("aws:s3/bucket:Bucket", "testdata", {"bucket": "testdata", "tags": {"enclave-data": "test-data"}}),
        Res(
            "aws:s3/bucketPolicy:BucketPolicy",
            "testdata-policy",
            {"bucket": "testdata", "policy": json.dumps({"Statement": [only_pipeline]})},
            deps={"bucket": ["testdata"]},
        ),
        Res("aws:iam/role:Role", "pipeline-role", {"name": "enclave-eu-deidentify"}),
        Res("aws:secretsmanager/secret:Secret", "key", {"tags": {"enclave-part": "pseudonym-key"}}),
        Res(
            "aws:secretsmanager/secretRotation:SecretRotation",
            "rotation",
            {"secretId": "key"},
            deps={"secretId": ["key"]},
        ),
        Res(
            "aws:cloudwatch/eventRule:EventRule",
            "macie-alarm",
            {"eventPattern": json.dumps({"source": ["aws.macie"], "detail-type": ["Macie Finding"]})},
        ),
        Res(
            "aws:cloudwatch/eventTarget:EventTarget",
            "macie-alarm-target",
            {"rule": "macie-alarm"},
            deps={"rule": ["macie-alarm"]},
        ),
    ]
    if pipeline:
        case.append(
            Res(
                "aws:lambda/function:Function",
                "deidentify",
                {"role": PIPELINE_ROLE, "tags": {"enclave-part": "deidentify"}},
                deps={"role": ["pipeline-role"]},
            )
        )
    if guard:
        job = {"s3JobDefinition": {"bucketDefinitions": [{"accountId": "123456789012", "buckets": ["testdata"]}]}}
        case.append(
            Res("aws:macie2/classificationJob:ClassificationJob", "scan", job, deps={"s3JobDefinition": ["testdata"]})
        )
    if second_writer:
        case.append(
            Res(
                "aws:s3/bucketObjectv2:BucketObjectv2",
                "copied-records",
                {"bucket": "testdata", "key": "x.csv"},
                deps={"bucket": ["testdata"]},
            )
        )
    return case


CASES: dict[str, tuple[Case, Case]] = {
    "residency-location": ([_bucket("data", "us-east-1")], [_bucket("data")]),
    "key-custody": _out("aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": KEY_US}, {"kmsKeyId": KEY_EU}),
    "transfer-s3-replication": (
        [_bucket("source"), _replication("arn:aws:s3:::someone-elses-bucket")],
        [_bucket("source"), _bucket("replica", "eu-central-1"), _replication("arn:aws:s3:::replica")],
    ),
    "transfer-s3-multi-region-access-point": (
        [_bucket("b-eu"), _bucket("b-us", "us-east-1"), _mrap("b-eu", "b-us")],
        [_bucket("b-eu"), _bucket("b-fr", "eu-west-3"), _mrap("b-eu", "b-fr")],
    ),
    "transfer-kms-multi-region-key": (
        [Res("aws:kms/key:Key", "key", {"multiRegion": True, "enableKeyRotation": True})],
        [Res("aws:kms/replicaKey:ReplicaKey", "replica", {"primaryKeyArn": KEY_EU, "region": "eu-central-1"})],
    ),
    "transfer-dynamodb-global-table": _out(
        "aws:dynamodb/table:Table",
        "table",
        {"replicas": [{"regionName": "us-east-1"}]},
        {"replicas": [{"regionName": "eu-central-1"}]},
    ),
    "transfer-rds-read-replica": _out(
        "aws:rds/instance:Instance",
        "replica",
        {"replicateSourceDb": "arn:aws:rds:eu-west-1:111122223333:db:primary", "region": "us-east-1"},
        {"replicateSourceDb": "arn:aws:rds:eu-west-1:111122223333:db:primary", "region": "eu-central-1"},
    ),
    "transfer-rds-backup-replication": _out(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        "backups",
        {"sourceDbInstanceArn": "arn:aws:rds:eu-west-1:111122223333:db:primary", "region": "us-east-1"},
        {"sourceDbInstanceArn": "arn:aws:rds:eu-west-1:111122223333:db:primary", "region": "eu-central-1"},
    ),
    "transfer-aurora-global-database": _global_member("aws:rds/cluster:Cluster"),
    "transfer-docdb-global-cluster": _global_member("aws:docdb/cluster:Cluster"),
    "transfer-neptune-global-cluster": _global_member("aws:neptune/cluster:Cluster"),
    "transfer-secrets-manager-replica": _out(
        "aws:secretsmanager/secret:Secret",
        "secret",
        {"replicas": [{"region": "us-east-1"}]},
        {"replicas": [{"region": "eu-north-1"}]},
    ),
    "transfer-ecr-replication": _out(
        "aws:ecr/replicationConfiguration:ReplicationConfiguration",
        "ecr",
        {
            "replicationConfiguration": {
                "rules": [{"destinations": [{"region": "us-west-2", "registryId": "111122223333"}]}]
            }
        },
        {
            "replicationConfiguration": {
                "rules": [{"destinations": [{"region": "eu-central-1", "registryId": "111122223333"}]}]
            }
        },
    ),
    "transfer-efs-replication": _out(
        "aws:efs/replicationConfiguration:ReplicationConfiguration",
        "efs",
        {"sourceFileSystemId": "fs-1", "destination": {"region": "us-east-1"}},
        {"sourceFileSystemId": "fs-1", "destination": {"region": "eu-central-1"}},
    ),
    "transfer-backup-copy": _out(
        "aws:backup/plan:Plan",
        "plan",
        {
            "rules": [
                {
                    "ruleName": "r",
                    "targetVaultName": "v",
                    "copyActions": [{"destinationVaultArn": "arn:aws:backup:us-east-1:111122223333:backup-vault:dr"}],
                }
            ]
        },
        {
            "rules": [
                {
                    "ruleName": "r",
                    "targetVaultName": "v",
                    "copyActions": [
                        {"destinationVaultArn": "arn:aws:backup:eu-central-1:111122223333:backup-vault:dr"}
                    ],
                }
            ]
        },
    ),
    "transfer-ebs-snapshot-copy": _out(
        "aws:ebs/snapshotCopy:SnapshotCopy",
        "copy",
        {"sourceSnapshotId": "snap-1", "sourceRegion": "eu-west-1", "region": "us-east-1"},
        {"sourceSnapshotId": "snap-1", "sourceRegion": "eu-west-1", "region": "eu-central-1"},
    ),
    "transfer-ebs-snapshot-share": (
        [
            Res(
                "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
                "share",
                {"snapshotId": "snap-1", "accountId": SHARE_ACCOUNT},
            )
        ],
        [
            Res(
                "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
                "approved-share",
                {"snapshotId": "snap-1", "accountId": SHARE_ACCOUNT},
            )
        ],
    ),
    "transfer-ami-copy": _out(
        "aws:ec2/amiCopy:AmiCopy",
        "ami",
        {"name": "ami", "sourceAmiId": "ami-1", "sourceAmiRegion": "eu-west-1", "region": "us-east-1"},
        {"name": "ami", "sourceAmiId": "ami-1", "sourceAmiRegion": "eu-west-1", "region": "eu-central-1"},
    ),
    "transfer-dlm-cross-region-copy": _out(
        "aws:dlm/lifecyclePolicy:LifecyclePolicy",
        "dlm",
        {
            "policyDetails": {
                "schedules": [{"name": "s", "crossRegionCopyRules": [{"target": "us-east-1", "encrypted": True}]}]
            }
        },
        {
            "policyDetails": {
                "schedules": [{"name": "s", "crossRegionCopyRules": [{"target": "eu-central-1", "encrypted": True}]}]
            }
        },
    ),
    "transfer-redshift-snapshot-copy": _out(
        "aws:redshift/snapshotCopy:SnapshotCopy",
        "copy",
        {"clusterIdentifier": "c", "destinationRegion": "us-east-1"},
        {"clusterIdentifier": "c", "destinationRegion": "eu-central-1"},
    ),
    "transfer-vpc-peering": _out(
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        "peering",
        {"vpcId": "vpc-1", "peerVpcId": "vpc-2", "peerRegion": "us-east-1"},
        {"vpcId": "vpc-1", "peerVpcId": "vpc-2", "peerRegion": "eu-central-1"},
    ),
    "transfer-transit-gateway-peering": _out(
        "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
        "tgw",
        {"transitGatewayId": "tgw-1", "peerTransitGatewayId": "tgw-2", "peerRegion": "us-east-1"},
        {"transitGatewayId": "tgw-1", "peerTransitGatewayId": "tgw-2", "peerRegion": "eu-central-1"},
    ),
    "transfer-cloudfront": (
        [Res("aws:cloudfront/distribution:Distribution", "cdn", {"enabled": True})],
        [Res("aws:cloudfront/distribution:Distribution", "approved-cdn", {"enabled": True})],
    ),
    "transfer-elasticache-global-datastore": _out(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "cache",
        {"globalReplicationGroupId": "g", "region": "us-east-1", "description": "c"},
        {"globalReplicationGroupId": "g", "region": "eu-central-1", "description": "c"},
    ),
    "transfer-config-aggregator": _out(
        "aws:cfg/aggregateAuthorization:AggregateAuthorization",
        "auth",
        {"accountId": "111122223333", "authorizedAwsRegion": "us-east-1"},
        {"accountId": "111122223333", "authorizedAwsRegion": "eu-central-1"},
    ),
    "transfer-security-hub-aggregator": _out(
        "aws:securityhub/findingAggregator:FindingAggregator",
        "findings",
        {"linkingMode": "ALL_REGIONS", "region": "us-east-1"},
        {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": ["eu-central-1"]},
    ),
    "kms-key-rotation": _out("aws:kms/key:Key", "key", {"enableKeyRotation": False}, {"enableKeyRotation": True}),
    "s3-encryption-kms": (
        [_bucket("data")],
        [
            _bucket("data"),
            Res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "data-sse",
                {
                    "bucket": "data",
                    "rules": [
                        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_EU}}
                    ],
                },
                deps={"bucket": ["data"]},
            ),
        ],
    ),
    "s3-public-access-blocked": (
        [_bucket("data")],
        [
            _bucket("data"),
            Res(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "data-pab",
                {
                    "bucket": "data",
                    "blockPublicAcls": True,
                    "blockPublicPolicy": True,
                    "ignorePublicAcls": True,
                    "restrictPublicBuckets": True,
                },
                deps={"bucket": ["data"]},
            ),
        ],
    ),
    "test-data-pipeline": (_controlled_interface(pipeline=False), _controlled_interface()),
    "test-data-guard": (_controlled_interface(guard=False), _controlled_interface()),
    "test-data-single-writer": (_controlled_interface(second_writer=True), _controlled_interface()),
    "vpc-flow-logs": (
        [Res("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})],
        [
            Res("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}),
            Res(
                "aws:ec2/flowLog:FlowLog",
                "vpc-flow",
                {"vpcId": "vpc-123", "trafficType": "ALL"},
                deps={"vpcId": ["vpc"]},
            ),
        ],
    ),
    "trail-log-validation": _out(
        "aws:cloudtrail/trail:Trail",
        "trail",
        {"s3BucketName": "audit", "enableLogFileValidation": False},
        {"s3BucketName": "audit", "enableLogFileValidation": True, "isMultiRegionTrail": True},
    ),
    "trail-logging": _out(
        "aws:cloudtrail/trail:Trail",
        "trail",
        {"s3BucketName": "audit", "enableLogFileValidation": True, "enableLogging": False},
        {"s3BucketName": "audit", "enableLogFileValidation": True, "enableLogging": True, "isMultiRegionTrail": True},
    ),
    "no-internet-gateway": (
        [Res("aws:ec2/internetGateway:InternetGateway", "igw", {"vpcId": "vpc-1"})],
        [Res("aws:ec2/natGateway:NatGateway", "nat", {"subnetId": "subnet-1", "connectivityType": "private"})],
    ),
}


def all_cases() -> dict[str, tuple[Case, Case]]:
    """This table plus the Kubernetes, hardening, identity and data-path rules' tables (``kubernetes_cases.py``,
    ``hardening_cases.py``, ``identity_cases.py``, ``data_path_cases.py``)."""
    from tests.residency_pack.data_path_cases import CASES as DATA_PATH_CASES
    from tests.residency_pack.hardening_cases import CASES as HARDENING_CASES
    from tests.residency_pack.identity_cases import CASES as IDENTITY_CASES
    from tests.residency_pack.kubernetes_cases import CASES as KUBERNETES_CASES

    return {**CASES, **KUBERNETES_CASES, **HARDENING_CASES, **IDENTITY_CASES, **DATA_PATH_CASES}
