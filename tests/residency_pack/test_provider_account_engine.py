"""Through gRPC: an explicit provider that deploys regional resources into another account is judged.

The region is not enough: an EU bucket in eu-west-1, deployed by a provider into the US enclave's account
(or any account the catalogue does not give the jurisdiction), is not in the EU enclave.
"""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policy_engine.client import Diagnostic, PolicyEngine
from tests.residency_pack.cases import Case, Res
from tests.residency_pack.engine_support import captured, of, start_engine

BASE = {"enclave:jurisdiction": "eu", "aws:region": "eu-west-1", "enclave:accountId": "111111111101"}
US_ACCOUNT = "111111111103"


def _deployed_by(provider_props: dict[str, object], resource: str = "aws:s3/bucket:Bucket") -> Case:
    provider = Res("pulumi:providers:aws", "p", {"region": "eu-west-1", **provider_props})
    return [provider, Res(resource, "data", {}, provider="p")]


def _location(engine: PolicyEngine, case: Case) -> list[Diagnostic]:
    return [d for d in of(engine.analyze(captured(case)), "residency-location") if d.urn == case[-1].urn]


@pytest.fixture(scope="module")
def engine() -> object:
    engine = start_engine(BASE)
    engine.configure({})
    yield engine
    engine.close()


@pytest.mark.parametrize(
    "props",
    [
        {"allowedAccountIds": json.dumps([US_ACCOUNT])},
        {"assumeRoles": json.dumps([{"roleArn": f"arn:aws:iam::{US_ACCOUNT}:role/deploy"}])},
        {"allowedAccountIds": json.dumps(["111111111101", US_ACCOUNT])},
    ],
    ids=["allowed-account", "assumed-role", "one-of-two-allowed"],
)
def test_a_bucket_deployed_into_another_jurisdictions_account_blocks(
    engine: PolicyEngine, props: dict[str, object]
) -> None:
    [diag] = _location(engine, _deployed_by(props))
    assert f"account {US_ACCOUNT}, an enclave account of" in diag.message


def test_an_account_no_jurisdiction_lists_blocks_as_unverifiable(engine: PolicyEngine) -> None:
    [diag] = _location(engine, _deployed_by({"allowedAccountIds": json.dumps(["123456789012"])}))
    assert "cannot be verified as an enclave account" in diag.message


@pytest.mark.parametrize(
    "props",
    [{}, {"allowedAccountIds": json.dumps(["111111111101"])}, {"allowedAccountIds": json.dumps(["111111111100"])}],
    ids=["stack-account", "declared-account", "another-eu-account"],
)
def test_a_bucket_in_the_jurisdictions_own_accounts_passes(engine: PolicyEngine, props: dict[str, object]) -> None:
    assert _location(engine, _deployed_by(props)) == []


def test_a_global_resource_in_another_account_is_not_placed(engine: PolicyEngine) -> None:
    # The org stack creates each enclave's deploy role (IAM, global, no user data) in that enclave's account.
    assert _location(engine, _deployed_by({"allowedAccountIds": json.dumps([US_ACCOUNT])}, "aws:iam/role:Role")) == []


def test_an_account_unknown_at_preview_blocks() -> None:
    engine = start_engine(BASE, dry_run=True)
    try:
        engine.configure({})
        diags = _location(engine, _deployed_by({"allowedAccountIds": UNKNOWN_STRING_VALUE}))
    finally:
        engine.close()
    assert [d.level for d in diags] == ["mandatory"]
