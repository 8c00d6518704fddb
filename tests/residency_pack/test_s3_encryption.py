"""s3-encryption-kms in the pack: a null inline block is no encryption; an AWS-managed key is not customer-managed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.residency_pack.cases import KEY_EU, Res
from tests.residency_pack.direct import Diag, mandatory, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def _encryption(case: list[Res], governance: Path) -> list[Diag]:
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return mandatory(diags, "s3-encryption-kms")


def _bucket_with_sse(key: str) -> list[Res]:
    rule = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}}
    return [
        Res("aws:s3/bucketV2:BucketV2", "data", {"bucket": "data"}),
        Res(SSE, "data-sse", {"bucket": "data", "rules": [rule]}, deps={"bucket": ["data"]}),
    ]


def _bucket_inline(block: Any) -> list[Res]:
    return [Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "serverSideEncryptionConfiguration": block})]


def _inline_rule(key: str) -> dict[str, Any]:
    return {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}}}


@pytest.mark.parametrize(
    "case",
    [
        _bucket_inline(None),  # present but null, and no encryption resource targets the bucket
        _bucket_with_sse("alias/aws/s3"),
        _bucket_with_sse("arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"),
        _bucket_inline(_inline_rule("alias/aws/s3")),
    ],
    ids=["null-inline-block", "bare-aws-alias", "aws-alias-arn", "inline-aws-alias"],
)
def test_unencrypted_or_aws_managed_key_fails(case: list[Res], governance: Path) -> None:
    [diag] = _encryption(case, governance)
    # Judged on the bucket (its inline block, or no encryption at all) or on the encryption resource.
    assert diag.urn.endswith(("::data", "::data-sse")), diag


@pytest.mark.parametrize(
    "case",
    [
        _bucket_with_sse(KEY_EU),
        _bucket_with_sse("alias/data-key"),  # a customer alias (not under alias/aws/)
        _bucket_with_sse("arn:aws:kms:eu-west-1:111122223333:alias/awsome"),
        _bucket_inline(_inline_rule(KEY_EU)),
    ],
    ids=["key-arn", "customer-alias", "customer-alias-arn", "inline-key-arn"],
)
def test_customer_managed_key_passes(case: list[Res], governance: Path) -> None:
    assert _encryption(case, governance) == []
