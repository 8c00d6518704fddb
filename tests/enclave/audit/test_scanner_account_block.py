"""The account-level S3 public access block (S3 Control) in a second moto account (reached through STS
AssumeRole), so that setting it does not change what the shared seeded account shows.

Same semantics as the policy pack: all four account settings on make every bucket compliant; anything
less leaves each bucket to its own block."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from adapters.aws_live.api import ClientFactory
from tests.enclave.audit.moto_seed import ALL_BLOCKED
from tests.moto_world import World, audit, make_session

PARTIAL = {**ALL_BLOCKED, "RestrictPublicBuckets": False}
PREFIX = "other-account-"  # bucket names are global


OTHER_ACCOUNT = "111122223333"


@pytest.fixture(scope="module")
def account(moto_url: str) -> World:
    # moto keeps one state per account and maps assumed-role credentials to the role's account.
    sts = make_session().client("sts", endpoint_url=moto_url)
    role = f"arn:aws:iam::{OTHER_ACCOUNT}:role/auditor"
    creds = sts.assume_role(RoleArn=role, RoleSessionName="audit")["Credentials"]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="eu-west-1",
    )
    w = World(moto_url, session, session.client("sts", endpoint_url=moto_url).get_caller_identity()["Account"])
    assert w.account == OTHER_ACCOUNT
    s3: Any = session.client("s3", region_name="eu-west-1", endpoint_url=moto_url)
    for name, block in (("open-bucket", None), ("partial-bucket", PARTIAL), ("blocked-bucket", ALL_BLOCKED)):
        s3.create_bucket(Bucket=f"{PREFIX}{name}", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        if block:
            s3.put_public_access_block(Bucket=f"{PREFIX}{name}", PublicAccessBlockConfiguration=block)
    w.clients["s3control"] = ClientFactory(session, Config(), moto_url).client("s3control", "eu-west-1")
    return w


def _set_account_block(w: World, settings: dict[str, bool] | None) -> None:
    s3control = w.clients["s3control"]
    if settings is None:
        s3control.delete_public_access_block(AccountId=w.account)
    else:
        s3control.put_public_access_block(AccountId=w.account, PublicAccessBlockConfiguration=settings)


def _public_access(w: World) -> dict[str, tuple[str, str]]:
    report = audit(w, ("s3",), regions=("eu-west-1",))
    assert [f for f in report.findings if f.status == "ERROR"] == []
    return {
        f.resource.rsplit(":", 1)[-1].removeprefix(PREFIX): (f.status, f.message)
        for f in report.findings
        if f.rule == "s3-public-access-blocked"
    }


def test_a_full_account_block_makes_every_bucket_compliant_and_says_so(account: World) -> None:
    _set_account_block(account, ALL_BLOCKED)
    found = _public_access(account)
    assert found == {
        "open-bucket": (
            "PASS",
            "S3 public access is fully blocked: no bucket public access block, but the account-level public "
            "access block has all four settings on (as in the policy pack)",
        ),
        "partial-bucket": (
            "PASS",
            "S3 public access is fully blocked: bucket block off: RestrictPublicBuckets, but the account-level "
            "public access block has all four settings on (as in the policy pack)",
        ),
        "blocked-bucket": ("PASS", "S3 public access is fully blocked: all four settings on"),
    }


@pytest.mark.parametrize("account_block", [None, PARTIAL], ids=["no-account-block", "partial-account-block"])
def test_without_a_full_account_block_each_bucket_needs_its_own(
    account: World, account_block: dict[str, bool] | None
) -> None:
    _set_account_block(account, ALL_BLOCKED)  # a known state first, so deleting always has something to delete
    _set_account_block(account, account_block)
    found = _public_access(account)
    assert {name: status for name, (status, _) in found.items()} == {
        "open-bucket": "FAIL",
        "partial-bucket": "FAIL",
        "blocked-bucket": "PASS",
    }
    assert found["open-bucket"][1] == (
        "not satisfied: S3 public access is fully blocked: no bucket public access block; no full account-level block"
    )
