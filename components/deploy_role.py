"""The deploy role of every enclave account, as code: created by the org stack, with its own boundary.

``pulumi up`` of an enclave runs as ``enclave-deploy`` in that enclave's account. The org stack creates it
there (through the account's bootstrap role, ``OrganizationAccountAccessRole`` by default), so the role that
deploys an enclave is never defined by hand and never by itself:

- trust: only the CI identity of the protected environment of this stack (GitHub OIDC, ``aud`` = STS and
  ``sub`` = ``repo:<org>/<repo>:environment:<stack>``; the environment admits only the protected branch), and
  the enclave's break-glass role through the home region;
- a boundary of its own (``enclave-deploy-boundary``): the services the enclave uses, in the jurisdiction's
  regions; never an object of an enclave bucket nor a data key of an enclave key; never one of the people's
  roles; every role it creates carries an enclave boundary; no users; the jurisdiction tag never; and it
  cannot change itself or its boundary.

The identity-guard SCP repeats the data denies, so even a key or bucket policy the deploy role rewrote
cannot hand it user records; every key or bucket policy change raises the guardrail alarm.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.policy import OBJECT_DATA_ACTIONS, Statement, deny_jurisdiction_tag, document, iam_arn
from components.principals import (
    AUDITOR,
    BREAK_GLASS,
    ENGINEER,
    JURISDICTION_TAG,
    OPERATOR,
    boundary_policy_name,
    policy_arn,
    role_arn,
    service_boundary_policy_name,
)
from residency.identity import GITHUB_OIDC_HOST, STS_AUDIENCE, ci_subject
from residency.jurisdictions import Jurisdiction

DEPLOY_BOUNDARY_NAME = "enclave-deploy-boundary"
# The services an enclave stack creates resources in (components/*): the deploy role's ceiling.
DEPLOY_SERVICES = [
    "autoscaling:*",
    "cloudtrail:*",
    "ec2:*",
    "eks:*",
    "events:*",
    "iam:*",
    "kms:*",
    "logs:*",
    "s3:*",
    "sns:*",
    "sts:GetCallerIdentity",
]
KEY_DATA_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant"]
ENCLAVE_KEY_PURPOSES = ("records", "testdata", "audit", "kubernetes")
# Role changes the deploy role may not make to itself.
SELF_CHANGE_ACTIONS = [
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRole",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:TagRole",
    "iam:UntagRole",
]


@dataclass(frozen=True)
class EnclaveStackRef:
    """One shipped enclave stack, as the org stack sees it."""

    stack: str
    jurisdiction: Jurisdiction
    account_id: str
    region: str


def deploy_trust_statements(
    ref: EnclaveStackRef, oidc_provider_arn: pulumi.Input[str], repository: str
) -> list[Statement]:
    host = GITHUB_OIDC_HOST
    return [
        {
            "Sid": "ProtectedEnvironmentCi",
            "Effect": "Allow",
            "Principal": {"Federated": oidc_provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {f"{host}:aud": STS_AUDIENCE, f"{host}:sub": ci_subject(repository, ref.stack)}
            },
        },
        {
            # Break-glass may deploy (a broken pipeline is an incident too); through the home region, so the
            # assumption is recorded where the alarm runs. MFA was required to become break-glass.
            "Sid": "BreakGlass",
            "Effect": "Allow",
            "Principal": {"AWS": role_arn(ref.account_id, ref.jurisdiction.id, BREAK_GLASS)},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:RequestedRegion": ref.region}},
        },
    ]


def deploy_boundary_statements(ref: EnclaveStackRef, deploy_role_name: str) -> list[Statement]:
    jid, account = ref.jurisdiction.id, ref.account_id
    buckets = f"arn:aws:s3:::enclave-{jid}-*"
    # The enclave's S3 access points (the records bucket is read through one): IAM authorises a request through
    # an access point against the access point's ARN, so the bucket ARNs alone would not name it.
    access_points = f"arn:aws:s3:*:{account}:accesspoint/enclave-{jid}-*"
    own = [
        f"arn:aws:iam::{account}:role/{deploy_role_name}",
        policy_arn(account, DEPLOY_BOUNDARY_NAME),
    ]
    return [
        {"Sid": "EnclaveServices", "Effect": "Allow", "Action": DEPLOY_SERVICES, "Resource": "*"},
        {
            "Sid": "DenyOutsideJurisdiction",
            "Effect": "Deny",
            "NotAction": ["iam:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ref.jurisdiction.sorted_regions()}},
        },
        {
            "Sid": "DenyEnclaveObjects",
            "Effect": "Deny",
            "Action": OBJECT_DATA_ACTIONS,
            "Resource": [buckets, f"{buckets}/*", access_points, f"{access_points}/object/*"],
        },
        {
            "Sid": "DenyEnclaveDataKeys",
            "Effect": "Deny",
            "Action": KEY_DATA_ACTIONS,
            "Resource": "*",
            "Condition": {
                "ForAnyValue:StringEquals": {
                    "kms:ResourceAliases": [f"alias/enclave-{jid}-{p}" for p in ENCLAVE_KEY_PURPOSES]
                }
            },
        },
        {
            "Sid": "DenyBecomingPeople",
            "Effect": "Deny",
            "Action": "sts:AssumeRole",
            "Resource": [role_arn(account, jid, p) for p in (OPERATOR, BREAK_GLASS, ENGINEER, AUDITOR)],
        },
        {
            # Every role it creates carries an enclave boundary (people's or EKS services'), so no new role
            # can read user records (the people's boundary admits records to the named readers only).
            "Sid": "DenyUnboundedRoles",
            "Effect": "Deny",
            "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            "Resource": "*",
            "Condition": {
                "ArnNotEquals": {
                    "iam:PermissionsBoundary": [
                        policy_arn(account, boundary_policy_name(jid)),
                        policy_arn(account, service_boundary_policy_name(jid)),
                    ]
                }
            },
        },
        {
            "Sid": "DenyUsersAndBoundaryRemoval",
            "Effect": "Deny",
            "Action": [
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:DeleteRolePermissionsBoundary",
            ],
            "Resource": "*",
        },
        {"Sid": "DenySelfChange", "Effect": "Deny", "Action": SELF_CHANGE_ACTIONS, "Resource": own},
        deny_jurisdiction_tag(JURISDICTION_TAG),
    ]


def deploy_role_statements() -> list[Statement]:
    """The role's own grant: the enclave's services (its boundary is what narrows them)."""
    return [{"Sid": "DeployEnclave", "Effect": "Allow", "Action": DEPLOY_SERVICES, "Resource": "*"}]


@dataclass(frozen=True)
class DeployRolesArgs:
    enclaves: Sequence[EnclaveStackRef]
    repository: str  # GitHub <org>/<repo> whose protected environments deploy
    region: str  # where the org stack's providers send their (IAM, global) calls
    deploy_role_name: str
    bootstrap_role_name: str


class DeployRoles(pulumi.ComponentResource):
    """One protected deploy role (with its OIDC provider and boundary) per shipped enclave stack."""

    roles: dict[str, aws.iam.Role]

    def __init__(self, name: str, args: DeployRolesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:DeployRoles", name, None, opts)
        self.roles = {}
        for ref in args.enclaves:
            self.roles[ref.stack] = self._deploy_role(f"{name}-{ref.stack}", ref, args)
        self.register_outputs({"deployRoleArns": {stack: r.arn for stack, r in self.roles.items()}})

    def _deploy_role(self, name: str, ref: EnclaveStackRef, args: DeployRolesArgs) -> aws.iam.Role:
        provider = aws.Provider(
            f"{name}-aws",
            region=args.region,
            sts_region=args.region,
            allowed_account_ids=[ref.account_id],
            assume_roles=[
                aws.ProviderAssumeRoleArgs(
                    role_arn=f"arn:aws:iam::{ref.account_id}:role/{args.bootstrap_role_name}",
                    session_name="enclave-org-bootstrap",
                )
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )
        guard = pulumi.ResourceOptions(parent=self, provider=provider, protect=True)
        oidc = aws.iam.OpenIdConnectProvider(
            f"{name}-github-oidc",
            url=f"https://{GITHUB_OIDC_HOST}",
            client_id_lists=[STS_AUDIENCE],
            opts=guard,
        )
        boundary = aws.iam.Policy(
            f"{name}-boundary",
            name=DEPLOY_BOUNDARY_NAME,
            description=f"Permissions boundary of the {ref.jurisdiction.id} enclave's deploy role",
            policy=json.dumps(
                {"Version": "2012-10-17", "Statement": deploy_boundary_statements(ref, args.deploy_role_name)}
            ),
            opts=pulumi.ResourceOptions.merge(guard, pulumi.ResourceOptions(retain_on_delete=True)),
        )
        role = aws.iam.Role(
            name,
            name=args.deploy_role_name,
            description=f"Runs pulumi up for {ref.stack} (CI of its protected environment, or break-glass)",
            # ARNs from the account and names, known at preview (``arn`` is not): the pack reads the trust.
            assume_role_policy=document(
                *deploy_trust_statements(ref, _oidc_provider_arn(ref.account_id, oidc), args.repository)
            ),
            permissions_boundary=iam_arn(ref.account_id, "policy", boundary),
            max_session_duration=3600,
            opts=guard,
        )
        aws.iam.RolePolicy(
            f"{name}-policy",
            role=role.id,
            policy=json.dumps({"Version": "2012-10-17", "Statement": deploy_role_statements()}),
            opts=guard,
        )
        return role


def _oidc_provider_arn(account: str, provider: aws.iam.OpenIdConnectProvider) -> pulumi.Output[str]:
    """``arn:aws:iam::<account>:oidc-provider/<host>``: IAM names an OIDC provider by its URL without the scheme.
    From the provider's ``url`` input, so it keeps the dependency and is known at preview."""
    return provider.url.apply(lambda url: f"arn:aws:iam::{account}:oidc-provider/{url.removeprefix('https://')}")


def _unused(_: Any) -> None:  # pragma: no cover
    return None
