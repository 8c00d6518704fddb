"""A security reviewer's set, through the real gRPC protocol: programs that move EU data out by paths issue 9
does not name (no rule and no catalogue entry was written for them). Default-deny must block each one.

Stack: jurisdiction eu, aws:region eu-west-1, enclave account 111111111101 (``data_path_cases``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from policy_engine.client import PolicyEngine
from tests.residency_pack.cases import Case, Res
from tests.residency_pack.data_path_cases import ASSESSMENTS, STACK_CONFIG
from tests.residency_pack.engine_support import captured, start_governed_engine

US_STREAM = "arn:aws:kinesis:us-east-1:111111111101:stream/copy"
CONTAINERS = [
    {
        "name": "app",
        "image": "app:1",
        "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "http", "Host": "logs.elsewhere.example"}},
    }
]

UNNAMED: dict[str, Case] = {
    "appflow-profile-to-saas": [
        Res(
            "aws:appflow/connectorProfile:ConnectorProfile",
            "crm",
            {
                "connectorType": "Salesforce",
                "connectorProfileConfig": {
                    "connectorProfileProperties": {"salesforce": {"instanceUrl": "https://acme.my.salesforce.com"}}
                },
            },
        )
    ],
    "ses-receipt-rule-to-us-topic": [
        Res(
            "aws:ses/receiptRule:ReceiptRule",
            "inbound",
            {
                "ruleSetName": "rs",
                "snsActions": [{"topicArn": "arn:aws:sns:us-east-1:111111111101:mail", "position": 1}],
            },
        )
    ],
    "analytics-output-to-us-stream": [
        Res(
            "aws:kinesisanalyticsv2/application:Application",
            "app",
            {
                "runtimeEnvironment": "FLINK-1_18",
                "applicationConfiguration": {"applicationCodeConfiguration": {"codeContentType": "ZIPFILE"}},
                "serviceExecutionRole": "arn:aws:iam::111111111101:role/r",
                "outputs": [{"kinesisStreamsOutput": {"resourceArn": US_STREAM}}],
            },
        )
    ],
    "glue-jdbc-connection-outside-aws": [
        Res(
            "aws:glue/connection:Connection",
            "jdbc",
            {"connectionProperties": {"JDBC_CONNECTION_URL": "jdbc:postgresql://db.elsewhere.example:5432/records"}},
        )
    ],
    "api-gateway-http-proxy": [
        Res(
            "aws:apigateway/integration:Integration",
            "proxy",
            {
                "restApi": "api",
                "resourceId": "r",
                "httpMethod": "ANY",
                "type": "HTTP_PROXY",
                "integrationHttpMethod": "ANY",
                "uri": "https://api.elsewhere.example/{proxy}",
            },
        )
    ],
    "ecs-firelens-log-host": [
        Res(
            "aws:ecs/taskDefinition:TaskDefinition",
            "task",
            {"family": "app", "containerDefinitions": json.dumps(CONTAINERS)},
        )
    ],
    # Reading from a broker outside AWS is inbound (the catalogue's `in`); records that fail go out, here to
    # a queue in the US.
    "lambda-kafka-failures-to-us-queue": [
        Res(
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "kafka",
            {
                "functionName": "f",
                "topics": ["records"],
                "selfManagedEventSource": {"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "broker.elsewhere.example:9092"}},
                "destinationConfig": {"onFailure": {"destinationArn": "arn:aws:sqs:us-east-1:111111111101:failed"}},
            },
        )
    ],
    "metric-stream-to-us-firehose": [
        Res(
            "aws:cloudwatch/metricStream:MetricStream",
            "metrics",
            {
                "firehoseArn": "arn:aws:firehose:us-east-1:111111111101:deliverystream/m",
                "roleArn": "arn:aws:iam::111111111101:role/r",
                "outputFormat": "json",
            },
        )
    ],
    "cross-region-privatelink": [
        Res(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            "vendor",
            {
                "vpcId": "vpc-1",
                "serviceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
                "vpcEndpointType": "Interface",
            },
        )
    ],
    "dynamodb-kinesis-streaming-to-us": [
        Res(
            "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
            "stream",
            {"tableName": "records", "streamArn": US_STREAM},
        )
    ],
    "s3-notification-to-us-function": [
        Res(
            "aws:s3/bucketNotification:BucketNotification",
            "notify",
            {
                "bucket": "b",
                "lambdaFunctions": [
                    {
                        "lambdaFunctionArn": "arn:aws:lambda:us-east-1:111111111101:function:f",
                        "events": ["s3:ObjectCreated:*"],
                    }
                ],
            },
        )
    ],
    "ram-share-with-another-account": [
        Res(
            "aws:ram/principalAssociation:PrincipalAssociation",
            "share",
            {"principal": "444455556666", "resourceShareArn": "arn:aws:ram:eu-west-1:111111111101:resource-share/s"},
        )
    ],
    "opensearch-cross-cluster-to-us": [
        Res(
            "aws:opensearch/outboundConnection:OutboundConnection",
            "search",
            {
                "connectionAlias": "us",
                "localDomainInfo": {"domainName": "records", "ownerId": "111111111101", "region": "eu-west-1"},
                "remoteDomainInfo": {"domainName": "copy", "ownerId": "111111111101", "region": "us-east-1"},
            },
        )
    ],
    "transfer-family-connector-outside-aws": [
        Res(
            "aws:transfer/connector:Connector",
            "sftp",
            {"url": "sftp://files.partner.example", "accessRole": "arn:aws:iam::111111111101:role/r"},
        )
    ],
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyEngine]:
    engine = start_governed_engine(STACK_CONFIG, tmp_path_factory.mktemp("governance"), ASSESSMENTS)
    yield engine
    engine.close()


@pytest.mark.parametrize("name", sorted(UNNAMED))
def test_a_path_no_rule_names_is_blocked(engine: PolicyEngine, name: str) -> None:
    diags = engine.analyze(captured(UNNAMED[name]))
    blocked = [d for d in diags if d.level == "mandatory" and d.policy.startswith("transfer-")]
    assert blocked, f"{name}: let through: {[(d.policy, d.level, d.message[:120]) for d in diags]}"


def test_reading_from_a_broker_outside_aws_is_inbound_and_passes(engine: PolicyEngine) -> None:
    source = {"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "broker.elsewhere.example:9092"}}
    mapping = Res("aws:lambda/eventSourceMapping:EventSourceMapping", "kafka", {"functionName": "f",
                  "topics": ["records"], "selfManagedEventSource": source})  # fmt: skip
    diags = engine.analyze(captured([mapping]))
    assert not [d for d in diags if d.level == "mandatory" and d.policy.startswith("transfer-")], diags
