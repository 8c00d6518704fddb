"""An endpoint or key policy the auditor cannot read is UNKNOWN, never a pass (botocore's Stubber answers
what moto always answers with a readable document)."""

from __future__ import annotations

import pytest

from residency.model import ControlState
from tests.adapters.aws_live.test_scanners_stubbed import ACCOUNT, judged, scan, stubbed

KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    ("shown", "detail"), [({}, "no policy shown"), ({"PolicyDocument": "{not json"}, "not a readable")]
)
def test_an_endpoint_whose_policy_cannot_be_read_is_unknown(shown: dict[str, str], detail: str) -> None:
    api, stub, failures = stubbed("vpc-endpoints")
    endpoint = {"VpcEndpointId": "vpce-1", "ServiceName": "com.amazonaws.eu-west-1.s3", "State": "available"}
    stub.add_response("describe_vpc_endpoints", {"VpcEndpoints": [{**endpoint, **shown}]})
    facts = scan(api)
    assert failures.items() == []
    arn = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:vpc-endpoint/vpce-1"
    assert judged(facts) == {("vpc-endpoint-policy", "UNKNOWN", arn, "eu-west-1")}
    [state] = facts
    assert isinstance(state, ControlState) and detail in state.detail


def test_a_deleted_endpoint_is_not_judged() -> None:
    api, stub, _ = stubbed("vpc-endpoints")
    stub.add_response("describe_vpc_endpoints", {"VpcEndpoints": [{"VpcEndpointId": "vpce-2", "State": "deleted"}]})
    assert scan(api) == []


def test_a_key_policy_that_is_not_json_is_unknown() -> None:
    api, stub, failures = stubbed("kms")
    stub.add_response("list_keys", {"Keys": [{"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "KeyArn": KEY}]})
    meta = {
        "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "Arn": KEY,
        "KeyManager": "CUSTOMER",
        "KeyState": "Enabled",
    }
    stub.add_response("describe_key", {"KeyMetadata": meta}, {"KeyId": KEY})
    stub.add_response("get_key_rotation_status", {"KeyRotationEnabled": True}, {"KeyId": KEY})
    stub.add_response("get_key_policy", {"Policy": "not a policy"}, {"KeyId": KEY, "PolicyName": "default"})
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    assert ("service-grant-bound", "UNKNOWN", KEY, "eu-west-1") in judged(facts)
