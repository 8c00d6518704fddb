"""The core's rules grouped into families for AWS Config: one custom rule per family, with the Config
resource types whose changes trigger it and the live scanner that reads each type.

The Kubernetes rules are not here: they judge manifests inside a cluster, which AWS Config does not record.
Every AWS rule of the catalogue is in exactly one family (tests/adapters/aws_live/test_config_families.py proves it), so none is left out
of continuous evaluation silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.rule_ids import (
    GUARD_PROTECTED,
    RECORDS_SOURCE_VPCE,
    SERVICE_GRANT_BOUND,
    TRAIL_COVERS_GLOBAL_EVENTS,
    VPC_ENDPOINT_POLICY,
)
from residency.rules import RULES
from residency.rules.controls import CONTROL_RULES
from residency.rules.data_paths import DATA_PATH_RULES
from residency.rules.identity import IDENTITY_RULES
from residency.rules.key_custody import KEY_CUSTODY
from residency.rules.kubernetes import KUBERNETES_RULES
from residency.rules.location import LOCATION
from residency.rules.transfers import TRANSFER_RULES

# AWS Config resource type -> the live scanner (adapters.aws_live.SCANNERS) that describes it.
SCANNER_OF_TYPE: dict[str, str] = {
    "AWS::S3::Bucket": "s3",
    "AWS::KMS::Key": "kms",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::RDS::DBInstance": "rds",
    "AWS::RDS::DBCluster": "rds",
    "AWS::SecretsManager::Secret": "secretsmanager",
    "AWS::ECR::Repository": "ecr",
    "AWS::EFS::FileSystem": "efs",
    "AWS::Backup::BackupVault": "backup",
    "AWS::Backup::BackupPlan": "backup",
    "AWS::EC2::VPC": "ec2",
    "AWS::EC2::VPCEndpoint": "vpc-endpoints",
    "AWS::EC2::VPCPeeringConnection": "ec2",
    "AWS::CloudTrail::Trail": "cloudtrail",
    "AWS::Redshift::Cluster": "redshift",
    "AWS::CloudFront::Distribution": "cloudfront",
    "AWS::Config::ConfigurationAggregator": "config",
    "AWS::IAM::Role": "iam",
    "AWS::SNS::Topic": "sns",
    "AWS::SQS::Queue": "sqs",
    "AWS::Lambda::Function": "lambda",
    "AWS::Events::EventBus": "events",
    "AWS::Events::Rule": "events",
    "AWS::KinesisFirehose::DeliveryStream": "firehose",
    "AWS::Logs::Destination": "logs",
    "AWS::RDS::DBSnapshot": "sharing",
}


@dataclass(frozen=True)
class RuleFamily:
    name: str
    description: str
    rule_ids: tuple[str, ...]
    # Config resource types whose configuration changes trigger the family's rule.
    resource_types: tuple[str, ...]


FAMILIES: tuple[RuleFamily, ...] = (
    RuleFamily(
        "location",
        "Every resource is in a region of the enclave's jurisdiction.",
        (LOCATION.id,),
        tuple(SCANNER_OF_TYPE),
    ),
    RuleFamily(
        "key-custody",
        "Data is encrypted under KMS keys held in the jurisdiction and in the enclave's account.",
        (KEY_CUSTODY.id,),
        (
            "AWS::S3::Bucket",
            "AWS::DynamoDB::Table",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::SecretsManager::Secret",
            "AWS::EFS::FileSystem",
            "AWS::CloudTrail::Trail",
            "AWS::Redshift::Cluster",
        ),
    ),
    RuleFamily(
        "transfers",
        "No flow of data out of the jurisdiction without a valid transfer assessment.",
        tuple(r.id for r in TRANSFER_RULES),
        (
            "AWS::S3::Bucket",
            "AWS::KMS::Key",
            "AWS::DynamoDB::Table",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::SecretsManager::Secret",
            "AWS::EFS::FileSystem",
            "AWS::Backup::BackupPlan",
            "AWS::EC2::VPCPeeringConnection",
            "AWS::Redshift::Cluster",
            "AWS::CloudFront::Distribution",
            "AWS::Config::ConfigurationAggregator",
        ),
    ),
    RuleFamily(
        "data-paths",
        "Subscriptions, event targets, delivery streams, log destinations, resource policies and snapshot "
        "sharing send data only within the jurisdiction and its own accounts, or under a transfer assessment.",
        tuple(r.id for r in DATA_PATH_RULES),
        # The data-path scanners' types that AWS Config records. A topic's or rule's evaluation includes its
        # subscriptions or targets, but only a change to the topic or rule triggers it. Not recorded by
        # Config, so judged by the scheduled audit only: log subscription filters and AMI launch permissions.
        (
            "AWS::SNS::Topic",
            "AWS::SQS::Queue",
            "AWS::Lambda::Function",
            "AWS::Events::EventBus",
            "AWS::Events::Rule",
            "AWS::KinesisFirehose::DeliveryStream",
            "AWS::Logs::Destination",
            "AWS::RDS::DBSnapshot",
        ),
    ),
    RuleFamily(
        "controls",
        "Encryption, rotation, public-access blocks, network isolation, endpoint and key policies and trails stay "
        "switched on.",
        (
            *(r.id for r in CONTROL_RULES),
            TRAIL_COVERS_GLOBAL_EVENTS,
            RECORDS_SOURCE_VPCE,
            VPC_ENDPOINT_POLICY,
            SERVICE_GRANT_BOUND,
        ),
        ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::EC2::VPC", "AWS::EC2::VPCEndpoint", "AWS::CloudTrail::Trail"),
    ),
    RuleFamily(
        "identity",
        "Break-glass and OIDC trust policies, and the boundaries that keep the jurisdiction tag from being self-granted.",
        tuple(r.id for r in IDENTITY_RULES),
        # A role's change (trust, boundary) triggers it; the facts are the role's, so an edit of a boundary
        # document itself is judged by the daily evidence run, not by a Config trigger on AWS::IAM::Policy.
        ("AWS::IAM::Role",),
    ),
)
FAMILIES_BY_NAME: dict[str, RuleFamily] = {f.name: f for f in FAMILIES}
# Outside continuous evaluation by AWS Config: the Kubernetes rules are judged inside clusters, not from AWS
# configuration; the test-data rules judge the program's composition (which resources exist together), which
# Config's per-resource evaluation does not see.
TEST_DATA_PROGRAM_RULES = ("test-data-pipeline", "test-data-guard", "test-data-single-writer")
# Judged on the plan only: protect is Pulumi's own option, kept in its state, which no AWS API shows.
PLAN_ONLY_HARDENING_RULES = (GUARD_PROTECTED,)
NOT_IN_CONFIG: tuple[str, ...] = (
    *(r.id for r in KUBERNETES_RULES),
    *TEST_DATA_PROGRAM_RULES,
    *PLAN_ONLY_HARDENING_RULES,
)


def family(name: str) -> RuleFamily:
    if name not in FAMILIES_BY_NAME:
        raise ValueError(f"unknown rule family {name!r}; allowed: {', '.join(FAMILIES_BY_NAME)}")
    return FAMILIES_BY_NAME[name]


def uncovered_rules() -> list[str]:
    """Rules of the catalogue in no family and not declared as outside Config (should be none)."""
    covered = {rid for f in FAMILIES for rid in f.rule_ids} | set(NOT_IN_CONFIG)
    return [r.id for r in RULES if r.id not in covered]
