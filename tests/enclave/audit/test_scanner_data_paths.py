"""The live auditor sees the data-path classes through the same core as the pack, against moto's server:
SNS subscriptions, EventBridge targets, Firehose delivery streams, log destinations and subscription filters,
resource policies with foreign or public principals, and AMI / RDS snapshot sharing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from tests.moto_world import World, audit, make_session

SERVICES = ("sns", "events", "firehose", "logs", "sqs", "lambda", "sharing")
FOREIGN = "444455556666"


def _client(world: Any, service: str, region: str = "eu-west-1") -> Any:
    return world.session.client(service, region_name=region, endpoint_url=world.url)


def _policy(principal: Any) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}],
        }
    )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    # Its own emulator: the shared world's exact-outcome tests must not see these resources.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = make_session()
    yield World(url, session, session.client("sts", endpoint_url=url).get_caller_identity()["Account"])
    server.stop()


@pytest.fixture(scope="module")
def seeded(world: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    acct = world.account
    sqs_eu, sqs_us, sqs_fr = (
        _client(world, "sqs"),
        _client(world, "sqs", "us-east-1"),
        _client(world, "sqs", "eu-central-1"),
    )
    q_us = sqs_us.create_queue(QueueName="dp-far-queue")["QueueUrl"]
    q_fr = sqs_fr.create_queue(QueueName="dp-near-queue")["QueueUrl"]
    arn_of = lambda c, url: c.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]  # noqa: E731
    far_queue, near_queue = arn_of(sqs_us, q_us), arn_of(sqs_fr, q_fr)

    sns = _client(world, "sns")
    leaky = sns.create_topic(Name="dp-leaky-topic")["TopicArn"]
    ids["leaky-sub"] = sns.subscribe(TopicArn=leaky, Protocol="sqs", Endpoint=far_queue, ReturnSubscriptionArn=True)[
        "SubscriptionArn"
    ]
    good = sns.create_topic(Name="dp-good-topic")["TopicArn"]
    ids["good-sub"] = sns.subscribe(TopicArn=good, Protocol="sqs", Endpoint=near_queue, ReturnSubscriptionArn=True)[
        "SubscriptionArn"
    ]
    shared = sns.create_topic(Name="dp-shared-topic")["TopicArn"]
    sns.set_topic_attributes(
        TopicArn=shared, AttributeName="Policy", AttributeValue=_policy({"AWS": f"arn:aws:iam::{FOREIGN}:root"})
    )
    ids["shared-topic"] = shared

    events = _client(world, "events")
    events.put_rule(Name="dp-rule", EventPattern=json.dumps({"source": ["app"]}))
    rule_arn = events.describe_rule(Name="dp-rule")["Arn"]
    events.put_targets(
        Rule="dp-rule",
        Targets=[
            {"Id": "far", "Arn": f"arn:aws:events:us-east-1:{acct}:event-bus/default"},
            {"Id": "near", "Arn": near_queue},
        ],
    )
    ids["far-target"], ids["near-target"] = f"{rule_arn}/target/far", f"{rule_arn}/target/near"

    s3 = _client(world, "s3")
    s3.create_bucket(Bucket="dp-delivery-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    firehose, role = _client(world, "firehose"), f"arn:aws:iam::{acct}:role/firehose"
    ids["http-stream"] = firehose.create_delivery_stream(
        DeliveryStreamName="dp-http",
        HttpEndpointDestinationConfiguration={
            "EndpointConfiguration": {"Url": "https://collector.elsewhere.example/v1", "Name": "x"},
            "S3Configuration": {"RoleARN": role, "BucketARN": "arn:aws:s3:::dp-delivery-eu"},
        },
    )["DeliveryStreamARN"]
    ids["s3-stream"] = firehose.create_delivery_stream(
        DeliveryStreamName="dp-s3",
        ExtendedS3DestinationConfiguration={"RoleARN": role, "BucketARN": "arn:aws:s3:::dp-delivery-eu"},
    )["DeliveryStreamARN"]

    logs = _client(world, "logs")
    ids["far-destination"] = logs.put_destination(
        destinationName="dp-far", targetArn=f"arn:aws:kinesis:us-east-1:{acct}:stream/s", roleArn=role
    )["destination"]["arn"]
    logs.create_log_group(logGroupName="dp-group")
    # moto accepts only a delivery stream of the same account and region as a filter's destination.
    logs.put_subscription_filter(
        logGroupName="dp-group", filterName="out", filterPattern="", destinationArn=ids["s3-stream"], roleArn=role
    )
    ids["near-filter"] = f"arn:aws:logs:eu-west-1:{acct}:log-group:dp-group:subscription-filter:out"

    public = sqs_eu.create_queue(QueueName="dp-public-queue", Attributes={"Policy": _policy("*")})["QueueUrl"]
    ids["public-queue"] = arn_of(sqs_eu, public)

    rds = _client(world, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="source-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    snap = rds.create_db_snapshot(DBInstanceIdentifier="source-db", DBSnapshotIdentifier="dp-shared-snap")["DBSnapshot"]
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="dp-shared-snap", AttributeName="restore", ValuesToAdd=[FOREIGN]
    )
    ids["shared-snapshot"] = snap["DBSnapshotArn"]
    return ids


@pytest.fixture(scope="module")
def report(world: Any, seeded: dict[str, str]) -> Any:
    return audit(world, SERVICES)


def _statuses(report: Any, resource: str) -> set[tuple[str, str]]:
    return {(f.rule, f.status) for f in report.findings if f.resource == resource}


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("leaky-sub", "transfer-data-path"),
        ("shared-topic", "transfer-data-path"),
        ("far-target", "transfer-data-path"),
        ("http-stream", "transfer-data-path"),
        ("far-destination", "transfer-data-path"),
        ("public-queue", "transfer-data-path"),
        ("shared-snapshot", "transfer-data-path"),
    ],
)
def test_each_class_out_of_the_jurisdiction_fails(seeded: dict[str, str], report: Any, name: str, rule: str) -> None:
    assert (rule, "FAIL") in _statuses(report, seeded[name]), sorted(_statuses(report, seeded[name]))


@pytest.mark.parametrize("name", ["good-sub", "near-target", "s3-stream", "near-filter"])
def test_each_class_inside_the_jurisdiction_passes(seeded: dict[str, str], report: Any, name: str) -> None:
    statuses = _statuses(report, seeded[name])
    assert statuses and all(status == "PASS" for _, status in statuses), statuses


def test_no_scanner_call_failed(report: Any) -> None:
    assert [f for f in report.findings if f.status == "ERROR"] == []


def test_messages_name_the_destination(seeded: dict[str, str], report: Any) -> None:
    [stream] = [f for f in report.findings if f.resource == seeded["http-stream"] and f.status == "FAIL"]
    assert "collector.elsewhere.example" in stream.message and "outside AWS" in stream.message
    [public] = [f for f in report.findings if f.resource == seeded["public-queue"] and f.status == "FAIL"]
    assert "admits anyone" in public.message
