"""The accounts an explicit AWS provider deploys into, read from its inputs as the engine sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.pulumi.provider_account import deploy_accounts, provider_account

ROLE = "arn:aws:iam::111111111103:role/deploy"


@pytest.mark.parametrize(
    ("props", "accounts"),
    [
        ({}, ()),
        (None, ()),
        ({"allowedAccountIds": json.dumps(["111111111101"])}, ("111111111101",)),
        ({"allowedAccountIds": ["111111111101", "111111111103"]}, ("111111111101", "111111111103")),
        # the assumed role decides, whatever the allowed list says (the last role of the chain)
        ({"allowedAccountIds": ["111111111101"], "assumeRoles": json.dumps([{"roleArn": ROLE}])}, ("111111111103",)),
        ({"assumeRoles": [{"roleArn": "arn:aws:iam::111111111101:role/a"}, {"roleArn": ROLE}]}, ("111111111103",)),
        ({"assumeRole": {"roleArn": ROLE}}, ("111111111103",)),  # aws-native's single role
        ({"assumeRoles": json.dumps([{"role_arn": ROLE}])}, ("111111111103",)),  # a plain dict's own keys
        ({"assumeRoles": [{"roleArn": "not-an-arn"}]}, ("of the assumed role not-an-arn",)),
        ({"assumeRoles": [{"sessionName": "x"}]}, ("of the assumed role {'sessionName': 'x'}",)),
        ({"allowedAccountIds": "[not json"}, ("[not json",)),
    ],
)
def test_deploy_accounts(props: dict[str, Any] | None, accounts: tuple[str, ...]) -> None:
    assert deploy_accounts(props) == accounts


def test_provider_account_is_the_one_named_account_only() -> None:
    assert provider_account({"allowedAccountIds": ["111111111101"]}) == "111111111101"
    assert provider_account({"allowedAccountIds": ["111111111101", "111111111103"]}) is None
    assert provider_account({"assumeRoles": [{"roleArn": "not-an-arn"}]}) is None
    assert provider_account({}) is None
