"""Endpoint policies (vpc-endpoint-policy) and key-policy service grants (service-grant-bound), read live.

A moto account of its own (reached through STS AssumeRole), so the endpoints and keys seeded here do not
change what the shared seeded account shows. The judgement is the pack's (residency.rules.hardening).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.moto_world import World, audit, make_session

ACCOUNT = "444455556666"
REGION = "eu-west-1"


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


HELD_TO_ACCOUNT = _policy(
    {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
    }
)
ROOT = {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*"}
LOGS = {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*"}
BOUND = {"aws:SourceAccount": ACCOUNT, "aws:SourceArn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/enclave"}


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
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    s3 = f"com.amazonaws.{REGION}.s3"
    w.ids["default-policy"] = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=s3)["VpcEndpoint"]["VpcEndpointId"]
    w.ids["held-policy"] = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=s3, PolicyDocument=HELD_TO_ACCOUNT)[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    kms: Any = session.client("kms", region_name=REGION, endpoint_url=moto_url)
    for name, policy in (
        ("unbound-key", _policy(ROOT, LOGS)),
        ("bound-key", _policy(ROOT, {**LOGS, "Condition": {"StringEquals": BOUND}})),
        ("default-key", None),
    ):
        args = {"Policy": policy} if policy else {}
        w.ids[name] = kms.create_key(Description=name, **args)["KeyMetadata"]["Arn"]
    return w


def _states(w: World, service: str, rule: str) -> dict[str, tuple[str, str]]:
    report = audit(w, (service,), regions=(REGION,))
    assert [f for f in report.findings if f.status == "ERROR"] == []
    return {f.resource: (f.status, f.message) for f in report.findings if f.rule == rule}


def test_an_endpoint_with_the_default_full_access_policy_fails_and_one_held_to_the_account_passes(
    account: World,
) -> None:
    states = _states(account, "vpc-endpoints", "vpc-endpoint-policy")
    arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc-endpoint/"
    status, message = states[arn + account.ids["default-policy"]]
    assert status == "FAIL" and "allows without aws:PrincipalAccount or aws:PrincipalOrgID" in message
    assert states[arn + account.ids["held-policy"]][0] == "PASS"
    assert len(states) == 2


def test_a_key_policy_grant_to_a_service_without_source_conditions_fails(account: World) -> None:
    states = _states(account, "kms", "service-grant-bound")
    status, message = states[account.ids["unbound-key"]]
    assert status == "FAIL" and "(cloudtrail.amazonaws.com) lacks aws:SourceAccount and aws:SourceArn" in message
    assert states[account.ids["bound-key"]][0] == "PASS"
    assert states[account.ids["default-key"]][0] == "PASS"  # grants no service
