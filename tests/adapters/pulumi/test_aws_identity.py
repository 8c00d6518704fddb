"""Program facts of adapters/pulumi/aws_identity.py that the one-case-per-rule table does not reach: the SCPs of
an organisation target, and which types must be protected in an enclave program and in any other."""

from __future__ import annotations

import json
from typing import Any

from adapters.pulumi.aws_identity import identity_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from residency.model import ControlState

SCP = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
OU = "ou-abcd-12345678"
ADMIN = "arn:aws:iam::111122223333:role/enclave-identity-admin"
TAG_DENY = {
    "Effect": "Deny",
    "Action": ["iam:CreateRole", "iam:CreateUser", "iam:Tag*", "iam:Untag*", "sts:TagSession"],
    "Resource": "*",
    "Condition": {
        "ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": ["jurisdiction"]},
        "ArnNotEquals": {"aws:PrincipalArn": [ADMIN]},
    },
}
REGION_DENY = {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*"}


def _r(type_: str, name: str, props: dict[str, Any], deps: dict[str, str] | None = None, **kw: Any) -> ProgramResource:
    urn = f"urn:pulumi:org::enclave::{type_}::{name}"
    view = ResourceView(urn, type_, name, props, "eu-west-1", **kw)
    links = {k: (f"urn:pulumi:org::enclave::{SCP}::{v}",) for k, v in (deps or {}).items()}
    return ProgramResource(view, property_dependencies=links)


def _scp(name: str, *statements: dict[str, Any]) -> list[ProgramResource]:
    content = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return [
        _r(SCP, name, {"content": content, "type": "SERVICE_CONTROL_POLICY"}, protect=True),
        _r(ATTACHMENT, f"{name}-attachment", {"policyId": name, "targetId": OU}, {"policyId": name}, protect=True),
    ]


def _tag_guards(program: list[ProgramResource]) -> list[ControlState]:
    return [f for f in identity_facts(program) if f.control == "jurisdiction-tag-guarded"]


def test_the_scps_of_a_target_together_deny_the_tag() -> None:
    guarded = _scp("region-guard", REGION_DENY) + _scp("identity-guard", TAG_DENY)
    assert [f.satisfied for f in _tag_guards(guarded)] == [True, True]
    open_ = _scp("region-guard", REGION_DENY)
    [fact] = _tag_guards(open_)
    assert fact.satisfied is False and "sts:TagSession" in fact.detail


def _protected(program: list[ProgramResource]) -> dict[str, bool | None]:
    return {
        f.resource.rsplit("::", 1)[1]: f.satisfied for f in identity_facts(program) if f.control == "guard-protected"
    }


def test_stores_are_held_to_protect_everywhere_guards_in_an_enclave() -> None:
    store = _r("aws:kms/key:Key", "key", {}, protect=False)
    group = _r("aws:ec2/securityGroup:SecurityGroup", "app", {}, protect=False)
    assert _protected([store, group]) == {"key": False}
    enclave_bucket = _r("aws:s3/bucket:Bucket", "records", {"tags": {"enclave-data": "records"}}, protect=True)
    assert _protected([store, group, enclave_bucket]) == {"key": False, "app": False, "records": True}
    # What the engine did not say is not a pass.
    assert _protected([_r("aws:kms/key:Key", "key", {})]) == {"key": None}


def test_roles_are_held_to_the_boundary_in_an_enclave_program() -> None:
    role = _r("aws:iam/role:Role", "app", {"assumeRolePolicy": "{}"})
    assert _tag_guards([role]) == []  # outside an enclave the organisation's SCP is the control
    bucket = _r("aws:s3/bucket:Bucket", "testdata", {"tags": {"enclave-data": "test-data"}})
    [fact] = _tag_guards([role, bucket])
    assert fact.satisfied is False and "no permissions boundary" in fact.detail
