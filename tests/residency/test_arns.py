"""ARNs are split in one place; anything that is not an ARN is None, never a guess."""

from __future__ import annotations

import pytest

from residency.arns import Arn, is_account_id, parse_arn


def test_an_arn_splits_into_its_six_fields_keeping_colons_in_the_resource() -> None:
    assert parse_arn("arn:aws:logs:eu-west-1:111122223333:log-group:/enclave:*") == Arn(
        "aws", "logs", "eu-west-1", "111122223333", "log-group:/enclave:*"
    )


def test_global_arns_have_empty_region_and_account() -> None:
    assert parse_arn("arn:aws:s3:::records") == Arn("aws", "s3", "", "", "records")


@pytest.mark.parametrize(
    "text", ["records", "alias/aws/s3", "arn:aws:s3", "urn:pulumi:s::p::t::n", "ARN:aws:s3:::x", ""]
)
def test_what_is_not_an_arn_is_none(text: str) -> None:
    assert parse_arn(text) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("111122223333", True),
        ("011122223333", True),
        ("11112222333", False),
        ("1111222233334", False),
        ("11112222333a", False),
        ("١١١١٢٢٢٢٣٣٣٣", False),
        ("", False),
    ],
)
def test_account_ids_are_twelve_ascii_digits(value: str, expected: bool) -> None:
    assert is_account_id(value) is expected
