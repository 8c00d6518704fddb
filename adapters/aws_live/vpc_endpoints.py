"""VPC endpoints -> ControlState (vpc-endpoint-policy): the same judgement the pack makes before deployment.

An endpoint is the enclave network's door to an AWS service; its policy decides whose credentials may use
it. DescribeVpcEndpoints returns each endpoint's policy document (AWS fills in the default "full access"
policy where none was set, which the rule fails, as it should). An endpoint AWS shows without a document,
or with one that is not JSON, cannot be judged: UNKNOWN, never a pass.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import ControlState, Fact
from residency.policy_documents import parse_document
from residency.rule_ids import VPC_ENDPOINT_POLICY
from residency.rules.hardening import endpoint_policy_gaps

RESOURCE_TYPE = "AWS::EC2::VPCEndpoint"
# Endpoints that no longer carry traffic; every other state is judged (pending ones too: they will).
GONE = frozenset({"deleted", "deleting", "rejected", "failed", "expired"})

PERMISSIONS = {"DescribeVpcEndpoints": "ec2:DescribeVpcEndpoints"}


def discover(api: Api) -> list[Any]:
    endpoints = api.items(
        "describe_vpc_endpoints",
        "VpcEndpoints",
        rule=VPC_ENDPOINT_POLICY,
        resource=api.arn("ec2", "vpc-endpoint/*"),
    )
    return [e for e in endpoints or [] if str(e.get("State", "")).lower() not in GONE]


def inspect(api: Api, endpoint: dict[str, Any]) -> list[Fact]:
    owner = endpoint.get("OwnerId") or api.account
    arn = f"arn:aws:ec2:{api.region}:{owner}:vpc-endpoint/{endpoint.get('VpcEndpointId')}"
    service = endpoint.get("ServiceName", "an unnamed service")
    raw = endpoint.get("PolicyDocument")
    if raw is None:
        return [ControlState(VPC_ENDPOINT_POLICY, arn, RESOURCE_TYPE, api.region, None, f"{service}: no policy shown")]
    document = parse_document(raw)
    if document is None:
        detail = f"{service}: the policy document is not a readable policy"
        return [ControlState(VPC_ENDPOINT_POLICY, arn, RESOURCE_TYPE, api.region, None, detail)]
    gaps = endpoint_policy_gaps(document)
    detail = f"{service}: " + ("; ".join(gaps) if gaps else "every Allow is held to the account or organisation")
    return [ControlState(VPC_ENDPOINT_POLICY, arn, RESOURCE_TYPE, api.region, not gaps, detail)]


SCANNER = ServiceScanner(
    name="vpc-endpoints",
    client_name="ec2",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    discovery_rule=VPC_ENDPOINT_POLICY,
)
