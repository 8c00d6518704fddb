"""transfer-data-path and transfer-bucket-destination: the one rule core that judges discovered destinations."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from residency.data_paths import candidates_of, data_path_transfers, naming_others
from residency.model import Finding, Status, Vector
from residency.resource_types import default_type_catalogue
from residency.rules import evaluate
from residency.rules.base import Context
from tests.residency.conftest import assessment, ctx_with

URN = "urn:pulumi:eu-dublin::enclave::t::r"


def judge(
    token: str, props: dict[str, Any], ctx: Context, region: str = "eu-west-1", buckets: Any = None
) -> list[Finding]:
    entry = default_type_catalogue().get(token)
    assert entry is not None, token
    transfers = data_path_transfers(URN, token, region, entry, candidates_of(entry, props), buckets)
    return evaluate(transfers, ctx)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


def test_a_subscription_to_a_queue_in_another_jurisdiction_fails(eu_ctx: Context) -> None:
    [f] = judge(SUBSCRIPTION, {"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:111111111101:q"}, eu_ctx)
    assert (f.rule, f.status) == ("transfer-data-path", Status.FAIL)
    assert "messaging-fan-out" in f.message and "us-east-1, outside European Union" in f.message


def test_a_transfer_between_two_regions_of_the_jurisdiction_passes(eu_ctx: Context) -> None:
    [f] = judge(SUBSCRIPTION, {"protocol": "sqs", "endpoint": "arn:aws:sqs:eu-central-1:111111111101:q"}, eu_ctx)
    assert f.status is Status.PASS


def test_an_inbound_copy_into_the_jurisdiction_is_no_transfer(eu_ctx: Context) -> None:
    props = {
        "sourceDbSnapshotIdentifier": "arn:aws:rds:us-east-1:111111111101:snapshot:s",
        "targetDbSnapshotIdentifier": "c",
    }
    assert judge("aws:rds/snapshotCopy:SnapshotCopy", props, eu_ctx) == []


def test_a_copy_whose_target_region_is_a_property_is_judged_by_that_property(eu_ctx: Context) -> None:
    # pulumi-aws v7: `region` is where the API call is made; destinationRegion is where the data goes.
    props = {"region": "eu-west-1", "sourceDbSnapshotIdentifier": "s", "destinationRegion": "us-east-1"}
    [f] = judge("aws:rds/snapshotCopy:SnapshotCopy", props, eu_ctx)
    assert f.status is Status.FAIL and "snapshot-copy" in f.message


def test_sharing_with_an_account_outside_the_jurisdiction_fails(eu_ctx: Context) -> None:
    known = replace(eu_ctx, account="111111111101")
    [f] = judge("aws:rds/snapshot:Snapshot", {"sharedAccounts": ["444455556666"]}, known)
    assert f.status is Status.FAIL and "not an enclave account of any jurisdiction" in f.message
    [g] = judge("aws:rds/snapshot:Snapshot", {"sharedAccounts": ["111111111103"]}, eu_ctx)
    assert g.status is Status.FAIL and "an enclave account of United States" in g.message


def test_sharing_with_an_enclave_account_of_the_jurisdiction_passes(eu_ctx: Context) -> None:
    [f] = judge("aws:rds/snapshot:Snapshot", {"sharedAccounts": ["111111111101"]}, eu_ctx)
    assert f.status is Status.PASS
    own = replace(eu_ctx, account="222233334444")
    [g] = judge("aws:rds/snapshot:Snapshot", {"sharedAccounts": ["222233334444"]}, own)
    assert g.status is Status.PASS


def test_an_account_is_unknown_when_the_enclave_account_is_not_known(eu_ctx: Context) -> None:
    [f] = judge("aws:rds/snapshot:Snapshot", {"sharedAccounts": ["444455556666"]}, eu_ctx)
    assert f.status is Status.UNKNOWN and "set enclave:accountId" in f.message


def test_public_access_fails_even_with_an_assessment() -> None:
    raw = assessment(destination={"worldwide": True}, vectors=["resource-policy"])
    doc = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]})
    [f] = judge("aws:s3/bucketPolicy:BucketPolicy", {"bucket": "b", "policy": doc}, ctx_with(raw))
    assert f.status is Status.FAIL and "admits anyone" in f.message


def test_an_external_host_needs_an_assessment_naming_it(eu_ctx: Context) -> None:
    props = {"httpEndpointConfiguration": {"url": "https://ingest.partner.example/v1", "name": "partner"}}
    token = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
    [f] = judge(token, props, eu_ctx)
    assert f.status is Status.FAIL and "ingest.partner.example" in f.message and "outside AWS" in f.message
    raw = assessment(destination={"host": "ingest.partner.example"}, vectors=["delivery-stream"])
    [g] = judge(token, props, ctx_with(raw))
    assert g.status is Status.PASS and g.assessment == "TRA-EU-2026-001"


def test_a_value_the_gate_cannot_read_is_unknown(eu_ctx: Context) -> None:
    [f] = judge(SUBSCRIPTION, {"protocol": "sms", "endpoint": "+15555550100"}, eu_ctx)
    assert f.status is Status.UNKNOWN and f.blocking


def test_a_region_elsewhere_in_an_unnamed_property_is_still_judged(eu_ctx: Context) -> None:
    props = {"environment": {"variables": {"QUEUE": "https://sqs.us-west-2.amazonaws.com/111111111101/q"}}}
    [f] = judge("aws:lambda/function:Function", props, eu_ctx)
    assert f.status is Status.FAIL


def test_properties_of_a_dedicated_vector_are_left_to_its_rule(eu_ctx: Context) -> None:
    # transfer-dynamodb-global-table judges Table.replicas; the data-path rule does not judge them twice.
    assert judge("aws:dynamodb/table:Table", {"replicas": [{"regionName": "us-east-1"}]}, eu_ctx) == []


def test_bucket_destinations_are_judged_with_the_program(eu_ctx: Context) -> None:
    props = {"s3BucketName": "audit-logs", "name": "trail"}
    token = "aws:cloudtrail/trail:Trail"
    assert judge(token, props, eu_ctx) == []  # resource scope: the bucket waits for the program
    [inside] = judge(token, props, eu_ctx, buckets={"audit-logs": "eu-west-1"})
    assert (inside.rule, inside.status) == ("transfer-bucket-destination", Status.PASS)
    [outside] = judge(token, props, eu_ctx, buckets={"audit-logs": "us-east-1"})
    assert outside.status is Status.FAIL
    [unknown] = judge(token, props, eu_ctx, buckets={})
    assert (
        unknown.status is Status.UNKNOWN
        and "not declared in this program" in unknown.message
        and "cannot be verified" in unknown.message
    )


def test_a_buckets_own_arn_is_not_a_destination_but_another_bucket_is() -> None:
    entry = default_type_catalogue().get("aws:s3/bucketV2:BucketV2")
    assert entry is not None
    state = {
        "arn": "arn:aws:s3:::records",
        "bucket": "records",
        "replicationConfigurations": [{"rules": [{"destination": {"bucket": "arn:aws:s3:::records-dr"}}]}],
    }
    found = list(naming_others(candidates_of(entry, state), {"records", "arn:aws:s3:::records"}))
    assert [(c.where, c.host) for c in found] == [
        ("replicationConfigurations.0.rules.0.destination.bucket", "records-dr")
    ]


def test_one_finding_per_distinct_destination(eu_ctx: Context) -> None:
    arn = "arn:aws:sqs:us-east-1:111111111101:q"
    props = {"arn": arn, "deadLetterConfig": {"arn": arn}, "rule": "r"}
    assert len(judge("aws:cloudwatch/eventTarget:EventTarget", props, eu_ctx)) == 1


@pytest.mark.parametrize(
    ("vector", "status"), [(Vector.MESSAGING_FAN_OUT, Status.PASS), (Vector.DELIVERY_STREAM, Status.FAIL)]
)
def test_an_assessment_covers_only_its_vectors(vector: Vector, status: Status) -> None:
    raw = assessment(destination={"region": "us-east-1"}, vectors=[vector.value])
    [f] = judge(SUBSCRIPTION, {"endpoint": "arn:aws:sqs:us-east-1:111111111101:q"}, ctx_with(raw))
    assert f.status is status


def test_a_referenced_arn_in_the_jurisdiction_is_not_judged_by_account_when_the_enclave_account_is_unknown(
    eu_ctx: Context,
) -> None:
    # As key custody: an ARN in a region of the jurisdiction, of an account the stack does not declare, is
    # most likely the program's own resource; a grant to that account is not (it blocks, see above).
    props = {"environment": {"variables": {"QUEUE": "arn:aws:sqs:eu-west-1:123456789012:q"}}}
    [f] = judge("aws:lambda/function:Function", props, eu_ctx)
    assert f.status is Status.PASS
    [g] = judge("aws:lambda/function:Function", props, replace(eu_ctx, account="111111111101"))
    assert g.status is Status.FAIL and "shares with account 123456789012" in g.message


def test_the_role_a_resource_acts_as_is_judged_by_account_only_when_the_enclave_account_is_known(
    eu_ctx: Context,
) -> None:
    # An IAM role ARN names no region (IAM is global) and AWS passes a role only within its own account: with
    # the enclave account unknown it names no other place; with it known, another account's role fails.
    props = {"role": "arn:aws:iam::123456789012:role/handler"}
    [f] = judge("aws:lambda/function:Function", props, eu_ctx)
    assert f.status is Status.PASS
    [g] = judge("aws:lambda/function:Function", props, replace(eu_ctx, account="111111111101"))
    assert g.status is Status.FAIL and "shares with account 123456789012" in g.message
    # A role granted access (a principal) is a grantee, whose account must be verified either way.
    policy = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": props["role"]}, "Action": "sqs:*"}]}
    [h] = judge("aws:sqs/queuePolicy:QueuePolicy", {"policy": json.dumps(policy)}, eu_ctx)
    assert h.status is Status.UNKNOWN and "set enclave:accountId" in h.message


def test_the_enclave_account_a_resource_is_deployed_into_is_its_own(eu_ctx: Context) -> None:
    # The org stack (EU) deploys a role into the Australian enclave account, naming that account's boundary.
    entry = default_type_catalogue().get("aws:iam/role:Role")
    assert entry is not None
    props = {"permissionsBoundary": "arn:aws:iam::111111111106:policy/boundary"}
    known = replace(eu_ctx, account="111111111100")

    def judged(account: str | None) -> list[Finding]:
        candidates = candidates_of(entry, props)
        return evaluate(data_path_transfers(URN, entry.token, None, entry, candidates, None, account), known)

    assert [f.status for f in judged("111111111106")] == [Status.PASS]
    assert [f.status for f in judged(None)] == [Status.FAIL]
    # An account the catalogue does not know is never "its own" by being the provider's.
    props = {"permissionsBoundary": "arn:aws:iam::444455556666:policy/boundary"}
    assert [f.status for f in judged("444455556666")] == [Status.FAIL]
