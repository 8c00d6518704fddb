"""Which AWS accounts an explicit AWS provider deploys into, read from its inputs as the engine sends them.

pulumi-aws (and aws-native) pick the account from the credentials, narrowed by ``allowedAccountIds``, or
from the role the provider assumes (``assumeRoles``, the last role in the chain; ``assumeRole`` for
aws-native). A provider that names neither deploys into the stack's own account.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from residency.arns import is_account_id, parse_arn


def decoded(value: Any) -> Any:
    """A provider's object and list inputs reach the engine JSON-encoded (pulumi-aws's provider schema)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _listed(value: Any) -> list[Any] | None:
    value = decoded(value)
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return None if value is None else [value]


def deploy_accounts(provider_props: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The accounts the provider may deploy into; empty when it names none (the stack's own account applies).

    An assumed role decides the account; otherwise every allowed account is possible. A value that is not an
    account id (an ARN that cannot be parsed, a malformed list) is returned as it is, so that the caller
    cannot take it for one of its own accounts.
    """
    props = provider_props or {}
    roles = _listed(props.get("assumeRoles") or props.get("assumeRole"))
    if roles:
        last = roles[-1]
        # A plain dict in a Python program reaches the engine with its own (snake_case) keys.
        role_arn = (last.get("roleArn") or last.get("role_arn")) if isinstance(last, Mapping) else last
        arn = parse_arn(str(role_arn or ""))
        if arn is not None and is_account_id(arn.account):
            return (arn.account,)
        return (f"of the assumed role {role_arn if role_arn else last}",)
    allowed = _listed(props.get("allowedAccountIds"))
    return tuple(str(a) for a in allowed or ())


def provider_account(provider_props: Mapping[str, Any] | None) -> str | None:
    """The one account the provider deploys into, when it names exactly one; None otherwise."""
    accounts = deploy_accounts(provider_props)
    return accounts[0] if len(accounts) == 1 and is_account_id(accounts[0]) else None
