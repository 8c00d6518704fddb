"""The live auditor treats every AWS-managed key (alias/aws/*, bare or as an ARN) as not customer-managed."""

from __future__ import annotations

from typing import Any, cast

import pytest

from adapters.aws_live.api import Api
from adapters.aws_live.s3 import _encryption
from residency.model import ControlState

ARN = "arn:aws:s3:::data"


class _Answer:
    """Stands in for Api: answers get_bucket_encryption with one KMS default-encryption rule."""

    def __init__(self, key: str) -> None:
        self.key = key

    def call(self, operation: str, **_: Any) -> dict[str, Any]:
        assert operation == "get_bucket_encryption"
        default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.key}
        return {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": default}]}}


def _api(answer: _Answer) -> Api:
    # The reader uses only Api.call, which the stand-in answers: a duck type, not an Api subclass.
    return cast(Api, answer)


def _control(key: str) -> ControlState:
    [state] = [f for f in _encryption(_api(_Answer(key)), ARN, "data", "eu-west-1") if isinstance(f, ControlState)]
    return state


@pytest.mark.parametrize("key", ["alias/aws/s3", "alias/aws/ebs", "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"])
def test_aws_managed_keys_fail(key: str) -> None:
    state = _control(key)
    assert not state.satisfied and key in state.detail


@pytest.mark.parametrize(
    "key", ["arn:aws:kms:eu-west-1:123456789012:key/abc", "alias/data-key", "arn:aws:kms:eu-west-1:1:alias/awsome"]
)
def test_customer_managed_keys_pass(key: str) -> None:
    assert _control(key).satisfied


def test_a_bucket_with_any_rule_that_is_not_sse_kms_under_a_customer_key_fails() -> None:
    # The judgement is the pack's (residency.s3_controls): a compliant rule beside another does not pass.
    class _TwoRules(_Answer):
        def call(self, operation: str, **_: Any) -> dict[str, Any]:
            rules = [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.key}},
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}},
            ]
            return {"ServerSideEncryptionConfiguration": {"Rules": rules}}

    facts = _encryption(_api(_TwoRules("arn:aws:kms:eu-west-1:123456789012:key/abc")), ARN, "data", "eu-west-1")
    [state] = [f for f in facts if isinstance(f, ControlState)]
    assert not state.satisfied and "aws:kms, AES256" in state.detail
