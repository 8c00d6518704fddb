"""The identity predicates (residency/rules/identity.py) and their rules: failing, passing and unreadable inputs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from residency.jurisdictions import default_catalogue
from residency.model import RoleTrust, Status
from residency.rules import RULES_BY_ID
from residency.rules.base import Context
from residency.rules.identity import break_glass_gaps, oidc_trust_gaps, tag_guard_gaps

ACCOUNT = "111122223333"
GITHUB = "token.actions.githubusercontent.com"


def _doc(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _trust(condition: Mapping[str, Any], principal: Any = None) -> dict[str, Any]:
    who = principal or {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    return _doc({"Effect": "Allow", "Principal": who, "Action": "sts:AssumeRole", "Condition": condition})


GOOD: dict[str, dict[str, Any]] = {
    "Bool": {"aws:MultiFactorAuthPresent": "true"},
    "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "900"},
    "StringEquals": {"aws:PrincipalTag/jurisdiction": "eu", "aws:RequestedRegion": "eu-west-1"},
    "ArnEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:user/responder-1"]},
}


def _without(key: str) -> dict[str, Any]:
    return {op: {k: v for k, v in tests.items() if k != key} for op, tests in GOOD.items()}


def test_break_glass_as_the_enclave_builds_it_passes() -> None:
    assert break_glass_gaps(_trust(GOOD), 3600, "eu") == []


@pytest.mark.parametrize(
    ("document", "session", "gap"),
    [
        (_trust(_without("aws:MultiFactorAuthPresent")), 3600, "does not require MFA"),
        (_trust(_without("aws:MultiFactorAuthAge")), 3600, "at most 900 s old"),
        (_trust({**GOOD, "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"}}), 3600, "at most 900 s old"),
        (_trust(_without("aws:PrincipalTag/jurisdiction")), 3600, "aws:PrincipalTag/jurisdiction = eu"),
        (
            _trust({**GOOD, "StringEquals": {"aws:PrincipalTag/jurisdiction": "us"}}),
            3600,
            "aws:PrincipalTag/jurisdiction = eu",
        ),
        (_trust(_without("aws:PrincipalArn")), 3600, "not named people"),
        (
            _trust({**GOOD, "ArnEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:user/*"]}}),
            3600,
            "not named people",
        ),
        (_trust(GOOD, principal="*"), 3600, "not a named person"),
        (_trust(GOOD), 43200, "sessions last up to 43200 s"),
    ],
)
def test_break_glass_gaps(document: dict[str, Any], session: int, gap: str) -> None:
    gaps = break_glass_gaps(document, session, "eu")
    assert gaps and any(gap in g for g in gaps), gaps


def _ci(condition: Mapping[str, Any]) -> dict[str, Any]:
    federated = {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{GITHUB}"}
    return _doc(
        {"Effect": "Allow", "Principal": federated, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition}
    )


SUB, AUD = f"{GITHUB}:sub", f"{GITHUB}:aud"
ENVIRONMENT = "repo:example-org/regional-enclaves:environment:eu-dublin"


def test_oidc_pinned_to_one_environment_passes() -> None:
    assert oidc_trust_gaps(_ci({"StringEquals": {SUB: ENVIRONMENT, AUD: "sts.amazonaws.com"}})) == []
    # A role without web-identity trust has nothing to pin.
    assert oidc_trust_gaps(_trust(GOOD)) == []


@pytest.mark.parametrize(
    ("condition", "gap"),
    [
        ({"StringEquals": {AUD: "sts.amazonaws.com"}}, "does not pin the token's sub"),
        ({"StringLike": {SUB: "repo:example-org/*"}, "StringEquals": {AUD: "sts.amazonaws.com"}}, "not one exact"),
        (
            {"StringEquals": {SUB: "repo:example-org/regional-enclaves:ref:refs/heads/main", AUD: "sts.amazonaws.com"}},
            "not one repository's environment",
        ),
        ({"StringEquals": {SUB: ENVIRONMENT}}, "aud = sts.amazonaws.com"),
        ({"StringEquals": {SUB: ENVIRONMENT, AUD: "something-else"}}, "aud = sts.amazonaws.com"),
    ],
)
def test_oidc_gaps(condition: dict[str, Any], gap: str) -> None:
    gaps = oidc_trust_gaps(_ci(condition))
    assert gaps and any(gap in g for g in gaps), gaps


ADMIN = f"arn:aws:iam::{ACCOUNT}:role/enclave-identity-admin"
TAG_ACTIONS = ["iam:CreateRole", "iam:CreateUser", "iam:TagRole", "iam:TagUser", "iam:UntagRole", "iam:UntagUser"]


def _deny(actions: list[str], condition: Mapping[str, Any]) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": actions, "Resource": "*", "Condition": condition}


TAG_KEYS = {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": ["jurisdiction"]}}


def test_the_boundary_and_scp_forms_of_the_tag_deny_pass() -> None:
    boundary = _doc(_deny([*TAG_ACTIONS, "sts:TagSession"], TAG_KEYS))
    scp = _doc(_deny([*TAG_ACTIONS, "sts:TagSession"], {**TAG_KEYS, "ArnNotEquals": {"aws:PrincipalArn": [ADMIN]}}))
    split = _doc(_deny(["iam:*"], TAG_KEYS), _deny(["sts:TagSession"], TAG_KEYS))
    assert tag_guard_gaps(boundary) == tag_guard_gaps(scp) == tag_guard_gaps(split) == []


@pytest.mark.parametrize(
    ("document", "open_action"),
    [
        (_doc({"Effect": "Allow", "Action": "*", "Resource": "*"}), "iam:TagRole"),
        (_doc(_deny(TAG_ACTIONS, TAG_KEYS)), "sts:TagSession"),  # session tags left open
        (
            _doc(_deny([*TAG_ACTIONS, "sts:TagSession"], {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}})),
            "iam:TagRole",
        ),
        # An exemption for anyone but the identity admin makes the deny worthless.
        (
            _doc(
                _deny(
                    [*TAG_ACTIONS, "sts:TagSession"],
                    {**TAG_KEYS, "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}},
                )
            ),
            "iam:TagRole",
        ),
        # Another condition narrows the deny to some requests.
        (
            _doc(
                _deny(
                    [*TAG_ACTIONS, "sts:TagSession"], {**TAG_KEYS, "StringEquals": {"aws:RequestedRegion": "us-east-1"}}
                )
            ),
            "iam:TagRole",
        ),
    ],
)
def test_tag_guard_gaps(document: dict[str, Any], open_action: str) -> None:
    [gap] = tag_guard_gaps(document)
    assert open_action in gap


def _judge(rule_id: str, fact: RoleTrust) -> Status:
    ctx = Context(jurisdiction=default_catalogue().get("eu"), catalogue=default_catalogue())
    rule = RULES_BY_ID[rule_id]
    assert rule.applies_to(fact)
    return rule.evaluate(fact, ctx).status


def _role(name: str, document: str | None, session: int | None = 3600) -> RoleTrust:
    return RoleTrust(f"arn:aws:iam::{ACCOUNT}:role/{name}", "AWS::IAM::Role", None, name, document, session)


def test_rules_fail_closed_on_what_they_cannot_read() -> None:
    assert _judge("break-glass-trust", _role("enclave-eu-break-glass", json.dumps(_trust(GOOD)))) == Status.PASS
    assert _judge("break-glass-trust", _role("enclave-eu-break-glass", "not json")) == Status.UNKNOWN
    assert (
        _judge("break-glass-trust", _role("enclave-eu-break-glass", json.dumps(_trust(GOOD)), None)) == Status.UNKNOWN
    )
    assert _judge("oidc-trust-pinned", _role("enclave-deploy", None)) == Status.UNKNOWN
    # Only roles named for break-glass are held to its trust.
    assert not RULES_BY_ID["break-glass-trust"].applies_to(_role("enclave-eu-operator", json.dumps(_trust(GOOD))))
