"""Firehose and CloudWatch Logs -> Placement and data-path facts: delivery streams, log destinations and
subscription filters, judged by the core's transfer-data-path and transfer-bucket-destination rules."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.data_paths import S3_PERMISSIONS, data_path_facts
from residency.model import Fact, Placement
from residency.rule_ids import TRANSFER_DATA_PATH

FIREHOSE_PERMISSIONS = {
    "ListDeliveryStreams": "firehose:ListDeliveryStreams",
    "DescribeDeliveryStream": "firehose:DescribeDeliveryStream",
}
LOGS_PERMISSIONS = {
    "DescribeDestinations": "logs:DescribeDestinations",
    "DescribeLogGroups": "logs:DescribeLogGroups",
    "DescribeSubscriptionFilters": "logs:DescribeSubscriptionFilters",
}
RULE = TRANSFER_DATA_PATH
STREAM_TOKEN = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
# Firehose's description of each destination -> the pulumi-aws input that configures it.
DESTINATIONS = {
    "HttpEndpointDestinationDescription": "httpEndpointConfiguration",
    "ExtendedS3DestinationDescription": "extendedS3Configuration",
    "S3DestinationDescription": "extendedS3Configuration",
    "RedshiftDestinationDescription": "redshiftConfiguration",
    "ElasticsearchDestinationDescription": "elasticsearchConfiguration",
    "AmazonopensearchserviceDestinationDescription": "opensearchConfiguration",
    "AmazonOpenSearchServerlessDestinationDescription": "opensearchserverlessConfiguration",
    "SplunkDestinationDescription": "splunkConfiguration",
    "SnowflakeDestinationDescription": "snowflakeConfiguration",
    "IcebergDestinationDescription": "icebergConfiguration",
}


def _streams(api: Api) -> list[Any]:
    names = api.items("list_delivery_streams", "DeliveryStreamNames", rule=RULE, resource=api.arn("firehose", "*"))
    return list(names or [])


def _stream(api: Api, name: str) -> list[Fact]:
    arn = api.arn("firehose", f"deliverystream/{name}")
    answer = api.call("describe_delivery_stream", rule=RULE, resource=arn, DeliveryStreamName=name)
    if answer is None:
        return []
    description = answer.get("DeliveryStreamDescription", {})
    arn = description.get("DeliveryStreamARN", arn)
    props: dict[str, Any] = {}
    for destination in description.get("Destinations", []):
        for key, value in destination.items():
            if key in DESTINATIONS:
                props.setdefault(DESTINATIONS[key], []).append(value)
            elif key != "DestinationId":
                # A destination kind this mapping does not know is still searched, as an unnamed reference.
                props.setdefault(key, []).append(value)
    source = description.get("Source")
    if source:
        props["kinesisSourceConfiguration"] = source
    return [
        Placement(arn, "AWS::KinesisFirehose::DeliveryStream", api.region),
        *data_path_facts(api, arn, STREAM_TOKEN, props),
    ]


FIREHOSE_SCANNER = ServiceScanner(
    name="firehose",
    client_name="firehose",
    permissions=FIREHOSE_PERMISSIONS,
    discover=_streams,
    inspect=_stream,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)


def _log_items(api: Api) -> list[Any]:
    destinations = api.items(
        "describe_destinations", "destinations", rule=RULE, resource=api.arn("logs", "destination:*")
    )
    groups = api.items("describe_log_groups", "logGroups", rule=RULE, resource=api.arn("logs", "log-group:*"))
    return [("destination", d) for d in destinations or []] + [("group", g["logGroupName"]) for g in groups or []]


def _log_item(api: Api, item: Any) -> list[Fact]:
    kind, value = item
    if kind == "destination":
        arn = value.get("arn") or api.arn("logs", f"destination:{value.get('destinationName')}")
        facts: list[Fact] = [Placement(arn, "AWS::Logs::Destination", api.region)]
        facts += data_path_facts(
            api, arn, "aws:cloudwatch/logDestination:LogDestination", {"targetArn": value.get("targetArn")}
        )
        if value.get("accessPolicy"):
            token = "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy"
            facts += data_path_facts(api, arn, token, {"accessPolicy": value["accessPolicy"]})
        return facts
    group_arn = api.arn("logs", f"log-group:{value}")
    filters = api.items(
        "describe_subscription_filters", "subscriptionFilters", rule=RULE, resource=group_arn, logGroupName=value
    )
    facts = []
    for sub in filters or []:
        resource = f"{group_arn}:subscription-filter:{sub.get('filterName')}"
        props = {"logGroup": value, "destinationArn": sub.get("destinationArn")}
        facts += data_path_facts(api, resource, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", props)
    return facts


LOGS_SCANNER = ServiceScanner(
    name="logs",
    client_name="logs",
    permissions=LOGS_PERMISSIONS,
    discover=_log_items,
    inspect=_log_item,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)

SCANNERS = (FIREHOSE_SCANNER, LOGS_SCANNER)
