"""SQS queues and Lambda functions -> Placement and data-path facts: resource policies (foreign or public
principals), redrive and dead-letter targets, and destinations named in function configuration."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.data_paths import S3_PERMISSIONS, data_path_facts
from residency.model import Fact, Placement
from residency.rule_ids import TRANSFER_DATA_PATH

SQS_PERMISSIONS = {"ListQueues": "sqs:ListQueues", "GetQueueAttributes": "sqs:GetQueueAttributes"}
LAMBDA_PERMISSIONS = {"ListFunctions": "lambda:ListFunctions", "GetPolicy": "lambda:GetPolicy"}
RULE = TRANSFER_DATA_PATH


def _queues(api: Api) -> list[Any]:
    return list(api.items("list_queues", "QueueUrls", rule=RULE, resource=api.arn("sqs", "*")) or [])


def _queue(api: Api, url: str) -> list[Fact]:
    answer = api.call(
        "get_queue_attributes",
        rule=RULE,
        resource=url,
        QueueUrl=url,
        AttributeNames=["QueueArn", "Policy", "RedrivePolicy"],
    )
    if answer is None:
        return []
    attributes = answer.get("Attributes", {})
    arn = attributes.get("QueueArn", url)
    props = {"policy": attributes.get("Policy"), "redrivePolicy": attributes.get("RedrivePolicy")}
    return [Placement(arn, "AWS::SQS::Queue", api.region), *data_path_facts(api, arn, "aws:sqs/queue:Queue", props)]


SQS_SCANNER = ServiceScanner(
    name="sqs",
    client_name="sqs",
    permissions=SQS_PERMISSIONS,
    discover=_queues,
    inspect=_queue,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)


def _functions(api: Api) -> list[Any]:
    return list(api.items("list_functions", "Functions", rule=RULE, resource=api.arn("lambda", "function:*")) or [])


def _function(api: Api, fn: dict[str, Any]) -> list[Fact]:
    arn = fn["FunctionArn"]
    # A function without a resource policy answers ResourceNotFoundException: nothing is granted.
    answer = api.call("get_policy", rule=RULE, resource=arn, absent=("ResourceNotFoundException",), FunctionName=arn)
    props = {
        "environment": {"variables": fn.get("Environment", {}).get("Variables", {})},
        "deadLetterConfig": {"targetArn": fn.get("DeadLetterConfig", {}).get("TargetArn")},
        "policy": (answer or {}).get("Policy"),
    }
    return [
        Placement(arn, "AWS::Lambda::Function", api.region),
        *data_path_facts(api, arn, "aws:lambda/function:Function", props),
    ]


LAMBDA_SCANNER = ServiceScanner(
    name="lambda",
    client_name="lambda",
    permissions=LAMBDA_PERMISSIONS,
    discover=_functions,
    inspect=_function,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)

SCANNERS = (SQS_SCANNER, LAMBDA_SCANNER)
