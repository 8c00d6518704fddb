"""The account-level S3 public access block (S3 Control) against its own moto server, so that setting it
does not change what the shared seeded account shows. Same semantics as the policy pack: all four
account settings on make every bucket compliant; anything less leaves each bucket to its own block."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from adapters.aws_live.api import ClientFactory
from tests.audit.audit_seed import ALL_BLOCKED
from tests.audit.conftest import World, audit, make_session

PARTIAL = {**ALL_BLOCKED, "RestrictPublicBuckets": False}


@pytest.fixture(scope="module")
def account() -> Iterator[World]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = make_session()
    w = World(url, session, session.client("sts", endpoint_url=url).get_caller_identity()["Account"])
    s3 = session.client("s3", region_name="eu-west-1", endpoint_url=url)
    for name, block in (("open-bucket", None), ("partial-bucket", PARTIAL), ("blocked-bucket", ALL_BLOCKED)):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        if block:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
    w.clients["s3control"] = ClientFactory(session, Config(), url).client("s3control", "eu-west-1")
    yield w
    server.stop()


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
        f.resource.rsplit(":", 1)[-1]: (f.status, f.message)
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
        "not satisfied: s3 public access is fully blocked: no bucket public access block; no full account-level block"
    )
