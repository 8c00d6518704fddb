"""Route 53 Resolver forwarding rules, read live and judged by transfer-data-path as the pack judges them.

A moto account of its own (through STS AssumeRole), so its rules do not change what the shared account shows.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.moto_world import World, audit, make_session

ACCOUNT = "555566667777"
REGION = "eu-west-1"


@pytest.fixture(scope="module")
def account(moto_url: str) -> World:
    sts = make_session().client("sts", endpoint_url=moto_url)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/auditor", RoleSessionName="audit")["Credentials"]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=REGION,
    )
    w = World(moto_url, session, ACCOUNT)
    ec2: Any = session.client("ec2", region_name=REGION, endpoint_url=moto_url)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    group = ec2.create_security_group(GroupName="dns", Description="dns", VpcId=vpc)["GroupId"]
    resolver: Any = session.client("route53resolver", region_name=REGION, endpoint_url=moto_url)
    endpoint = resolver.create_resolver_endpoint(
        CreatorRequestId="out",
        Direction="OUTBOUND",
        SecurityGroupIds=[group],
        IpAddresses=[{"SubnetId": s} for s in subnets],
    )["ResolverEndpoint"]["Id"]
    for name, domain, ip in (("public", "partner.example", "203.0.113.5"), ("private", "corp.internal", "10.7.0.53")):
        rule = resolver.create_resolver_rule(
            CreatorRequestId=name,
            Name=name,  # moto sorts rules by name
            RuleType="FORWARD",
            DomainName=domain,
            TargetIps=[{"Ip": ip, "Port": 53}],
            ResolverEndpointId=endpoint,
        )["ResolverRule"]
        w.ids[name] = rule["Arn"]
    return w


def test_a_rule_forwarding_queries_to_a_public_address_fails_and_one_inside_the_network_passes(
    account: World,
) -> None:
    report = audit(account, ("route53resolver",), regions=(REGION,))
    assert [f for f in report.findings if f.status == "ERROR"] == []
    paths = {(f.resource, f.status) for f in report.findings if f.rule == "transfer-data-path"}
    assert (account.ids["public"], "FAIL") in paths
    assert not [r for r, status in paths if r == account.ids["private"] and status != "PASS"]
    placed = {f.resource for f in report.findings if f.rule == "residency-location" and f.status == "PASS"}
    assert {account.ids["public"], account.ids["private"]} <= placed
