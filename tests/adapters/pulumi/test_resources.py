"""Adapter details the rule cases do not pin: scope of placements, providers, key regions, controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.pulumi.resources import ResourceView, facts_for, is_regional_aws_type, key_region
from residency.model import ControlState, KeyReference, Placement
from tests.residency_pack.cases import KEY_US, Res
from tests.residency_pack.direct import Diag, mandatory, run_direct, wrap

pytestmark = pytest.mark.usefixtures("eu_stack")


def _facts(type_: str, props: dict[str, object], region: str | None = "eu-west-1") -> list[object]:
    return list(facts_for(ResourceView(f"urn:pulumi:s::p::{type_}::r", type_, "r", wrap(props), region)))


def _run(case: list[Res], governance: Path) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance)}})


@pytest.mark.parametrize(
    ("type_", "regional"),
    [
        ("aws:iam/role:Role", False),
        ("aws:organizations/policy:Policy", False),
        ("aws:route53/zone:Zone", False),
        ("aws:route53/resolverEndpoint:ResolverEndpoint", True),
        ("aws:cloudfront/distribution:Distribution", False),
        ("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", False),
        ("aws:s3/bucket:Bucket", True),
        ("aws:kms/key:Key", True),
        ("kubernetes:core/v1:Namespace", False),
        ("enclave:components:SecureBucket", False),
    ],
)
def test_only_regional_aws_types_are_placements(type_: str, regional: bool) -> None:
    assert is_regional_aws_type(type_) is regional


def test_explicit_provider_without_region_cannot_be_verified(governance: Path) -> None:
    provider = Res("pulumi:providers:aws", "aws-nowhere", {"skipCredentialsValidation": "true"})
    diags = mandatory(_run([provider], governance), "residency-location")
    assert diags and "cannot be verified" in diags[0].message


def test_resource_inherits_its_explicit_providers_region(governance: Path) -> None:
    provider = Res("pulumi:providers:aws", "aws-us", {"region": "us-east-1"})
    table = Res("aws:dynamodb/table:Table", "table", {"hashKey": "id"}, provider="aws-us")
    blocked = {d.urn for d in mandatory(_run([provider, table], governance), "residency-location")}
    assert blocked == {provider.urn, table.urn}


def test_own_region_overrides_the_provider(governance: Path) -> None:
    provider = Res("pulumi:providers:aws", "aws-us", {"region": "us-east-1"})
    table = Res("aws:dynamodb/table:Table", "table", {"region": "eu-west-3"}, provider="aws-us")
    blocked = {d.urn for d in mandatory(_run([provider, table], governance), "residency-location")}
    assert blocked == {provider.urn}


def test_bare_key_id_is_a_key_in_the_resources_region() -> None:
    assert key_region("alias/enclave-eu-records", "eu-west-3") == "eu-west-3"
    assert key_region("1234abcd-12ab-34cd-56ef-1234567890ab", None) is None
    assert key_region(KEY_US, "eu-west-1") == "us-east-1"


def test_dynamodb_replica_key_is_judged_in_the_replicas_region() -> None:
    facts = _facts("aws:dynamodb/table:Table", {"replicas": [{"regionName": "eu-central-1", "kmsKeyArn": "alias/k"}]})
    (ref,) = [f for f in facts if isinstance(f, KeyReference)]
    assert ref.key_region == "eu-central-1"


def test_asymmetric_keys_are_not_judged_for_rotation() -> None:
    facts = _facts("aws:kms/key:Key", {"customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"})
    assert not [f for f in facts if isinstance(f, ControlState) and f.control == "kms-key-rotation"]
    assert [f for f in facts if isinstance(f, Placement)]


def test_public_nat_gateway_and_sse_s3_are_failed_controls() -> None:
    nat = [f for f in _facts("aws:ec2/natGateway:NatGateway", {"subnetId": "s"}) if isinstance(f, ControlState)]
    assert nat[0].satisfied is False
    sse_type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    sse = _facts(
        sse_type, {"bucket": "b", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    )
    assert [f.satisfied for f in sse if isinstance(f, ControlState) and f.control == "s3-encryption-kms"] == [False]


def test_account_public_access_block_covers_every_bucket(governance: Path) -> None:
    bucket = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data"})
    settings = {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    account = Res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", settings)
    assert mandatory(_run([bucket], governance), "s3-public-access-blocked")
    assert not mandatory(_run([bucket, account], governance), "s3-public-access-blocked")


def test_external_replication_destination_names_the_bucket(governance: Path) -> None:
    replication = Res(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "replication",
        {
            "bucket": "source",
            "role": "r",
            "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::partner-dr"}}],
        },
    )
    diags = mandatory(_run([replication], governance), "transfer-s3-replication")
    assert (
        diags
        and "partner-dr (not declared in this program)" in diags[0].message
        and "no transfer assessment" in diags[0].message
    )


def _inline_bucket(**props: object) -> Res:
    return Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", **props})


def test_inline_replication_block_is_a_transfer_too(governance: Path) -> None:
    rules = {
        "role": "r",
        "rules": [
            {"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::partner-dr", "replicaKmsKeyId": KEY_US}}
        ],
    }
    diags = _run([_inline_bucket(replicationConfiguration=rules)], governance)
    assert "partner-dr (not declared in this program)" in mandatory(diags, "transfer-s3-replication")[0].message
    assert "held in us-east-1" in mandatory(diags, "key-custody")[0].message


def test_inline_encryption_block_is_judged_on_the_bucket(governance: Path) -> None:
    aes = {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}
    failing = mandatory(_run([_inline_bucket(serverSideEncryptionConfiguration=aes)], governance), "s3-encryption-kms")
    assert len(failing) == 1 and "sseAlgorithm AES256" in failing[0].message
    kms = {
        "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "alias/records"}}
    }
    assert not mandatory(_run([_inline_bucket(serverSideEncryptionConfiguration=kms)], governance), "s3-encryption-kms")


def test_aurora_replica_cluster_is_a_read_replica_transfer(governance: Path) -> None:
    source = "arn:aws:rds:eu-west-1:111122223333:cluster:primary"
    replica = Res("aws:rds/cluster:Cluster", "replica", {"replicationSourceIdentifier": source, "region": "us-west-2"})
    diags = mandatory(_run([replica], governance), "transfer-rds-read-replica")
    assert diags and "Aurora replica cluster in us-west-2" in diags[0].message
    inside = Res("aws:rds/cluster:Cluster", "replica", {"replicationSourceIdentifier": source, "region": "eu-west-3"})
    assert not mandatory(_run([inside], governance), "transfer-rds-read-replica")
