"""The data-paths Config family, run against moto's server: a queue policy admitting another account and a
topic subscribed by a queue abroad are NON_COMPLIANT; the same resources kept at home are COMPLIANT.

Seeded in an account of their own, so the scheduled-audit tests of the continuous account see none of it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from enclave.continuous.config_rule import evaluate_change
from enclave.continuous.settings import HandlerSettings
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue
from tests.enclave.continuous.conftest import account_session

TODAY = date(2026, 12, 3)
ACCOUNT = "210987654322"
FOREIGN = "999999999999"


def _policy(queue_arn: str, account: str) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture(scope="module")
def seeded(moto_url: str) -> dict[str, str]:
    session = account_session(moto_url, ACCOUNT)
    sqs = session.client("sqs", region_name="eu-west-1", endpoint_url=moto_url)
    sqs_us = session.client("sqs", region_name="us-east-1", endpoint_url=moto_url)
    sns = session.client("sns", region_name="eu-west-1", endpoint_url=moto_url)
    ids: dict[str, str] = {}
    for name, account in (("dp-shared", FOREIGN), ("dp-own", ACCOUNT)):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _policy(arn, account)})
        ids[name], ids[f"{name}-url"] = arn, url
    us_queue = sqs_us.create_queue(QueueName="dp-us")["QueueUrl"]
    us_arn = sqs_us.get_queue_attributes(QueueUrl=us_queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for topic, endpoint in (("dp-abroad", us_arn), ("dp-home", ids["dp-own"])):
        arn = sns.create_topic(Name=topic)["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=endpoint)
        ids[topic] = arn
    return ids


def _event(resource_type: str, resource_id: str, arn: str) -> dict[str, Any]:
    item = {
        "resourceType": resource_type,
        "resourceId": resource_id,
        "ARN": arn,
        "awsRegion": "eu-west-1",
        "awsAccountId": ACCOUNT,
        "configurationItemStatus": "OK",
        "configurationItemCaptureTime": "2026-12-03T08:00:00.000Z",
    }
    return {
        "invokingEvent": json.dumps({"messageType": "ConfigurationItemChangeNotification", "configurationItem": item}),
        "ruleParameters": json.dumps({"family": "data-paths"}),
        "resultToken": "token-from-config",
    }


def _judge(moto_url: str, evt: dict[str, Any]) -> dict[str, Any]:
    session = account_session(moto_url, ACCOUNT)
    session.events.register(
        "before-parameter-build.config-service.PutEvaluations",
        lambda params, **_: params.update(TestMode=True),  # moto's only PutEvaluations mode
    )
    settings = HandlerSettings(default_catalogue().get("eu"), "eu-west-1", endpoint_url=moto_url)
    return evaluate_change(evt, session, settings, AssessmentRegistry(), ExemptionRegistry(), TODAY)


def test_a_queue_policy_admitting_another_account_is_non_compliant(moto_url: str, seeded: dict[str, str]) -> None:
    evaluation = _judge(moto_url, _event("AWS::SQS::Queue", seeded["dp-shared-url"], seeded["dp-shared"]))
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"].startswith("[transfer-data-path]")
    assert FOREIGN in evaluation["Annotation"]


def test_a_queue_policy_admitting_its_own_account_is_compliant(moto_url: str, seeded: dict[str, str]) -> None:
    evaluation = _judge(moto_url, _event("AWS::SQS::Queue", seeded["dp-own-url"], seeded["dp-own"]))
    assert (evaluation["ComplianceType"], evaluation["Annotation"]) == ("COMPLIANT", "1 data-paths finding(s) pass")


def test_a_topic_subscribed_by_a_queue_abroad_is_non_compliant(moto_url: str, seeded: dict[str, str]) -> None:
    # The subscription is judged as part of its topic (its ARN is <topic ARN>:<id>).
    evaluation = _judge(moto_url, _event("AWS::SNS::Topic", seeded["dp-abroad"], seeded["dp-abroad"]))
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"].startswith("[transfer-data-path]") and "us-east-1" in evaluation["Annotation"]


def test_a_topic_subscribed_by_a_queue_at_home_is_compliant(moto_url: str, seeded: dict[str, str]) -> None:
    evaluation = _judge(moto_url, _event("AWS::SNS::Topic", seeded["dp-home"], seeded["dp-home"]))
    assert evaluation["ComplianceType"] == "COMPLIANT"
    assert evaluation["Annotation"].endswith("data-paths finding(s) pass")
