"""The stand-in aws provider answers the engine as the real provider does for the inputs it receives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pulumi
import pytest
from pulumi.runtime.proto import provider_pb2_grpc

from tests.engine import plugin_client as pc
from tests.engine.providers.values import UNKNOWN
from tests.engine.providers.versions import plugin_version

ACCOUNT = "111111111101"
PROVIDER_URN = "urn:pulumi:eu-dublin::enclave::pulumi:providers:aws::default_7_51_1"
BUCKET_URN = "urn:pulumi:eu-dublin::enclave::enclave:index:Storage$aws:s3/bucket:Bucket::records"
KEY_URN = "urn:pulumi:eu-dublin::enclave::aws:kms/key:Key::records-key"
ENV = {"ENCLAVE_STANDIN_AWS_ACCOUNT": ACCOUNT}


@pytest.fixture(scope="module")
def aws() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    with pc.plugin("aws", ENV) as stub:
        pc.configure(stub, {"region": "eu-west-1", "allowedAccountIds": f'["{ACCOUNT}"]'})
        yield stub


def test_reports_the_version_pulumi_aws_requests(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    assert pc.plugin_info(aws) == plugin_version("aws") == "7.51.1"


def test_check_autonames_a_bucket_so_the_pack_sees_its_name(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    inputs = pc.check(aws, BUCKET_URN, {"forceDestroy": False})
    assert inputs["bucket"].startswith("records-") and len(inputs["bucket"]) == len("records-") + 7
    assert pc.check(aws, BUCKET_URN, {"bucket": "explicit-name"})["bucket"] == "explicit-name"


def test_preview_create_leaves_computed_outputs_unknown(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    id_, outputs = pc.create(aws, KEY_URN, {"enableKeyRotation": True}, preview=True)
    assert id_ == ""
    assert outputs["arn"] is UNKNOWN and outputs["keyId"] is UNKNOWN
    assert outputs["enableKeyRotation"] is True
    assert outputs["region"] == "eu-west-1"


def test_preview_keeps_every_input_even_one_holding_an_unknown(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": UNKNOWN}}]
    sse = "urn:pulumi:eu-dublin::enclave::aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::sse"
    _, outputs = pc.create(aws, sse, {"bucket": UNKNOWN, "rules": rules}, preview=True)
    assert outputs["rules"] == rules and outputs["bucket"] is UNKNOWN


def test_an_archive_input_goes_through_check_and_create(
    aws: provider_pb2_grpc.ResourceProviderStub, tmp_path: Path
) -> None:
    # A Lambda layer's code: the engine sends the archive (with its hash) and expects it back.
    layer = "urn:pulumi:eu-dublin::enclave::aws:lambda/layerVersion:LayerVersion::layer"
    archive = pulumi.FileArchive(str(tmp_path))
    inputs = pc.check(aws, layer, {"layerName": "layer", "code": archive})
    assert isinstance(inputs["code"], pulumi.FileArchive) and inputs["code"].path == str(tmp_path)
    _, outputs = pc.create(aws, layer, inputs, preview=True)
    assert isinstance(outputs["code"], pulumi.FileArchive) and outputs["arn"] is UNKNOWN
    _, outputs = pc.create(aws, layer, inputs, preview=False)
    assert outputs["arn"] == f"arn:aws:lambda:eu-west-1:{ACCOUNT}:layer:layer:1"
    assert outputs["layerArn"] == f"arn:aws:lambda:eu-west-1:{ACCOUNT}:layer:layer"


def test_create_returns_realistic_ids_and_arns_in_region_and_account(
    aws: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    id_, outputs = pc.create(aws, KEY_URN, {"enableKeyRotation": True}, preview=False)
    assert outputs["arn"] == f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{id_}"
    assert outputs["keyId"] == id_ and len(id_) == 36
    bucket_id, bucket = pc.create(aws, BUCKET_URN, {"bucket": "records-abc1234"}, preview=False)
    assert bucket_id == "records-abc1234" and bucket["arn"] == "arn:aws:s3:::records-abc1234"


def test_a_resource_region_input_overrides_the_provider_region(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    _, outputs = pc.create(aws, KEY_URN, {"region": "us-east-1"}, preview=False)
    assert outputs["arn"].startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/")


def test_diff_replaces_on_region_and_force_new_inputs_and_updates_others(
    aws: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    olds = {"bucket": "records-abc1234", "region": "eu-west-1", "forceDestroy": False}
    moved = pc.diff(aws, BUCKET_URN, olds, {**olds, "region": "us-east-1"})
    assert list(moved.replaces) == ["region"]
    tweaked = pc.diff(aws, BUCKET_URN, olds, {**olds, "forceDestroy": True})
    assert list(tweaked.diffs) == ["forceDestroy"] and not tweaked.replaces
    same = pc.diff(aws, BUCKET_URN, olds, olds)
    assert same.changes == same.DIFF_NONE


def test_invokes_answer_with_the_configured_region_and_account(aws: provider_pb2_grpc.ResourceProviderStub) -> None:
    identity = pc.invoke(aws, "aws:index/getCallerIdentity:getCallerIdentity", {})
    assert identity["accountId"] == ACCOUNT
    assert pc.invoke(aws, "aws:index/getRegion:getRegion", {})["name"] == "eu-west-1"


def test_an_invoke_it_cannot_answer_fails_instead_of_returning_nothing(
    aws: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    with pytest.raises(grpc.RpcError, match="no answer for invoke aws:rds/getCluster:getCluster"):
        pc.invoke(aws, "aws:rds/getCluster:getCluster", {"clusterIdentifier": "x"})


def test_check_config_requires_a_valid_region() -> None:
    with pc.plugin("aws", ENV) as stub:
        missing = pc.check_config(stub, PROVIDER_URN, {"version": "7.51.1"})
        assert [(f.property, f.reason) for f in missing.failures] == [
            ("region", "missing required configuration 'region' (aws:region)")
        ]
        bad = pc.check_config(stub, PROVIDER_URN, {"region": "europe-1"})
        assert [f.reason for f in bad.failures] == ["invalid AWS region 'europe-1'"]
        assert not pc.check_config(stub, PROVIDER_URN, {"region": "ap-south-1"}).failures


def test_configure_refuses_an_account_outside_allowed_account_ids() -> None:
    with pc.plugin("aws", ENV) as stub, pytest.raises(grpc.RpcError, match=f"AWS account ID not allowed: {ACCOUNT}"):
        pc.configure(stub, {"region": "eu-west-1", "allowedAccountIds": '["999999999999"]'})


def test_configure_checks_allowed_account_ids_against_the_assumed_roles_account() -> None:
    # As the real provider: the account is the one whose credentials the last assumed role gives.
    member = "111111111103"
    role = f'[{{"roleArn": "arn:aws:iam::{member}:role/bootstrap", "sessionName": "s"}}]'
    with pc.plugin("aws", ENV) as stub:
        pc.configure(stub, {"region": "eu-west-1", "allowedAccountIds": f'["{member}"]', "assumeRoles": role})
    with pc.plugin("aws", ENV) as stub, pytest.raises(grpc.RpcError, match=f"AWS account ID not allowed: {member}"):
        pc.configure(stub, {"region": "eu-west-1", "allowedAccountIds": f'["{ACCOUNT}"]', "assumeRoles": role})
    with pc.plugin("aws", ENV) as stub, pytest.raises(grpc.RpcError, match="cannot assume role 'not-a-role'"):
        pc.configure(stub, {"region": "eu-west-1", "assumeRoles": '[{"roleArn": "not-a-role"}]'})


def test_configure_refuses_a_forbidden_account() -> None:
    with pc.plugin("aws", ENV) as stub, pytest.raises(grpc.RpcError, match="AWS account ID not allowed"):
        pc.configure(stub, {"region": "eu-west-1", "forbiddenAccountIds": [ACCOUNT]})


def test_configure_without_credentials_fails() -> None:
    with (
        pc.plugin("aws", {"ENCLAVE_STANDIN_AWS_ACCOUNT": ""}) as stub,
        pytest.raises(grpc.RpcError, match="no valid credential sources found"),
    ):
        pc.configure(stub, {"region": "eu-west-1"})
