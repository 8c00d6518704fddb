"""Failing and passing programs for the identity and protection rules (issue 10), merged into
tests/residency_pack/cases.py's table. Stack: jurisdiction eu."""

from __future__ import annotations

import json
from typing import Any

from tests.residency_pack.cases import Case, Res

ACCOUNT = "111122223333"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
GITHUB = "token.actions.githubusercontent.com"
IDENTITY_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/enclave-identity-admin"


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _assume(condition: dict[str, Any]) -> str:
    principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    return _doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", "Condition": condition})


_MFA_ONLY = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
_BREAK_GLASS = {
    "Bool": {"aws:MultiFactorAuthPresent": "true"},
    "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "900"},
    "StringEquals": {"aws:PrincipalTag/jurisdiction": "eu"},
    "ArnEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:user/responder-1"]},
}


def _break_glass(condition: dict[str, Any]) -> Res:
    props = {"name": "enclave-eu-break-glass", "assumeRolePolicy": _assume(condition), "maxSessionDuration": 3600}
    return Res(ROLE, "break-glass", props)


def _ci_role(sub_test: str, subject: str) -> Res:
    condition: dict[str, dict[str, str]] = {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}
    condition.setdefault(sub_test, {})[f"{GITHUB}:sub"] = subject
    trust = _doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{GITHUB}"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition,
        }
    )
    return Res(ROLE, "deploy", {"name": "enclave-deploy", "assumeRolePolicy": trust})


_TAG_DENY = {
    "Effect": "Deny",
    "Action": ["iam:CreateRole", "iam:CreateUser", "iam:Tag*", "iam:Untag*", "sts:TagSession"],
    "Resource": "*",
    "Condition": {
        "ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": ["jurisdiction"]},
        "ArnNotEquals": {"aws:PrincipalArn": [IDENTITY_ADMIN]},
    },
}
_READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def _bounded_role(*boundary: dict[str, Any]) -> Case:
    """An enclave program (its bucket says it holds enclave data) with one role under a boundary."""
    arn = f"arn:aws:iam::{ACCOUNT}:policy/enclave-eu-boundary"
    return [
        Res("aws:s3/bucket:Bucket", "testdata", {"bucket": "testdata", "tags": {"enclave-data": "test-data"}}),
        Res(POLICY, "boundary", {"name": "enclave-eu-boundary", "policy": _doc(*boundary)}),
        Res(
            ROLE,
            "operator",
            {"name": "enclave-eu-operator", "assumeRolePolicy": _assume(_MFA_ONLY), "permissionsBoundary": arn},
            deps={"permissionsBoundary": ["boundary"]},
        ),
    ]


_OBJECTS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"]
_OUTSIDE_NETWORK = {
    "Sid": "DenyObjectAccessOutsideEnclaveNetwork",
    "Effect": "Deny",
    "Principal": "*",
    "Action": _OBJECTS,
    "Resource": ["arn:aws:s3:::records", "arn:aws:s3:::records/*"],
    "Condition": {
        "StringNotEquals": {"aws:SourceVpce": ["vpce-0123456789abcdef0"]},
        "ArnNotEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/enclave-eu-break-glass"]},
    },
}
_TLS_ONLY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::records", "arn:aws:s3:::records/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def _records(*policy: dict[str, Any]) -> Case:
    return [
        Res("aws:s3/bucket:Bucket", "records", {"bucket": "records", "tags": {"enclave-data": "records"}}),
        Res(
            "aws:s3/bucketPolicy:BucketPolicy",
            "records-policy",
            {"bucket": "records", "policy": _doc(*policy)},
            deps={"bucket": ["records"]},
        ),
    ]


_KEY = {"enableKeyRotation": True}

CASES: dict[str, tuple[Case, Case]] = {
    "break-glass-trust": ([_break_glass(_MFA_ONLY)], [_break_glass(_BREAK_GLASS)]),
    "oidc-trust-pinned": (
        [_ci_role("StringLike", "repo:example-org/regional-enclaves:*")],
        [_ci_role("StringEquals", "repo:example-org/regional-enclaves:environment:eu-dublin")],
    ),
    "jurisdiction-tag-guarded": (_bounded_role(_READ), _bounded_role(_READ, _TAG_DENY)),
    "records-source-vpce": (_records(_TLS_ONLY), _records(_TLS_ONLY, _OUTSIDE_NETWORK)),
    "guard-protected": (
        [Res("aws:kms/key:Key", "records-key", dict(_KEY))],
        [Res("aws:kms/key:Key", "records-key", dict(_KEY), protect=True)],
    ),
}
