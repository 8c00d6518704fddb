"""The hardening predicates (residency/rules/hardening.py): each with failing, passing and unreadable inputs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from residency.policy_documents import parse_document
from residency.rules.hardening import endpoint_policy_gaps, trail_scope_gaps, unbound_service_grants


def _doc(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@pytest.mark.parametrize(
    ("multi", "global_events", "gaps"),
    [
        (True, True, []),
        (True, None, []),  # the provider's default is true
        (False, True, ["isMultiRegionTrail is not true"]),
        (None, False, ["isMultiRegionTrail is not true", "includeGlobalServiceEvents is false"]),
    ],
)
def test_trail_scope(multi: object, global_events: object, gaps: list[str]) -> None:
    assert trail_scope_gaps(multi, global_events) == gaps


def test_endpoint_policy() -> None:
    assert endpoint_policy_gaps(None) == ["no endpoint policy: the default admits every principal to every resource"]
    open_ = {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert endpoint_policy_gaps(_doc(open_)) == ["Open allows without aws:PrincipalAccount or aws:PrincipalOrgID"]
    held = {**open_, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}
    assert endpoint_policy_gaps(_doc(held)) == []
    # A Deny needs no principal condition; an Allow after it still does.
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    assert endpoint_policy_gaps(_doc(deny, {**open_, "Sid": ""})) == [
        "statement 2 allows without aws:PrincipalAccount or aws:PrincipalOrgID"
    ]


def test_service_grants() -> None:
    grant = {"Sid": "Trail", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "x"}
    assert unbound_service_grants(_doc(grant)) == [
        "Trail (cloudtrail.amazonaws.com) lacks aws:SourceAccount and aws:SourceArn"
    ]
    half = {**grant, "Condition": {"ArnLike": {"aws:SourceArn": "arn:..."}}}
    assert unbound_service_grants(_doc(half)) == ["Trail (cloudtrail.amazonaws.com) lacks aws:SourceAccount"]
    both = {**grant, "Condition": {"StringEquals": {"aws:sourceaccount": "1"}, "ArnLike": {"aws:SourceArn": "a"}}}
    assert unbound_service_grants(_doc(both)) == []
    logs = {
        "Effect": "Allow",
        "Principal": {"Service": "logs.eu-west-1.amazonaws.com"},
        "Action": "kms:Decrypt",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:1:log-group:*"}},
    }
    assert unbound_service_grants(_doc(logs)) == []
    # The encryption-context exemption is for CloudWatch Logs only.
    assert unbound_service_grants(_doc({**logs, "Principal": {"Service": "events.amazonaws.com"}})) != []
    people = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:Decrypt"}
    assert unbound_service_grants(_doc(people)) == []


def test_service_grants_follow_each_service_s_documented_binding() -> None:
    config = {
        "Sid": "Cfg",
        "Effect": "Allow",
        "Principal": {"Service": "config.amazonaws.com"},
        "Action": "s3:PutObject",
    }
    # AWS Config documents aws:SourceAccount for its delivery channel: that binds it, nothing does not.
    assert unbound_service_grants(_doc(config)) == ["Cfg (config.amazonaws.com) lacks aws:SourceAccount"]
    bound = {**config, "Condition": {"StringEquals": {"AWS:SourceAccount": "111111111111"}}}
    assert unbound_service_grants(_doc(bound)) == []
    # A statement naming Config and another service needs every binding (the other's SourceArn too).
    both = {**bound, "Principal": {"Service": ["config.amazonaws.com", "cloudtrail.amazonaws.com"]}}
    assert unbound_service_grants(_doc(both)) == [
        "Cfg (config.amazonaws.com, cloudtrail.amazonaws.com) lacks aws:SourceArn"
    ]
    # A service nobody documented here needs both keys (default-deny).
    unknown = {**bound, "Principal": {"Service": "newservice.amazonaws.com"}}
    assert unbound_service_grants(_doc(unknown)) == ["Cfg (newservice.amazonaws.com) lacks aws:SourceArn"]
    # A look-alike of the Logs principal is not CloudWatch Logs.
    fake_logs = {**config, "Principal": {"Service": "logs.example.com"}}
    assert unbound_service_grants(_doc(fake_logs)) == [
        "Cfg (logs.example.com) lacks aws:SourceAccount and aws:SourceArn"
    ]


def test_parse_document() -> None:
    assert parse_document(json.dumps(_doc())) == _doc()
    assert parse_document("{not json") is None
    assert parse_document({"Version": "2012-10-17"}) is None
    assert parse_document(42) is None
