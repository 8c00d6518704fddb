"""Who the enclave admits, as facts the components build from and the rules judge by (one home for each).

- The ``jurisdiction`` principal tag admits people to the jurisdiction's data (operator and break-glass trust
  policies); only the identity-administration role may set or remove it, on a user, a role or a session.
- Break-glass is assumed by named, tagged people with a fresh MFA sign-in, for a short session.
- CI reaches the deploy role through GitHub's OIDC provider, with the token's ``sub`` pinned to one
  repository's protected environment and its ``aud`` to STS.
Pure data: no pulumi, no boto3.
"""

from __future__ import annotations

import re

JURISDICTION_TAG = "jurisdiction"
# Setting or removing a tag on a person or role (at creation too), or on a session.
JURISDICTION_TAG_ACTIONS = (
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:TagRole",
    "iam:TagUser",
    "iam:UntagRole",
    "iam:UntagUser",
    "sts:TagSession",
)
# The only role that may set or remove the jurisdiction tag (the identity-guard SCP names it per account).
IDENTITY_ADMIN_ROLE_NAME = "enclave-identity-admin"

BREAK_GLASS = "break-glass"
# Break-glass needs an MFA sign-in no older than this (seconds) ...
BREAK_GLASS_MFA_MAX_AGE = 900
# ... and its session lasts at most this long (3600 s is the shortest maximum IAM accepts for a role).
BREAK_GLASS_MAX_SESSION = 3600

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"
# A GitHub job's subject when it runs in a deployment environment: repo:<owner>/<repo>:environment:<name>.
_ENVIRONMENT_SUBJECT = re.compile(r"repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:environment:[A-Za-z0-9_.-]+")


def is_break_glass_role(role_name: str) -> bool:
    """Every role whose name says break-glass is judged as one (``enclave-<jid>-break-glass`` in this product)."""
    return BREAK_GLASS in role_name.lower()


def ci_subject(repository: str, environment: str) -> str:
    """The OIDC ``sub`` GitHub gives a job of ``repository`` (owner/name) in the ``environment`` environment."""
    return f"repo:{repository}:environment:{environment}"


def is_environment_subject(subject: str) -> bool:
    """Whether ``subject`` names exactly one repository's deployment environment (no wildcard, no branch)."""
    return _ENVIRONMENT_SUBJECT.fullmatch(subject) is not None
