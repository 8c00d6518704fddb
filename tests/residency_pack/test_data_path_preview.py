"""Values unknown during preview: discovery skips them, and only an unknown destination defers the policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.residency_pack.cases import Res
from tests.residency_pack.direct import run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")


def _data_path(case: list[Res], governance: Path) -> list[tuple[str, str]]:
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return [(d.level, d.message) for d in diags if d.policy == "transfer-data-path"]


def test_an_unknown_destination_blocks_at_preview_and_says_which(governance: Path) -> None:
    sub = Res("aws:sns/topicSubscription:TopicSubscription", "s", {"protocol": "sqs", "endpoint": UNKNOWN_STRING_VALUE})
    diags = run_direct([sub], {"residency-context": {"governanceDir": str(governance)}})
    blocked = [d for d in diags if d.level == "mandatory" and "endpoint" in d.message and "preview" in d.message]
    assert blocked, diags


def test_an_unknown_id_that_is_no_destination_does_not_hide_the_known_ones(governance: Path) -> None:
    group = Res(
        "aws:ec2/securityGroup:SecurityGroup",
        "sg",
        {"vpcId": UNKNOWN_STRING_VALUE, "description": "app", "ingress": [{"cidrBlocks": ["10.0.0.0/8"]}]},
    )
    assert _data_path([group], governance) == []
    fn = Res(
        "aws:lambda/function:Function",
        "fn",
        {"role": UNKNOWN_STRING_VALUE, "environment": {"variables": {"Q": "https://sqs.us-east-1.amazonaws.com/1/q"}}},
    )
    [(level, message)] = _data_path([fn], governance)
    assert level == "mandatory" and "us-east-1" in message
