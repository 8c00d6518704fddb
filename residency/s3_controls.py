"""The two S3 judgements the policy pack and the live auditor share: default encryption and public access.

Each adapter reads its own spelling (Pulumi's camelCase inputs, boto3's PascalCase answers) and asks here,
so a bucket is judged the same before deployment and in the live account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from residency.kms_keys import is_aws_managed_key

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
# S3 resolves a default-encryption rule without a key id to this AWS-managed key.
AWS_MANAGED_S3_KEY = "alias/aws/s3"
# AWS's names for the four settings of a public access block (bucket- or account-level).
PUBLIC_ACCESS_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


@dataclass(frozen=True)
class EncryptionRule:
    """One default-encryption rule of a bucket: its algorithm and KMS key, as written (None when absent)."""

    algorithm: str | None
    key: str | None


def judge_default_encryption(rules: Sequence[EncryptionRule]) -> tuple[bool, str]:
    """Whether a bucket's default encryption is SSE-KMS under a customer-managed key, and why.

    Compliant only when there is a rule and *every* rule is ``aws:kms`` or ``aws:kms:dsse`` with an explicit
    key that is not AWS-managed. A configuration with any other rule cannot be shown to encrypt every
    object under the enclave's key, so it fails (fail closed), whatever its other rules say.
    """
    if not rules:
        return False, "sseAlgorithm (no rule)"
    detail = "sseAlgorithm " + ", ".join(r.algorithm or "(none)" for r in rules)
    if not all(r.algorithm in KMS_ALGORITHMS for r in rules):
        return False, detail
    managed = [r.key for r in rules if r.key and is_aws_managed_key(r.key)]
    if managed:
        return False, f"{detail} with the AWS-managed key {managed[0]}, not a customer-managed key"
    if not all(r.key for r in rules):
        return False, f"{detail} without a key id (uses the AWS-managed key {AWS_MANAGED_S3_KEY})"
    return True, f"{detail} with key {', '.join(str(r.key) for r in rules)}"


def public_access_settings_off(setting: Callable[[str], object]) -> Iterator[str]:
    """The settings of a public access block that are not on, in order; a setting is on only when exactly
    True (absent, null or unreadable is off). ``setting`` reads one by AWS's name; lazily, so a caller that
    needs only "all on?" stops at the first one off."""
    for name in PUBLIC_ACCESS_SETTINGS:
        if setting(name) is not True:
            yield name
