"""A key input is judged by one rule, the same at preview as at update.

Key custody reads the key inputs of the types it knows (adapters.pulumi.aws_keys) and resolves one unknown
at preview through the program (preview_keys). Destination discovery used to judge those inputs too, but
only once their value was known: a log group under a key abroad failed transfer-data-path in the gate (and
at update) and passed it at preview, while key custody failed it both times. Now discovery leaves them to
key custody; a key input key custody does not read (a Lambda function's ``kmsKeyArn``) is still a
destination: judged when known, and at preview resolved through the program or blocking.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from residency.finding_wire import decode
from tests.residency_pack.cases import KEY_EU, KEY_US, Res
from tests.residency_pack.direct import Diag, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FUNCTION = "aws:lambda/function:Function"
STACK_REFERENCE = "pulumi:pulumi:StackReference"
UK_KEY = "arn:aws:kms:eu-west-1:111111111102:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _blocking(case: list[Res], governance: Path) -> set[tuple[str, str]]:
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return {(d.policy, d.urn.rsplit("::", 1)[-1]) for d in diags if d.level == "mandatory"}


def _diags(case: list[Res], governance: Path) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance)}})


def _logs(key: str) -> Res:
    return Res(LOG_GROUP, "logs", {"name": "logs", "kmsKeyId": key}, protect=True)


def _function(key: str, **extra: object) -> Res:
    props = {"role": "arn:aws:iam::111111111101:role/fn", "kmsKeyArn": key, **extra}
    return Res(FUNCTION, "fn", props, protect=True)


def test_a_log_group_under_a_key_abroad_fails_key_custody_alone(governance: Path) -> None:
    assert _blocking([_logs(KEY_US)], governance) == {("key-custody", "logs")}


def test_a_log_group_under_a_key_of_another_enclave_fails_key_custody_alone(governance: Path) -> None:
    # In the jurisdiction's region, held by the UK enclave's account: what transfer-data-path used to catch.
    assert _blocking([_logs(UK_KEY)], governance) == {("key-custody", "logs")}


def test_a_log_group_under_a_home_key_passes(governance: Path) -> None:
    assert _blocking([_logs(KEY_EU)], governance) == set()


def test_a_key_input_key_custody_does_not_read_is_still_a_destination(governance: Path) -> None:
    assert _blocking([_function(KEY_US)], governance) == {("transfer-data-path", "fn")}
    assert _blocking([_function(KEY_EU)], governance) == set()


def test_such_a_key_unknown_at_preview_from_another_stack_blocks(governance: Path) -> None:
    other = Res(STACK_REFERENCE, "shared", {"name": "org/shared/prod"}, outputs={"outputs": UNKNOWN_STRING_VALUE})
    fn = Res(FUNCTION, "fn", {"kmsKeyArn": UNKNOWN_STRING_VALUE}, deps={"kmsKeyArn": ["shared"]}, protect=True)
    diags = [d for d in _diags([other, fn], governance) if d.level == "mandatory"]
    assert {f.unknown for f in (decode(d.message) for d in diags) if f is not None} == {".kmsKeyArn"}, diags
