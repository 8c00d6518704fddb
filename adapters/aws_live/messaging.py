"""SNS and EventBridge -> Placement and data-path facts: subscriptions, event targets and their policies.

Every subscription endpoint, event target, dead-letter queue and resource-policy principal is judged by the
core's transfer-data-path rule, as the pack judges the same resources before deployment.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.data_paths import S3_PERMISSIONS, data_path_facts
from residency.model import Fact, Placement
from residency.rule_ids import TRANSFER_DATA_PATH

SNS_PERMISSIONS = {
    "ListTopics": "sns:ListTopics",
    "GetTopicAttributes": "sns:GetTopicAttributes",
    "ListSubscriptionsByTopic": "sns:ListSubscriptionsByTopic",
}
EVENTS_PERMISSIONS = {
    "ListEventBuses": "events:ListEventBuses",
    "ListRules": "events:ListRules",
    "ListTargetsByRule": "events:ListTargetsByRule",
}
RULE = TRANSFER_DATA_PATH


def _topics(api: Api) -> list[Any]:
    topics = api.items("list_topics", "Topics", rule=RULE, resource=api.arn("sns", "*"))
    return [t["TopicArn"] for t in topics or []]


def _topic(api: Api, arn: str) -> list[Fact]:
    facts: list[Fact] = [Placement(arn, "AWS::SNS::Topic", api.region)]
    attributes = api.call("get_topic_attributes", rule=RULE, resource=arn, TopicArn=arn)
    policy = (attributes or {}).get("Attributes", {}).get("Policy")
    if policy:
        facts += data_path_facts(api, arn, "aws:sns/topicPolicy:TopicPolicy", {"arn": arn, "policy": policy})
    subscriptions = api.items("list_subscriptions_by_topic", "Subscriptions", rule=RULE, resource=arn, TopicArn=arn)
    for sub in subscriptions or []:
        props = {"topicArn": arn, "protocol": sub.get("Protocol"), "endpoint": sub.get("Endpoint")}
        resource = sub.get("SubscriptionArn") or f"{arn}:subscription"
        facts += data_path_facts(api, resource, "aws:sns/topicSubscription:TopicSubscription", props)
    return facts


SNS_SCANNER = ServiceScanner(
    name="sns",
    client_name="sns",
    permissions=SNS_PERMISSIONS,
    discover=_topics,
    inspect=_topic,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)


def _buses(api: Api) -> list[Any]:
    buses = api.items("list_event_buses", "EventBuses", rule=RULE, resource=api.arn("events", "event-bus/*"))
    return [(b["Name"], b["Arn"], b.get("Policy")) for b in buses or []]


def _bus(api: Api, item: Any) -> list[Fact]:
    name, arn, policy = item
    facts: list[Fact] = [Placement(arn, "AWS::Events::EventBus", api.region)]
    if policy:
        facts += data_path_facts(api, arn, "aws:cloudwatch/eventBusPolicy:EventBusPolicy", {"policy": policy})
    for rule in api.items("list_rules", "Rules", rule=RULE, resource=arn, EventBusName=name) or []:
        targets = api.items(
            "list_targets_by_rule", "Targets", rule=RULE, resource=rule["Arn"], Rule=rule["Name"], EventBusName=name
        )
        for target in targets or []:
            props = {
                "rule": rule["Name"],
                "eventBusName": name,
                "arn": target.get("Arn"),
                "deadLetterConfig": {"arn": target.get("DeadLetterConfig", {}).get("Arn")},
            }
            resource = f"{rule['Arn']}/target/{target.get('Id')}"
            facts += data_path_facts(api, resource, "aws:cloudwatch/eventTarget:EventTarget", props)
    return facts


EVENTS_SCANNER = ServiceScanner(
    name="events",
    client_name="events",
    permissions=EVENTS_PERMISSIONS,
    discover=_buses,
    inspect=_bus,
    discovery_rule=RULE,
    other_clients={"s3": S3_PERMISSIONS},
)

SCANNERS = (SNS_SCANNER, EVENTS_SCANNER)
