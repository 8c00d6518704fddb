"""The live auditor sees the data-path classes through the same core as the pack, against moto's server:
SNS subscriptions, EventBridge targets, Firehose delivery streams, log destinations and subscription filters,
resource policies with foreign or public principals, and AMI / RDS snapshot sharing."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.moto_world import audit, make_session

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SERVICES = ("sns", "events", "firehose", "logs", "sqs", "lambda", "sharing")
FOREIGN = "444455556666"
# Regions the shared emulator world does not use (its tests expect exact outcomes in theirs); moto's
# backends are process-wide, so the S3 bucket this module needs is deleted when it ends.
HOME, FAR, NEAR = "eu-north-1", "us-west-2", "eu-south-1"
EU_ENCLAVE = "111111111101"  # an enclave account of the EU (residency/catalogue.toml)
STOCK_AMI = "ami-03cf127a"  # one of the AMIs moto ships (its default catalogue)


def _client(world: Any, service: str, region: str = HOME) -> Any:
    return world.session.client(service, region_name=region, endpoint_url=world.url)


def _policy(principal: Any) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}],
        }
    )


def _package(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    return buffer.getvalue()


def _queue_arn(sqs: SQSClient, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


@pytest.fixture(scope="module")
def seeded(world: Any) -> Iterator[dict[str, str]]:
    ids: dict[str, str] = {}
    acct = world.account
    sqs_eu, sqs_us, sqs_fr = (
        _client(world, "sqs"),
        _client(world, "sqs", FAR),
        _client(world, "sqs", NEAR),
    )
    q_us = sqs_us.create_queue(QueueName="dp-far-queue")["QueueUrl"]
    q_fr = sqs_fr.create_queue(QueueName="dp-near-queue")["QueueUrl"]
    far_queue, near_queue = _queue_arn(sqs_us, q_us), _queue_arn(sqs_fr, q_fr)

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
            {"Id": "far", "Arn": f"arn:aws:events:{FAR}:{acct}:event-bus/default"},
            {"Id": "near", "Arn": near_queue},
        ],
    )
    ids["far-target"], ids["near-target"] = f"{rule_arn}/target/far", f"{rule_arn}/target/near"

    s3 = _client(world, "s3")
    s3.create_bucket(Bucket="dp-delivery-eu", CreateBucketConfiguration={"LocationConstraint": HOME})
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
        destinationName="dp-far", targetArn=f"arn:aws:kinesis:{FAR}:{acct}:stream/s", roleArn=role
    )["destination"]["arn"]
    logs.create_log_group(logGroupName="dp-group")
    # moto accepts only a delivery stream of the same account and region as a filter's destination.
    logs.put_subscription_filter(
        logGroupName="dp-group", filterName="out", filterPattern="", destinationArn=ids["s3-stream"], roleArn=role
    )
    ids["near-filter"] = f"arn:aws:logs:{HOME}:{acct}:log-group:dp-group:subscription-filter:out"

    public = sqs_eu.create_queue(QueueName="dp-public-queue", Attributes={"Policy": _policy("*")})["QueueUrl"]
    ids["public-queue"] = _queue_arn(sqs_eu, public)

    rds = _client(world, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="dp-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    snap = rds.create_db_snapshot(DBInstanceIdentifier="dp-db", DBSnapshotIdentifier="dp-shared-snap")["DBSnapshot"]
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="dp-shared-snap", AttributeName="restore", ValuesToAdd=[FOREIGN]
    )
    ids["shared-snapshot"] = snap["DBSnapshotArn"]

    # Lambda resource policies (GetPolicy): one admits another account; one has no policy (GetPolicy answers
    # ResourceNotFoundException: nothing granted) and names a queue of the jurisdiction in its environment.
    iam = _client(world, "iam")
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    fn_role = iam.create_role(
        RoleName="dp-fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    )["Role"]["Arn"]
    lam = _client(world, "lambda")
    code = {"ZipFile": _package("def handler(event, context):\n    return None\n")}
    common = {"Runtime": "python3.12", "Role": fn_role, "Handler": "index.handler", "Code": code}
    ids["shared-function"] = lam.create_function(FunctionName="dp-shared-fn", **common)["FunctionArn"]
    lam.add_permission(
        FunctionName="dp-shared-fn", StatementId="foreign", Action="lambda:InvokeFunction", Principal=FOREIGN
    )
    ids["private-function"] = lam.create_function(
        FunctionName="dp-private-fn", Environment={"Variables": {"QUEUE": near_queue}}, **common
    )["FunctionArn"]

    # AMI launch permissions (DescribeImageAttribute): moto's RegisterImage fails in server mode, so the
    # images are made from an instance of one of moto's stock AMIs.
    ec2 = _client(world, "ec2")
    instance = ec2.run_instances(ImageId=STOCK_AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    for name, account in (("shared-image", FOREIGN), ("enclave-image", EU_ENCLAVE)):
        image = ec2.create_image(InstanceId=instance, Name=f"dp-{name}")["ImageId"]
        ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": account}]})
        ids[name] = f"arn:aws:ec2:{HOME}::image/{image}"
    yield ids
    s3.delete_bucket(Bucket="dp-delivery-eu")


CALLS: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def report(world: Any, seeded: dict[str, str]) -> Any:
    session = make_session()
    session.events.register(
        "before-call.*.*", lambda model, **_: CALLS.add((model.service_model.service_name, model.name))
    )
    return audit(world, SERVICES, regions=(HOME,), session=session)


def data_path_operations() -> set[tuple[str, str]]:
    """Every (service, operation) the data-path scanners may call (the shared world seeds none of them)."""
    from adapters.aws_live import SCANNERS

    operations = set()
    for name in SERVICES:
        scanner = SCANNERS[name]
        for client_name in (scanner.client_name, *scanner.other_clients):
            operations |= {(client_name, op) for op in scanner.permissions_for(client_name)}
    return operations


def test_every_call_is_in_the_policy_and_every_permission_is_used(report: Any) -> None:
    from adapters.aws_live import all_permissions

    assert CALLS, "the audit made no call"
    assert CALLS - set(all_permissions()) == set()
    assert data_path_operations() - CALLS == set()


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
        ("shared-function", "transfer-data-path"),
        ("shared-image", "transfer-ebs-snapshot-share"),
    ],
)
def test_each_class_out_of_the_jurisdiction_fails(seeded: dict[str, str], report: Any, name: str, rule: str) -> None:
    assert (rule, "FAIL") in _statuses(report, seeded[name]), sorted(_statuses(report, seeded[name]))


@pytest.mark.parametrize(
    "name", ["good-sub", "near-target", "s3-stream", "near-filter", "private-function", "enclave-image"]
)
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
    [function] = [f for f in report.findings if f.resource == seeded["shared-function"] and f.status == "FAIL"]
    assert FOREIGN in function.message
    [image] = [f for f in report.findings if f.resource == seeded["shared-image"] and f.status == "FAIL"]
    assert FOREIGN in image.message
