"""Seed an AWS Organization in the moto server: member accounts, their tags, their auditor roles, and an
organisation auditor (an IAM user of the management account) whose IAM policy moto enforces once
``enforcing_iam()`` is on. Shared by the organisation-audit tests and benchmarks/audit_org.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import boto3

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@dataclass(frozen=True)
class AccountSpec:
    name: str
    # The account's ``jurisdiction`` tag, or None for an untagged account.
    tag: str | None
    # The auditor role's jurisdiction (enclave-<role_jurisdiction>-auditor), or None: no role created.
    role_jurisdiction: str | None = None
    # (bucket name, region) pairs created in the account.
    buckets: tuple[tuple[str, str], ...] = ()
    # The organisation auditor's own policy denies it sts:AssumeRole into this account.
    denied: bool = False


@dataclass
class SeededOrg:
    url: str
    management: str
    access_key: str
    secret_key: str
    # account name -> account id
    accounts: dict[str, str] = field(default_factory=dict)

    def session(self) -> Any:
        return boto3.Session(
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key, region_name="eu-west-1"
        )


def _admin(url: str) -> Any:
    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def _in_account(url: str, account: str) -> Any:
    # moto issues credentials for any role ARN: this stands for the organisation's account-access role.
    sts = _admin(url).client("sts", endpoint_url=url)
    role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    c = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
    return boto3.Session(
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
        region_name="us-east-1",
    )


def seed_organization(url: str, specs: list[AccountSpec], user: str = "org-auditor") -> SeededOrg:
    admin = _admin(url)
    org = admin.client("organizations", endpoint_url=url)
    with suppress(org.exceptions.AlreadyInOrganizationException):
        org.create_organization(FeatureSet="ALL")
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    # The management account holds no enclave, and says so.
    org.tag_resource(ResourceId=management, Tags=[{"Key": "jurisdiction", "Value": "none"}])
    accounts: dict[str, str] = {}
    for spec in specs:
        tags = [{"Key": "jurisdiction", "Value": spec.tag}] if spec.tag else []
        status = org.create_account(AccountName=spec.name, Email=f"{spec.name}@example.org", Tags=tags)
        account = accounts[spec.name] = status["CreateAccountStatus"]["AccountId"]
        member = _in_account(url, account)
        if spec.role_jurisdiction:
            iam = member.client("iam", endpoint_url=url)
            role = f"enclave-{spec.role_jurisdiction}-auditor"
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{management}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
            iam.put_role_policy(RoleName=role, PolicyName="audit", PolicyDocument=json.dumps(ALLOW_ALL))
        for bucket, region in spec.buckets:
            s3 = member.client("s3", region_name=region, endpoint_url=url)
            where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            s3.create_bucket(Bucket=bucket, **where)
    iam = admin.client("iam", endpoint_url=url)
    denied = [f"arn:aws:iam::{accounts[s.name]}:role/*" for s in specs if s.denied]
    statements: list[dict[str, Any]] = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    if denied:
        statements.append({"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": denied})
    iam.create_user(UserName=user)
    iam.put_user_policy(
        UserName=user,
        PolicyName="org-audit",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return SeededOrg(url, management, key["AccessKeyId"], key["SecretAccessKey"], accounts)


@contextmanager
def enforcing_iam() -> Iterator[None]:
    """moto evaluates every request against the caller's IAM policies (and refuses unknown keys) meanwhile.

    The server runs in this process, so the switch is moto's own setting; it is restored afterwards."""
    from moto import settings

    before = settings.INITIAL_NO_AUTH_ACTION_COUNT
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    try:
        yield
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT = before
