"""IAM roles -> RoleTrust (trust policy, maximum session) and the jurisdiction-tag guard of their boundary.

IAM is global: roles are listed once per account (ListRoles carries each role's trust policy and maximum
session). Each role's permissions boundary is read through GetRole, and each boundary document once
(GetPolicy for its default version, then GetPolicyVersion), cached for the run.

Service-linked roles (path ``/aws-service-role/``) are AWS's own: they cannot carry a boundary, and only the
service assumes them, so only their trust is judged. The identity-administration role is the one role allowed
to set the jurisdiction tag, so its boundary is not judged for the tag either.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from adapters.aws_live.api import Api, ServiceScanner
from residency.identity import IDENTITY_ADMIN_ROLE_NAME
from residency.model import ControlState, Fact, RoleTrust
from residency.policy_documents import parse_document
from residency.rule_ids import BREAK_GLASS_TRUST, JURISDICTION_TAG_GUARDED
from residency.rules.identity import tag_guard_gaps

RESOURCE_TYPE = "AWS::IAM::Role"
SERVICE_LINKED_PATH = "/aws-service-role/"

PERMISSIONS = {
    "ListRoles": "iam:ListRoles",
    "GetRole": "iam:GetRole",
    "GetPolicy": "iam:GetPolicy",
    "GetPolicyVersion": "iam:GetPolicyVersion",
}


def _document_text(raw: Any) -> str | None:
    """boto3 decodes IAM's URL-encoded documents into a mapping; some answers keep them encoded."""
    if isinstance(raw, str):
        raw = unquote(raw)
    document = parse_document(raw)
    return json.dumps(document) if document is not None else None


def discover(api: Api) -> list[Any]:
    roles = api.items("list_roles", "Roles", rule=BREAK_GLASS_TRUST, resource=f"arn:aws:iam::{api.account}:role/*")
    return list(roles or [])


def inspect(api: Api, role: dict[str, Any]) -> list[Fact]:
    name = str(role.get("RoleName", ""))
    arn = str(role.get("Arn") or f"arn:aws:iam::{api.account}:role/{name}")
    session = role.get("MaxSessionDuration")
    facts: list[Fact] = [
        RoleTrust(
            arn,
            RESOURCE_TYPE,
            None,
            name,
            _document_text(role.get("AssumeRolePolicyDocument")),
            session if isinstance(session, int) else None,
        )
    ]
    if not str(role.get("Path", "/")).startswith(SERVICE_LINKED_PATH) and name != IDENTITY_ADMIN_ROLE_NAME:
        facts.extend(_tag_guard(api, arn, name))
    return facts


def _tag_guard(api: Api, arn: str, name: str) -> list[Fact]:
    answer = api.call("get_role", rule=JURISDICTION_TAG_GUARDED, resource=arn, RoleName=name)
    if answer is None:
        return []  # recorded as an ERROR naming iam:GetRole

    def state(satisfied: bool | None, detail: str) -> list[Fact]:
        return [ControlState(JURISDICTION_TAG_GUARDED, arn, RESOURCE_TYPE, None, satisfied, detail)]

    boundary = answer.get("Role", {}).get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
    if not boundary:
        return state(False, "no permissions boundary: nothing stops the role tagging itself into the jurisdiction")
    document = _boundary_document(api, str(boundary))
    if document is None:
        return state(None, f"the boundary {boundary} could not be read")
    gaps = tag_guard_gaps(document)
    return state(not gaps, f"boundary {boundary}: " + ("; ".join(gaps) or "denies the tag's changes"))


def _boundary_document(api: Api, policy_arn: str) -> Any:
    """The default version's document of a managed policy, read once per run (None: unreadable)."""
    cache: dict[str, Any] = api.cache.setdefault("boundaries", {})
    if policy_arn not in cache:
        # Roles are inspected in parallel: two may read the same boundary once each, never see a half-read one.
        document = None
        policy = api.call("get_policy", rule=JURISDICTION_TAG_GUARDED, resource=policy_arn, PolicyArn=policy_arn)
        version = (policy or {}).get("Policy", {}).get("DefaultVersionId")
        if version:
            answer = api.call(
                "get_policy_version",
                rule=JURISDICTION_TAG_GUARDED,
                resource=policy_arn,
                PolicyArn=policy_arn,
                VersionId=version,
            )
            raw = (answer or {}).get("PolicyVersion", {}).get("Document")
            document = parse_document(_document_text(raw))
        cache[policy_arn] = document
    return cache[policy_arn]


SCANNER = ServiceScanner(
    name="iam",
    client_name="iam",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    is_global=True,
    discovery_rule=BREAK_GLASS_TRUST,
)
