"""Break-glass admits only its named, tagged, recently-MFA'd people, through the home region's STS endpoint.

Read back from the trust policy every shipped stack registers and judged with the project's IAM evaluator
(tests/components/iam_eval.py, fail-closed). On main before issue 10 the trust policy was "account root with MFA",
so the untagged and unnamed cases below were admitted.
"""

from __future__ import annotations

from typing import Any

import pytest

from residency.jurisdictions import default_catalogue
from tests.components import iam_eval
from tests.components.enclave_runs import enclave_stacks, stack_config
from tests.components.test_access import principals, trust

STACKS = enclave_stacks()


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _named(stack: str) -> list[str]:
    import json

    return list(json.loads(stack_config(stack)["enclave:breakGlassPrincipals"]))


def _caller(stack: str, **changes: Any) -> dict[str, Any]:
    """A named responder with the tag, MFA five minutes ago, through the home region's endpoint."""
    context: dict[str, Any] = {
        "aws:PrincipalArn": _named(stack)[0],
        "aws:PrincipalTag/jurisdiction": stack_config(stack)["enclave:jurisdiction"],
        "aws:MultiFactorAuthPresent": "true",
        "aws:MultiFactorAuthAge": "300",
        "aws:RequestedRegion": stack_config(stack)["aws:region"],
    }
    for key, value in changes.items():
        if value is None:
            context.pop(key)
        else:
            context[key] = value
    return context


def _other_region(stack: str) -> str:
    """A region of the same jurisdiction other than home, or us-east-1 (the global STS endpoint) if there is none."""
    jid, home = stack_config(stack)["enclave:jurisdiction"], stack_config(stack)["aws:region"]
    others = [r for r in default_catalogue().get(jid).sorted_regions() if r != home]
    return others[0] if others else "us-east-1"


def test_a_named_tagged_responder_with_fresh_mfa_may_assume(stack: str) -> None:
    policy = [trust(stack, "break-glass")]
    for arn in _named(stack):
        assert iam_eval.may_assume(policy, _caller(stack, **{"aws:PrincipalArn": arn}))


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        ("untagged", {"aws:PrincipalTag/jurisdiction": None}),
        ("tagged for another jurisdiction", {"aws:PrincipalTag/jurisdiction": "elsewhere"}),
        ("no MFA", {"aws:MultiFactorAuthPresent": "false"}),
        ("MFA an hour old", {"aws:MultiFactorAuthAge": "3600"}),
        ("someone else in the account", {"aws:PrincipalArn": "OTHER"}),
        ("through another region's endpoint", {"aws:RequestedRegion": "OTHER_REGION"}),
    ],
)
def test_everyone_else_is_refused(stack: str, case: str, changes: dict[str, Any]) -> None:
    if changes.get("aws:PrincipalArn") == "OTHER":
        changes = {"aws:PrincipalArn": principals(stack).role_arn("operator")}
    if changes.get("aws:RequestedRegion") == "OTHER_REGION":
        changes = {"aws:RequestedRegion": _other_region(stack)}
    assert not iam_eval.may_assume([trust(stack, "break-glass")], _caller(stack, **changes)), case


def test_the_global_sts_endpoint_is_refused_outside_us_east_1(stack: str) -> None:
    """Assumptions through sts.amazonaws.com are recorded in us-east-1, where no enclave alarm rule runs."""
    if stack_config(stack)["aws:region"] != "us-east-1":
        caller = _caller(stack, **{"aws:RequestedRegion": "us-east-1"})
        assert not iam_eval.may_assume([trust(stack, "break-glass")], caller)


def test_break_glass_sessions_are_short(stack: str) -> None:
    from tests.components.enclave_runs import ring_resources, shipped_run

    [role] = [
        r
        for r in ring_resources(shipped_run(stack), "aws:iam/role:Role")
        if r.inputs.get("name") == principals(stack).role_name("break-glass")
    ]
    assert role.inputs["maxSessionDuration"] == 3600  # the shortest maximum IAM accepts
