"""EC2 networking and EBS snapshots -> facts.

- VPCs: Placement, vpc-flow-logs and no-internet-gateway (internet, egress-only and public NAT gateways);
- VPC peering and transit-gateway peering: Transfer to the other side's region (seen from each side);
- EBS snapshots owned by the account: Placement; createVolumePermission grants to other accounts or to
  everyone (Transfer ebs-snapshot-share); a copy made from another region (Transfer ebs-snapshot-copy,
  recognised by the description EC2 gives copies: "[Copied snap-... from REGION]").
"""

from __future__ import annotations

import re
from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import ControlState, Destination, Fact, Placement, Transfer, Vector
from residency.rule_ids import LOCATION, NO_INTERNET_GATEWAY, VPC_FLOW_LOGS, transfer_rule_id

VPC = "AWS::EC2::VPC"
PEERING = "AWS::EC2::VPCPeeringConnection"
TGW_PEERING = "AWS::EC2::TransitGatewayPeeringAttachment"
SNAPSHOT = "AWS::EC2::Snapshot"

PERMISSIONS = {
    "DescribeVpcs": "ec2:DescribeVpcs",
    "DescribeFlowLogs": "ec2:DescribeFlowLogs",
    "DescribeInternetGateways": "ec2:DescribeInternetGateways",
    "DescribeEgressOnlyInternetGateways": "ec2:DescribeEgressOnlyInternetGateways",
    "DescribeNatGateways": "ec2:DescribeNatGateways",
    "DescribeVpcPeeringConnections": "ec2:DescribeVpcPeeringConnections",
    "DescribeTransitGatewayPeeringAttachments": "ec2:DescribeTransitGatewayPeeringAttachments",
    "DescribeSnapshots": "ec2:DescribeSnapshots",
    "DescribeSnapshotAttribute": "ec2:DescribeSnapshotAttribute",
}

INACTIVE = frozenset({"deleted", "deleting", "rejected", "failed", "expired"})
COPIED_FROM = re.compile(r"\[Copied (snap-[0-9a-zA-Z]+) from ([a-z0-9-]+)\]")


def discover(api: Api) -> list[Any]:
    vpcs = api.items("describe_vpcs", "Vpcs", rule=LOCATION, resource=api.arn("ec2", "vpc/*"))
    flow_logs = api.items("describe_flow_logs", "FlowLogs", rule=VPC_FLOW_LOGS, resource=api.arn("ec2", "vpc/*"))
    logged = None if flow_logs is None else {f.get("ResourceId") for f in flow_logs}
    attached = _gateways(api)
    items: list[Any] = [("vpc", (vpc, logged, attached)) for vpc in vpcs or []]
    peerings = api.items(
        "describe_vpc_peering_connections",
        "VpcPeeringConnections",
        rule=transfer_rule_id(Vector.VPC_PEERING),
        resource=api.arn("ec2", "vpc-peering-connection/*"),
    )
    items += [("peering", p) for p in peerings or []]
    tgw = api.items(
        "describe_transit_gateway_peering_attachments",
        "TransitGatewayPeeringAttachments",
        rule=transfer_rule_id(Vector.TRANSIT_GATEWAY_PEERING),
        resource=api.arn("ec2", "transit-gateway-attachment/*"),
    )
    items += [("tgw", t) for t in tgw or []]
    snapshots = api.items(
        "describe_snapshots",
        "Snapshots",
        rule=LOCATION,
        resource=api.arn("ec2", "snapshot/*"),
        OwnerIds=["self"],
    )
    items += [("snapshot", s) for s in snapshots or []]
    return items


def _gateways(api: Api) -> dict[str, list[str]] | None:
    """VPC id -> the internet, egress-only internet and NAT gateways attached to it; None if unreadable."""
    resource = api.arn("ec2", "vpc/*")
    igws = api.items("describe_internet_gateways", "InternetGateways", rule=NO_INTERNET_GATEWAY, resource=resource)
    egress = api.items(
        "describe_egress_only_internet_gateways",
        "EgressOnlyInternetGateways",
        rule=NO_INTERNET_GATEWAY,
        resource=resource,
    )
    nats = api.items("describe_nat_gateways", "NatGateways", rule=NO_INTERNET_GATEWAY, resource=resource)
    if igws is None or egress is None or nats is None:
        return None  # the failed call is an ERROR finding; a partial answer would be a false PASS
    attached: dict[str, list[str]] = {}
    for gateway, key in [(g, "InternetGatewayId") for g in igws] + [(g, "EgressOnlyInternetGatewayId") for g in egress]:
        for attachment in gateway.get("Attachments", []):
            if attachment.get("State") in ("available", "attached"):
                attached.setdefault(attachment["VpcId"], []).append(gateway[key])
    for nat in nats:
        # A private NAT gateway does not reach the internet.
        if nat.get("State") in ("pending", "available") and nat.get("ConnectivityType", "public") == "public":
            attached.setdefault(nat["VpcId"], []).append(nat["NatGatewayId"])
    return attached


def inspect(api: Api, item: tuple[str, Any]) -> list[Fact]:
    kind, data = item
    if kind == "vpc":
        return _vpc(api, *data)
    if kind == "peering":
        return _peering(api, data)
    if kind == "tgw":
        return _tgw_peering(api, data)
    return _snapshot(api, data)


def _vpc(api: Api, vpc: dict[str, Any], logged: set[str] | None, attached: dict[str, list[str]] | None) -> list[Fact]:
    vpc_id = vpc["VpcId"]
    arn = f"arn:aws:ec2:{api.region}:{vpc.get('OwnerId', api.account)}:vpc/{vpc_id}"
    kind = f"{VPC} (default VPC)" if vpc.get("IsDefault") else VPC
    facts: list[Fact] = [Placement(arn, kind, api.region)]
    if logged is not None:
        facts.append(
            ControlState(
                VPC_FLOW_LOGS,
                arn,
                VPC,
                api.region,
                vpc_id in logged,
                "flow log" if vpc_id in logged else "no flow log",
            )
        )
    if attached is not None:
        gateways = attached.get(vpc_id, [])
        detail = f"gateway to the internet attached: {', '.join(gateways)}" if gateways else "no internet gateway"
        facts.append(ControlState(NO_INTERNET_GATEWAY, arn, VPC, api.region, not gateways, detail))
    return facts


def _other_side(api: Api, requester: dict[str, Any], accepter: dict[str, Any]) -> dict[str, Any] | None:
    if requester.get("Region", api.region) == api.region:
        return accepter
    if accepter.get("Region") == api.region:
        return requester
    return None


def _peering(api: Api, connection: dict[str, Any]) -> list[Fact]:
    if connection.get("Status", {}).get("Code") in INACTIVE:
        return []
    other = _other_side(api, connection.get("RequesterVpcInfo", {}), connection.get("AccepterVpcInfo", {}))
    if other is None:
        return []
    arn = api.arn("ec2", f"vpc-peering-connection/{connection['VpcPeeringConnectionId']}")
    region, account = other.get("Region"), other.get("OwnerId")
    where = Destination(f"VPC {other.get('VpcId')} of account {account} in {region}", region, account)
    return [Transfer(Vector.VPC_PEERING, arn, PEERING, api.region, where)]


def _tgw_peering(api: Api, attachment: dict[str, Any]) -> list[Fact]:
    if attachment.get("State") in INACTIVE:
        return []
    other = _other_side(api, attachment.get("RequesterTgwInfo", {}), attachment.get("AccepterTgwInfo", {}))
    if other is None:
        return []
    arn = api.arn("ec2", f"transit-gateway-attachment/{attachment['TransitGatewayAttachmentId']}")
    region, account = other.get("Region"), other.get("OwnerId")
    where = Destination(
        f"transit gateway {other.get('TransitGatewayId')} of account {account} in {region}", region, account
    )
    return [Transfer(Vector.TRANSIT_GATEWAY_PEERING, arn, TGW_PEERING, api.region, where)]


def _snapshot(api: Api, snapshot: dict[str, Any]) -> list[Fact]:
    snapshot_id = snapshot["SnapshotId"]
    arn = f"arn:aws:ec2:{api.region}::snapshot/{snapshot_id}"
    facts: list[Fact] = [Placement(arn, SNAPSHOT, api.region)]
    copied = COPIED_FROM.search(snapshot.get("Description") or "")
    if copied and copied.group(2) != api.region:
        source = copied.group(2)
        where = Destination(f"copy of {copied.group(1)} from {source}", api.region)
        facts.append(Transfer(Vector.EBS_SNAPSHOT_COPY, arn, SNAPSHOT, source, where))
    permissions = api.call(
        "describe_snapshot_attribute",
        rule=transfer_rule_id(Vector.EBS_SNAPSHOT_SHARE),
        resource=arn,
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
    )
    facts += share_transfers(
        (permissions or {}).get("CreateVolumePermissions", []), arn, SNAPSHOT, api.region, "snapshot"
    )
    return facts


def share_transfers(grants: list[dict[str, Any]], arn: str, resource_type: str, region: str, noun: str) -> list[Fact]:
    """An EBS snapshot's create-volume or an AMI's launch permissions: one share per account, or the public."""
    facts: list[Fact] = []
    for grant in grants:
        if grant.get("Group") == "all":
            where = Destination(f"every AWS account (public {noun})", worldwide=True)
        else:
            account = grant.get("UserId")
            where = Destination(f"account {account}", None, account)
        facts.append(Transfer(Vector.EBS_SNAPSHOT_SHARE, arn, resource_type, region, where))
    return facts


SCANNER = ServiceScanner(name="ec2", client_name="ec2", permissions=PERMISSIONS, discover=discover, inspect=inspect)
