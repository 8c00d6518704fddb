"""residency-location judges the account a provider deploys a regional resource into, not only its region."""

from __future__ import annotations

from dataclasses import replace

import pytest

from residency.model import Placement, Status
from residency.rules import Context, evaluate

URN = "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::records"
EU_ACCOUNT = "111111111101"  # residency/catalogue.toml: eu's enclave accounts
US_ACCOUNT = "111111111103"  # us's
UNLISTED = "123456789012"  # no jurisdiction's


def judge(ctx: Context, *accounts: str, region: str | None = "eu-west-1") -> tuple[Status, str]:
    [finding] = evaluate([Placement(URN, "aws:s3/bucket:Bucket", region, accounts=accounts)], ctx)
    return finding.status, finding.message


def test_an_account_of_another_jurisdiction_fails_in_a_home_region(eu_ctx: Context) -> None:
    status, message = judge(eu_ctx, US_ACCOUNT)
    assert status is Status.FAIL
    assert f"account {US_ACCOUNT}, an enclave account of" in message


def test_an_account_no_jurisdiction_lists_cannot_be_verified(eu_ctx: Context) -> None:
    status, message = judge(eu_ctx, UNLISTED)
    assert status is Status.UNKNOWN
    assert "list it under accounts of 'eu' in residency/catalogue.toml" in message


def test_one_foreign_account_among_the_allowed_ones_is_enough_to_fail(eu_ctx: Context) -> None:
    assert judge(eu_ctx, EU_ACCOUNT, US_ACCOUNT)[0] is Status.FAIL


def test_a_value_that_is_not_an_account_cannot_be_verified(eu_ctx: Context) -> None:
    assert judge(eu_ctx, "of the assumed role not-an-arn")[0] is Status.UNKNOWN


@pytest.mark.parametrize("account", [EU_ACCOUNT, "111111111100", "999999999901"])
def test_the_jurisdictions_own_accounts_pass(eu_ctx: Context, account: str) -> None:
    assert judge(eu_ctx, account)[0] is Status.PASS


def test_the_stacks_declared_account_passes_even_when_the_catalogue_does_not_list_it(eu_ctx: Context) -> None:
    assert judge(replace(eu_ctx, account=UNLISTED), UNLISTED)[0] is Status.PASS


def test_no_named_account_is_judged_by_region_alone(eu_ctx: Context) -> None:
    assert judge(eu_ctx)[0] is Status.PASS
    assert judge(eu_ctx, US_ACCOUNT, region="us-east-1")[0] is Status.FAIL
