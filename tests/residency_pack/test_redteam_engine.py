"""What the red-team corpus (tests/enclave/gate/programs/redteam) found let through, each fixed in the core and
tested here through the real gRPC protocol: a failing program is blocked by the rule named, its in-jurisdiction
counterpart gets no residency finding.

- a named vector (VPC/transit-gateway peering, ECR replication, Backup copy) to another account inside the
  jurisdiction's regions passed on region alone: the account is judged too (sharing);
- an IP address outside the enclave's networks (a resolver forwarder, a customer gateway) was no destination;
- a Bedrock cross-region inference profile named a region in its ARN but AWS routes it across a geography
  (`global.`: worldwide);
- Global Accelerator endpoint groups were control-plane (their inputs not searched) though they route
  requests to the region they name;
- an AppFlow flow's destination bucket was not a bucket destination;
- a URL in a script (instance user data, also base64 as launch templates take it) was not searched;
- an SES receipt rule's S3 action bucket was not a bucket destination.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from policy_engine.client import Diagnostic, PolicyEngine
from tests.residency_pack.cases import Case, Res
from tests.residency_pack.data_path_cases import ASSESSMENTS, FOREIGN, OWN, STACK_CONFIG
from tests.residency_pack.engine_support import captured, start_governed_engine
from tests.residency_pack.test_data_path_classes_engine import residency_blocks

EU_OTHER = "111111111100"  # another EU enclave account (residency/catalogue.toml)
GLOBAL_PROFILE = "arn:aws:bedrock:eu-west-1::inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0"
EU_PROFILE = "arn:aws:bedrock:eu-west-1::inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"
EU_MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
PROFILE = "aws:bedrock/inferenceProfile:InferenceProfile"
REVIEWED_EU_GEOGRAPHY = """
[[assessment]]
id = "TRA-TEST-BEDROCK-EU"
source = "eu"
destination = { provider = "bedrock:eu" }
vectors = ["resource-reference"]
data_categories = ["support questions without personal data"]
purpose = "Model inference through AWS's EU geography, reviewed against AWS's list of its regions"
legal_mechanism = "adequacy-decision"
supplementary_measures = ["prompts de-identified before inference"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
resources = ["urn:pulumi:test::enclave::aws:bedrock/inferenceProfile:InferenceProfile::reviewed"]
"""


def _peering(owner: str, region: str = "eu-central-1") -> Case:
    props = {"vpcId": "vpc-1", "peerVpcId": "vpc-2", "peerRegion": region, "peerOwnerId": owner}
    return [Res("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "peer", props)]


def _ecr(registry: str) -> Case:
    rules = [{"destinations": [{"region": "eu-central-1", "registryId": registry}]}]
    return [
        Res(
            "aws:ecr/replicationConfiguration:ReplicationConfiguration",
            "images",
            {"replicationConfiguration": {"rules": rules}},
        )
    ]


def _backup(account: str) -> Case:
    vault = f"arn:aws:backup:eu-central-1:{account}:backup-vault:copy"
    rule = {
        "ruleName": "daily",
        "targetVaultName": "v",
        "schedule": "cron(0 3 * * ? *)",
        "copyActions": [{"destinationVaultArn": vault}],
    }
    return [Res("aws:backup/plan:Plan", "plan", {"rules": [rule]})]


def _resolver(ip: str) -> Case:
    props = {"domainName": "corp.example", "ruleType": "FORWARD", "resolverEndpointId": "r", "targetIps": [{"ip": ip}]}
    return [Res("aws:route53/resolverRule:ResolverRule", "fwd", props)]


def _gateway(ip: str) -> Case:
    return [
        Res("aws:ec2/customerGateway:CustomerGateway", "gw", {"bgpAsn": "65000", "ipAddress": ip, "type": "ipsec.1"})
    ]


def _profile(source: str, name: str = "assistant") -> Case:
    return [Res(PROFILE, name, {"name": name, "modelSource": {"copyFrom": source}})]


def _agent(model: str) -> Case:
    props = {"agentName": "helper", "agentResourceRoleArn": f"arn:aws:iam::{OWN}:role/r", "foundationModel": model}
    return [Res("aws:bedrock/agentAgent:AgentAgent", "helper", props)]


def _accelerator(region: str) -> Case:
    endpoint = f"arn:aws:elasticloadbalancing:{region}:{OWN}:loadbalancer/app/web/1"
    props = {
        "listenerArn": f"arn:aws:globalaccelerator::{OWN}:accelerator/a/listener/l",
        "endpointGroupRegion": region,
        "endpointConfigurations": [{"endpointId": endpoint}],
    }
    return [Res("aws:globalaccelerator/endpointGroup:EndpointGroup", "group", props)]


def _attachment(account: str) -> Case:
    props = {"name": "front", "principals": [account]}
    return [Res("aws:globalaccelerator/crossAccountAttachment:CrossAccountAttachment", "front", props)]


def _flow(bucket_props: dict[str, str] | None) -> Case:
    destination = {"connectorType": "S3", "destinationConnectorProperties": {"s3": {"bucketName": "records-drop"}}}
    flow = Res(
        "aws:appflow/flow:Flow",
        "export",
        {"triggerConfig": {"triggerType": "OnDemand"}, "destinationFlowConfigs": [destination]},
    )
    return [flow] if bucket_props is None else [Res("aws:s3/bucket:Bucket", "records-drop", bucket_props), flow]


def _instance(script: str) -> Case:
    return [
        Res("aws:ec2/instance:Instance", "worker", {"ami": "ami-1", "instanceType": "t3.micro", "userData": script})
    ]


UPLOAD = "#!/bin/sh\ntar cz /data | curl -T - https://drop.partner.example/upload\n"


def _launch_template(script: str) -> Case:
    encoded = base64.b64encode(script.encode()).decode()
    return [Res("aws:ec2/launchTemplate:LaunchTemplate", "workers", {"imageId": "ami-1", "userData": encoded})]


def _receipt(bucket_props: dict[str, str] | None) -> Case:
    rule = Res(
        "aws:ses/receiptRule:ReceiptRule",
        "inbound",
        {"ruleSetName": "rs", "s3Actions": [{"bucketName": "mail-drop", "position": 1}]},
    )
    return [rule] if bucket_props is None else [Res("aws:s3/bucket:Bucket", "mail-drop", bucket_props), rule]


FETCH_IN_REGION = "#!/bin/sh\naws s3 cp s3://records/app.tar - | tar xz  # https://s3.eu-west-1.amazonaws.com\n"

# name: (failing case, the policy that must block it, its status, passing counterpart)
FIXED: dict[str, tuple[Case, str, str, Case]] = {
    "vpc-peering-foreign-account-in-eu": (_peering(FOREIGN), "transfer-vpc-peering", "violated", _peering(EU_OTHER)),
    "ecr-replication-foreign-registry-in-eu": (_ecr(FOREIGN), "transfer-ecr-replication", "violated", _ecr(OWN)),
    "backup-copy-foreign-vault-in-eu": (_backup(FOREIGN), "transfer-backup-copy", "violated", _backup(EU_OTHER)),
    "resolver-forwards-to-public-ip": (
        _resolver("203.0.113.10"),
        "transfer-data-path",
        "violated",
        _resolver("10.0.0.2"),
    ),
    "vpn-to-public-customer-gateway": (
        _gateway("198.51.100.7"),
        "transfer-data-path",
        "violated",
        _gateway("172.16.0.1"),
    ),
    "bedrock-global-profile": (_profile(GLOBAL_PROFILE), "transfer-data-path", "violated", _profile(EU_MODEL)),
    "bedrock-agent-us-profile-id": (
        _agent("us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
        "transfer-data-path",
        "cannot be verified",
        _agent("anthropic.claude-3-5-sonnet-20241022-v2:0"),
    ),
    "bedrock-eu-profile-unreviewed": (
        _profile(EU_PROFILE),
        "transfer-data-path",
        "cannot be verified",
        _profile(EU_PROFILE, "reviewed"),
    ),
    "global-accelerator-us-endpoints": (
        _accelerator("us-east-1"),
        "transfer-data-path",
        "violated",
        _accelerator("eu-west-1"),
    ),
    "global-accelerator-foreign-attachment": (
        _attachment(FOREIGN),
        "transfer-data-path",
        "violated",
        _attachment(EU_OTHER),
    ),
    "appflow-to-bucket-outside-program": (
        _flow(None),
        "transfer-bucket-destination",
        "cannot be verified",
        _flow({"bucket": "records-drop"}),
    ),
    "base64-user-data-uploads-outside-aws": (
        _launch_template(UPLOAD),
        "transfer-data-path",
        "violated",
        _launch_template(FETCH_IN_REGION),
    ),
    "ses-receipt-to-bucket-outside-program": (
        _receipt(None),
        "transfer-bucket-destination",
        "cannot be verified",
        _receipt({"bucket": "mail-drop"}),
    ),
    "user-data-uploads-outside-aws": (_instance(UPLOAD), "transfer-data-path", "violated", _instance(FETCH_IN_REGION)),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyEngine]:
    engine = start_governed_engine(
        STACK_CONFIG, tmp_path_factory.mktemp("governance"), ASSESSMENTS + REVIEWED_EU_GEOGRAPHY
    )
    yield engine
    engine.close()


def _blocked_by(diags: list[Diagnostic], policy: str) -> list[Diagnostic]:
    return [d for d in diags if d.level == "mandatory" and d.policy == policy]


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_path_found_let_through_is_blocked(engine: PolicyEngine, name: str) -> None:
    failing, policy, status, _ = FIXED[name]
    blocked = _blocked_by(engine.analyze(captured(failing)), policy)
    assert blocked, f"{name}: not blocked by {policy}"
    assert all(f"[{policy} {status}]" in d.message for d in blocked), [d.message for d in blocked]


@pytest.mark.parametrize("name", sorted(FIXED))
def test_its_in_jurisdiction_counterpart_passes(engine: PolicyEngine, name: str) -> None:
    _, _, _, passing = FIXED[name]
    assert not residency_blocks(engine.analyze(captured(passing)))


def test_the_messages_say_why(engine: PolicyEngine) -> None:
    [peer] = _blocked_by(engine.analyze(captured(_peering(FOREIGN))), "transfer-vpc-peering")
    assert f"of account {FOREIGN}, which is not an enclave account of European Union" in peer.message
    [ip] = _blocked_by(engine.analyze(captured(_resolver("203.0.113.10"))), "transfer-data-path")
    assert "host 203.0.113.10, outside AWS" in ip.message
    [world] = _blocked_by(engine.analyze(captured(_profile(GLOBAL_PROFILE))), "transfer-data-path")
    assert "any commercial region" in world.message and "worldwide" in world.message
    [eu] = _blocked_by(engine.analyze(captured(_profile(EU_PROFILE))), "transfer-data-path")
    assert "'eu' geography" in eu.message


def test_a_foreign_account_in_another_jurisdiction_region_is_still_a_region_violation(engine: PolicyEngine) -> None:
    [peer] = _blocked_by(engine.analyze(captured(_peering(FOREIGN, "us-east-1"))), "transfer-vpc-peering")
    assert "in us-east-1, outside European Union" in peer.message
