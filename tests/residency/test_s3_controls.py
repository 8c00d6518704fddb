"""The S3 judgements the pack and the auditor share: every default-encryption rule must be SSE-KMS under a
customer-managed key, and a public access block is on only when all four settings are exactly true."""

from __future__ import annotations

import pytest

from residency.s3_controls import (
    PUBLIC_ACCESS_SETTINGS,
    EncryptionRule,
    judge_default_encryption,
    public_access_settings_off,
)

KEY = "arn:aws:kms:eu-west-1:111122223333:key/abc"


@pytest.mark.parametrize(
    ("rules", "satisfied", "says"),
    [
        ([EncryptionRule("aws:kms", KEY)], True, f"with key {KEY}"),
        ([EncryptionRule("aws:kms:dsse", "alias/records")], True, "aws:kms:dsse"),
        ([], False, "(no rule)"),
        ([EncryptionRule("AES256", None)], False, "sseAlgorithm AES256"),
        ([EncryptionRule(None, None)], False, "(none)"),
        ([EncryptionRule("aws:kms", None)], False, "without a key id"),
        ([EncryptionRule("aws:kms", "alias/aws/s3")], False, "AWS-managed key alias/aws/s3"),
        # Fail closed: one compliant rule does not cover a configuration that also has another.
        ([EncryptionRule("aws:kms", KEY), EncryptionRule("AES256", None)], False, "aws:kms, AES256"),
        ([EncryptionRule("aws:kms", KEY), EncryptionRule("aws:kms", None)], False, "without a key id"),
    ],
)
def test_default_encryption(rules: list[EncryptionRule], satisfied: bool, says: str) -> None:
    ok, detail = judge_default_encryption(rules)
    assert ok is satisfied and says in detail


def test_public_access_is_on_only_when_every_setting_is_exactly_true() -> None:
    all_on = dict.fromkeys(PUBLIC_ACCESS_SETTINGS, True)
    assert list(public_access_settings_off(all_on.get)) == []
    partial = {**all_on, "IgnorePublicAcls": None, "RestrictPublicBuckets": "true"}
    assert list(public_access_settings_off(partial.get)) == ["IgnorePublicAcls", "RestrictPublicBuckets"]
    assert list(public_access_settings_off(lambda _: None)) == list(PUBLIC_ACCESS_SETTINGS)


def test_a_caller_asking_whether_all_are_on_stops_at_the_first_one_off() -> None:
    read: list[str] = []

    def setting(name: str) -> object:
        read.append(name)
        return name != "BlockPublicAcls"

    assert next(public_access_settings_off(setting), None) == "BlockPublicAcls"
    assert read == ["BlockPublicAcls"]
