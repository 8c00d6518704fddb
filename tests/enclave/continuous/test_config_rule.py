"""The AWS Config custom rule's handler, run against moto's server: seeded violation -> NON_COMPLIANT.

moto implements PutEvaluations only in test mode (it accepts and checks the call, but keeps no result), so
the tests record the evaluations the handler sends on the wire and switch TestMode on for moto there.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from enclave.continuous.config_rule import EventError, evaluate_change
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from tests.enclave.continuous.conftest import ACCOUNT, Enclave, account_session

TODAY = date(2026, 12, 3)


def event(
    resource_type: str, resource_id: str, *, family: str, status: str = "OK", arn: str | None = None
) -> dict[str, Any]:
    item = {
        "resourceType": resource_type,
        "resourceId": resource_id,
        "resourceName": resource_id,
        "ARN": arn if arn is not None else f"arn:aws:s3:::{resource_id}",
        "awsRegion": "eu-west-1",
        "awsAccountId": ACCOUNT,
        "configurationItemStatus": status,
        "configurationItemCaptureTime": "2026-12-03T08:00:00.000Z",
    }
    invoking = {"messageType": "ConfigurationItemChangeNotification", "configurationItem": item}
    return {
        "invokingEvent": json.dumps(invoking),
        "ruleParameters": json.dumps({"family": family}),
        "resultToken": "token-from-config",
        "configRuleName": f"enclave-eu-{family}",
    }


def recording_session(url: str) -> tuple[Any, list[dict[str, Any]]]:
    session = account_session(url)
    sent: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        sent.extend(params["Evaluations"])
        params["TestMode"] = True  # moto's only PutEvaluations mode; AWS gets the handler's call unchanged

    session.events.register("before-parameter-build.config-service.PutEvaluations", record)
    return session, sent


def run(enclave: Enclave, evt: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    session, sent = recording_session(enclave.url)
    evaluation = evaluate_change(evt, session, enclave.settings, AssessmentRegistry(), ExemptionRegistry(), TODAY)
    return evaluation, sent


def test_seeded_replication_out_of_the_jurisdiction_is_non_compliant(enclave: Enclave) -> None:
    evaluation, sent = run(enclave, event("AWS::S3::Bucket", "cont-leaky", family="transfers"))
    assert sent == [evaluation]
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["ComplianceResourceType"] == "AWS::S3::Bucket"
    assert evaluation["ComplianceResourceId"] == "cont-leaky"
    assert evaluation["Annotation"].startswith("[transfer-s3-replication]")
    assert "us-east-1" in evaluation["Annotation"]
    assert evaluation["OrderingTimestamp"] == "2026-12-03T08:00:00.000Z"


def test_a_bucket_without_transfer_is_compliant_for_transfers_and_location(enclave: Enclave) -> None:
    transfers, _ = run(enclave, event("AWS::S3::Bucket", "cont-records", family="transfers"))
    assert transfers["ComplianceType"] == "COMPLIANT"
    location, _ = run(enclave, event("AWS::S3::Bucket", "cont-records", family="location"))
    assert (location["ComplianceType"], location["Annotation"]) == ("COMPLIANT", "1 location finding(s) pass")


def test_a_failing_control_is_non_compliant(enclave: Enclave) -> None:
    # cont-records has no default SSE-KMS encryption and no public access block.
    controls, _ = run(enclave, event("AWS::S3::Bucket", "cont-records", family="controls"))
    assert controls["ComplianceType"] == "NON_COMPLIANT"
    assert controls["Annotation"].startswith("[s3-")


def test_a_resource_the_scanner_cannot_find_cannot_be_verified(enclave: Enclave) -> None:
    evaluation, _ = run(enclave, event("AWS::S3::Bucket", "cont-never-created", family="location"))
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"] == "cannot be verified: the auditor's scanner did not find the resource"


def test_a_type_outside_the_family_cannot_be_verified(enclave: Enclave) -> None:
    evaluation, _ = run(enclave, event("AWS::EC2::VPC", "vpc-123", family="key-custody", arn=""))
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"] == "cannot be verified: AWS::EC2::VPC is not judged by key-custody"


def test_a_deleted_resource_is_not_applicable(enclave: Enclave) -> None:
    evaluation, _ = run(enclave, event("AWS::S3::Bucket", "cont-gone", family="location", status="ResourceDeleted"))
    assert evaluation["ComplianceType"] == "NOT_APPLICABLE"


def test_an_api_failure_is_non_compliant_never_compliant(enclave: Enclave) -> None:
    session, sent = recording_session(enclave.url)

    def deny(params: dict[str, Any], **_: Any) -> None:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "GetBucketReplication")

    session.events.register("before-call.s3.GetBucketReplication", deny)
    evt = event("AWS::S3::Bucket", "cont-records", family="transfers")
    evaluation = evaluate_change(evt, session, enclave.settings, AssessmentRegistry(), ExemptionRegistry(), TODAY)
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"].startswith("cannot be verified: s3 GetBucketReplication in eu-west-1 failed")
    assert sent == [evaluation]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ruleParameters": json.dumps({"family": "astrology"})}, "unknown rule family 'astrology'; allowed: location"),
        ({"invokingEvent": "not json"}, "the event has no readable invokingEvent"),
        (
            {"invokingEvent": json.dumps({"messageType": "ScheduledNotification"})},
            "messageType 'ScheduledNotification' is not a configuration change",
        ),
        ({"resultToken": ""}, "the event has no resultToken"),
    ],
)
def test_bad_events_raise_one_line(enclave: Enclave, change: dict[str, Any], message: str) -> None:
    evt = {**event("AWS::S3::Bucket", "cont-records", family="location"), **change}
    session, sent = recording_session(enclave.url)
    with pytest.raises((EventError, ValueError)) as raised:
        evaluate_change(evt, session, enclave.settings, AssessmentRegistry(), ExemptionRegistry(), TODAY)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)
    assert sent == []
