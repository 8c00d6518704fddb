"""Through gRPC: key custody compares the key's account with the enclave account the stack declares."""

from __future__ import annotations

from tests.residency_pack.cases import Res
from tests.residency_pack.engine_support import captured, of, start_engine

FOREIGN = Res("aws:cloudwatch/logGroup:LogGroup", "foreign", {"kmsKeyId": "arn:aws:kms:eu-west-1:999999999999:key/abc"})
OWN = Res("aws:cloudwatch/logGroup:LogGroup", "own", {"kmsKeyId": "arn:aws:kms:eu-west-1:111111111101:key/abc"})
BASE = {"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"}


def test_a_key_of_another_account_blocks_when_the_stack_names_its_account() -> None:
    engine = start_engine({**BASE, "enclave:accountId": "111111111101"})
    try:
        engine.configure({})
        diags = of(engine.analyze(captured([FOREIGN, OWN])), "key-custody")
    finally:
        engine.close()
    assert [d.urn for d in diags] == [FOREIGN.urn]
    assert "held by account 999999999999, not the enclave's account 111111111101" in diags[0].message


def test_without_a_declared_account_only_the_region_is_judged() -> None:
    engine = start_engine(BASE)
    try:
        engine.configure({})
        diags = of(engine.analyze(captured([FOREIGN, OWN])), "key-custody")
    finally:
        engine.close()
    assert diags == []
