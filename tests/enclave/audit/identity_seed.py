"""A second moto account for the identity and perimeter checks of issue 10: roles with break-glass, OIDC and
boundary trust (good and bad), and records buckets with and without the network deny: aws:SourceVpce, and
s3:DataAccessPointArn naming access points with a VPC origin on the bucket, with an Internet origin, on
another bucket, or absent.

Reached through STS AssumeRole, so what is seeded here does not change what the shared seeded account shows;
seeded once per emulator (tests/enclave/audit/test_scanner_identity.py and the permission test share it)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from adapters.aws_live.api import ClientFactory
from tests.moto_world import World, make_session

OTHER_ACCOUNT = "210987654321"
PREFIX = "enclave-eu-storage-records-"  # the records bucket's name (residency/data_tags.py); names are global
GITHUB = "token.actions.githubusercontent.com"
RESPONDER = f"arn:aws:iam::{OTHER_ACCOUNT}:user/responder-1"
ENDPOINT = "vpce-0123456789abcdef0"


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _assume(condition: dict[str, Any]) -> str:
    root = {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
    return _doc({"Effect": "Allow", "Principal": root, "Action": "sts:AssumeRole", "Condition": condition})


def _ci(sub_test: str, subject: str) -> str:
    condition: dict[str, dict[str, str]] = {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}
    condition.setdefault(sub_test, {})[f"{GITHUB}:sub"] = subject
    federated = {"Federated": f"arn:aws:iam::{OTHER_ACCOUNT}:oidc-provider/{GITHUB}"}
    return _doc(
        {"Effect": "Allow", "Principal": federated, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition}
    )


BREAK_GLASS_TRUST = {
    "Bool": {"aws:MultiFactorAuthPresent": "true"},
    "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "900"},
    "StringEquals": {"aws:PrincipalTag/jurisdiction": "eu"},
    "ArnEquals": {"aws:PrincipalArn": [RESPONDER]},
}
TAG_DENY = {
    "Effect": "Deny",
    "Action": [
        *("iam:CreateRole", "iam:CreateUser", "iam:TagRole", "iam:TagUser", "iam:UntagRole", "iam:UntagUser"),
        "sts:TagSession",
    ],
    "Resource": "*",
    "Condition": {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": ["jurisdiction"]}},
}
READ_ANYTHING = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def _session(url: str) -> Any:
    # moto keeps one state per account and maps assumed-role credentials to the role's account.
    sts = make_session().client("sts", endpoint_url=url)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/auditor", RoleSessionName="audit")
    c = creds["Credentials"]
    return boto3.Session(
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
        region_name="eu-west-1",
    )


def _seed_iam(iam: Any) -> dict[str, str]:
    boundary = iam.create_policy(PolicyName="enclave-eu-boundary", PolicyDocument=_doc(READ_ANYTHING, TAG_DENY))
    weak = iam.create_policy(PolicyName="weak-boundary", PolicyDocument=_doc(READ_ANYTHING))
    good, loose = boundary["Policy"]["Arn"], weak["Policy"]["Arn"]
    roles = {
        # name: (trust, max session, boundary)
        "enclave-eu-break-glass": (_assume(BREAK_GLASS_TRUST), 3600, good),
        "enclave-eu-break-glass-legacy": (_assume({"Bool": {"aws:MultiFactorAuthPresent": "true"}}), 43200, loose),
        "enclave-deploy": (_ci("StringEquals", "repo:example-org/regional-enclaves:environment:eu-dublin"), 3600, good),
        "ci-any-branch": (_ci("StringLike", "repo:example-org/*"), 3600, None),
    }
    arns = {}
    for name, (trust, session, policy) in roles.items():
        extra = {"PermissionsBoundary": policy} if policy else {}
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, MaxSessionDuration=session, **extra)
        arns[name] = role["Role"]["Arn"]
    return arns


# Records buckets whose policy requires an access point: kind -> (access point, its bucket's kind, VPC origin).
# The access point of "absent-access-point" is never created.
ACCESS_POINTS = {
    "through-access-point": ("enclave-eu-records", "through-access-point", True),
    "internet-access-point": ("records-internet", "internet-access-point", False),
    "elsewhere-access-point": ("records-elsewhere", "other-data", True),
    "absent-access-point": ("records-absent", None, True),
}


def access_point_arn(name: str) -> str:
    return f"arn:aws:s3:eu-west-1:{OTHER_ACCOUNT}:accesspoint/{name}"


def _outside_network(bucket: str, network: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "Sid": "DenyObjectAccessOutsideEnclaveNetwork",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {
            "StringNotEquals": network,
            "ArnNotEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{OTHER_ACCOUNT}:role/enclave-eu-break-glass"]},
        },
    }


def _seed_s3(s3: Any, s3control: Any) -> dict[str, str]:
    names = {}
    for kind in ("behind-endpoint", "open", "other-data", *ACCESS_POINTS):
        name = names[kind] = f"{PREFIX}{kind}" if kind != "other-data" else "enclave-eu-storage-testdata-identity"
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    endpoint = _outside_network(names["behind-endpoint"], {"aws:SourceVpce": [ENDPOINT]})
    s3.put_bucket_policy(Bucket=names["behind-endpoint"], Policy=_doc(endpoint))
    for kind, (point, on, in_vpc) in ACCESS_POINTS.items():
        through = _outside_network(names[kind], {"s3:DataAccessPointArn": [access_point_arn(point)]})
        s3.put_bucket_policy(Bucket=names[kind], Policy=_doc(through))
        if on is not None:
            vpc = {"VpcConfiguration": {"VpcId": "vpc-0123456789abcdef0"}} if in_vpc else {}
            s3control.create_access_point(AccountId=OTHER_ACCOUNT, Name=point, Bucket=names[on], **vpc)
    return {kind: f"arn:aws:s3:::{name}" for kind, name in names.items()}


@cache
def identity_account(moto_url: str) -> World:
    session = _session(moto_url)
    w = World(moto_url, session, session.client("sts", endpoint_url=moto_url).get_caller_identity()["Account"])
    assert w.account == OTHER_ACCOUNT
    w.ids.update(_seed_iam(session.client("iam", endpoint_url=moto_url)))
    s3control = ClientFactory(session, Config(), moto_url).client("s3control", "eu-west-1")
    w.ids.update(_seed_s3(session.client("s3", region_name="eu-west-1", endpoint_url=moto_url), s3control))
    return w
