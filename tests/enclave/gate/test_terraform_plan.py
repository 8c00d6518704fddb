"""The checkov bridge: Pulumi types and properties become the Terraform plan checkov reads."""

from __future__ import annotations

from typing import Any

import pytest

from enclave.gate.terraform_plan import build_plan, convert_attributes, singular
from enclave.gate.terraform_types import snake_case, terraform_type
from enclave.offline.model import CapturedResource

STACK = "urn:pulumi:dev::demo::"


def resource(
    type_: str,
    name: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any] | None = None,
    property_dependencies: dict[str, list[str]] | None = None,
) -> CapturedResource:
    return CapturedResource(
        urn=f"{STACK}{type_}::{name}",
        type=type_,
        name=name,
        custom=True,
        inputs=inputs,
        outputs=outputs or {},
        property_dependencies=property_dependencies or {},
    )


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("aws:ec2/vpc:Vpc", "aws_vpc"),
        ("aws:ec2/flowLog:FlowLog", "aws_flow_log"),
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "aws_vpc_endpoint"),
        ("aws:ec2/tag:Tag", "aws_ec2_tag"),
        ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
        ("aws:s3/bucketVersioningV2:BucketVersioningV2", "aws_s3_bucket_versioning"),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws_s3_bucket_server_side_encryption_configuration",
        ),
        ("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "aws_s3_bucket_replication_configuration"),
        ("aws:kms/key:Key", "aws_kms_key"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
        ("aws:cfg/rule:Rule", "aws_config_config_rule"),
        ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
        ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws_iam_openid_connect_provider"),
        ("aws:eks/nodeGroup:NodeGroup", "aws_eks_node_group"),
        ("aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "aws_ec2_transit_gateway_peering_attachment"),
        ("aws:apigateway/restApi:RestApi", "aws_api_gateway_rest_api"),
        ("random:index/randomPet:RandomPet", None),
        ("kubernetes:core/v1:Namespace", None),
        ("pulumi:providers:aws", None),
    ],
)
def test_type_mapping(token: str, expected: str | None) -> None:
    assert terraform_type(token) == expected


@pytest.mark.parametrize(
    ("camel", "snake"),
    [
        ("kmsMasterKeyId", "kms_master_key_id"),
        ("sseAlgorithm", "sse_algorithm"),
        ("ipv6CidrBlock", "ipv6_cidr_block"),
        ("SSEAlgorithm", "sse_algorithm"),
        ("bucket", "bucket"),
    ],
)
def test_snake_case(camel: str, snake: str) -> None:
    assert snake_case(camel) == snake


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("rules", "rule"),
        ("policies", "policy"),
        ("globalSecondaryIndexes", "globalSecondaryIndex"),
        ("ingress", "ingress"),
        ("status", "status"),
    ],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_attributes_become_terraform_blocks_lists_and_maps() -> None:
    values = convert_attributes(
        {
            "bucket": "records-1",
            "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"}}],
            "versioningConfiguration": {"status": "Enabled"},
            "tags": {"Name": "records", "dataClass": "user"},
            "deletionWindowInDays": 30.0,
            "subnetIds": ["a", "b"],
            "__defaults": [],
        }
    )
    assert values == {
        "bucket": "records-1",
        "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "k"}]}],
        "versioning_configuration": [{"status": "Enabled"}],
        "tags": {"Name": "records", "dataClass": "user"},
        "deletion_window_in_days": 30,
        "subnet_ids": ["a", "b"],
    }


def test_plan_document_has_the_terraform_plan_shape_and_maps_addresses_to_urns() -> None:
    bucket = resource("aws:s3/bucket:Bucket", "records", {"bucket": "records-1"}, outputs={"arn": "arn:aws:s3:::r"})
    block = resource(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "records-pab",
        {"bucket": "records-1", "blockPublicAcls": True},
        property_dependencies={"bucket": [bucket.urn]},
    )
    plan = build_plan([bucket, block], region="eu-west-1")
    doc = plan.document
    assert doc["format_version"] == "1.2" and doc["terraform_version"] == "1.9.0"
    planned = doc["planned_values"]["root_module"]["resources"]
    assert [(r["address"], r["type"], r["name"], r["mode"]) for r in planned] == [
        ("aws_s3_bucket.records", "aws_s3_bucket", "records", "managed"),
        (
            "aws_s3_bucket_public_access_block.records-pab",
            "aws_s3_bucket_public_access_block",
            "records-pab",
            "managed",
        ),
    ]
    assert planned[0]["values"] == {"bucket": "records-1", "arn": "arn:aws:s3:::r"}
    assert planned[0]["provider_name"] == "registry.terraform.io/hashicorp/aws"
    assert [c["change"]["actions"] for c in doc["resource_changes"]] == [["create"], ["create"]]
    conf = doc["configuration"]["root_module"]["resources"][1]
    assert conf["expressions"] == {"bucket": {"references": ["aws_s3_bucket.records.id", "aws_s3_bucket.records"]}}
    assert doc["configuration"]["provider_config"]["aws"]["expressions"]["region"] == {"constant_value": "eu-west-1"}
    assert plan.address_to_urn == {
        "aws_s3_bucket.records": bucket.urn,
        "aws_s3_bucket_public_access_block.records-pab": block.urn,
    }


def test_unmapped_types_are_listed_and_components_and_providers_are_not_resources() -> None:
    pet = CapturedResource(
        urn=f"{STACK}random:index/randomPet:RandomPet::p",
        type="random:index/randomPet:RandomPet",
        name="p",
        custom=True,
        inputs={},
    )
    component = CapturedResource(
        urn=f"{STACK}my:enclave:Store::s", type="my:enclave:Store", name="s", custom=False, inputs={}
    )
    provider = CapturedResource(
        urn=f"{STACK}pulumi:providers:aws::eu", type="pulumi:providers:aws", name="eu", custom=True, inputs={}
    )
    plan = build_plan([pet, component, provider, resource("aws:ec2/vpc:Vpc", "net", {})])
    assert plan.unmapped_types == ["random:index/randomPet:RandomPet"]
    assert list(plan.address_to_urn) == ["aws_vpc.net"]


def test_resource_names_are_made_unique_and_valid() -> None:
    a = resource("aws:ec2/vpc:Vpc", "net/a", {})
    b = CapturedResource(
        urn=f"{STACK}x$aws:ec2/vpc:Vpc::net/a", type="aws:ec2/vpc:Vpc", name="net/a", custom=True, inputs={}
    )
    plan = build_plan([a, b])
    assert list(plan.address_to_urn) == ["aws_vpc.net_a", "aws_vpc.net_a_2"]
