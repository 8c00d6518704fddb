"""The live auditor treats every AWS-managed key (alias/aws/*, bare or as an ARN) as not customer-managed, and
reads the access points a records bucket's policy names (s3control GetAccessPoint), UNKNOWN when it cannot."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from adapters.aws_live.api import Api
from adapters.aws_live.s3 import _encryption, _records_network
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


ACCOUNT = "123456789012"
RECORDS = "enclave-eu-storage-records-abc"
POINT = f"arn:aws:s3:eu-west-1:{ACCOUNT}:accesspoint/enclave-eu-records"


class _RecordsAccount:
    """Stands in for Api: the records bucket's policy requires ``POINT``; GetAccessPoint answers ``point``
    (None: the call failed, as the real Api returns after recording the error)."""

    account = ACCOUNT

    def __init__(self, point: dict[str, Any] | None) -> None:
        self.point = point
        self.asked: list[dict[str, Any]] = []

    def using(self, client: str, region: str) -> _RecordsAccount:
        assert (client, region) == ("s3control", "eu-west-1")
        return self

    def call(self, operation: str, **params: Any) -> dict[str, Any] | None:
        if operation == "get_bucket_policy":
            deny = {
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:GetObject*", "s3:PutObject*"],
                "Resource": [f"arn:aws:s3:::{RECORDS}/*"],
                "Condition": {"StringNotEquals": {"s3:DataAccessPointArn": POINT}},
            }
            return {"Policy": json.dumps({"Version": "2012-10-17", "Statement": [deny]})}
        assert operation == "get_access_point"
        self.asked.append({k: v for k, v in params.items() if k in ("AccountId", "Name")})
        return self.point


def _records_state(point: dict[str, Any] | None) -> tuple[ControlState, list[dict[str, Any]]]:
    api = _RecordsAccount(point)
    # The reader uses only Api.account, Api.using and Api.call, which the stand-in answers.
    [state] = _records_network(cast(Api, api), f"arn:aws:s3:::{RECORDS}", RECORDS, "eu-west-1")
    assert isinstance(state, ControlState)
    return state, api.asked


def test_the_records_access_point_is_read_with_get_access_point() -> None:
    vpc = {"Bucket": RECORDS, "NetworkOrigin": "VPC", "VpcConfiguration": {"VpcId": "vpc-1"}}
    state, asked = _records_state(vpc)
    assert (state.satisfied, asked) == (True, [{"AccountId": ACCOUNT, "Name": "enclave-eu-records"}])
    internet, _ = _records_state({"Bucket": RECORDS, "NetworkOrigin": "Internet"})
    assert internet.satisfied is False and "network origin Internet" in internet.detail


def test_an_access_point_that_cannot_be_read_leaves_the_rule_unknown() -> None:
    state, _ = _records_state(None)
    assert (
        state.satisfied is None and f"cannot read the bucket or network origin of access point {POINT}" in state.detail
    )
