"""The AWS Config custom rule: on a configuration change, judge the changed resource with one rule family.

The handler re-reads the resource with the live auditor's scanner for its type (the configuration item is
AWS's record of the change; the scanner reads what the rules need, as `enclave audit` does), keeps the facts
and API failures that concern the resource, and judges them with the family's rules (``judge``, the same
function as the CLI). Then ``PutEvaluations`` with the rule's result token:

- NON_COMPLIANT when a rule fails, cannot verify (UNKNOWN), or a call that would have shown the evidence
  failed; the annotation names the first reason;
- COMPLIANT when the scanner saw the resource and every finding of the family passes;
- NON_COMPLIANT "cannot be verified" when the scanner did not see the resource at all;
- NOT_APPLICABLE when the resource was deleted.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from adapters.aws_live.api import ApiFailure
from adapters.aws_live.config_families import SCANNER_OF_TYPE, family
from enclave.audit import tool_version
from enclave.audit.findings import ERROR, FAIL, AuditFinding, judge
from enclave.audit.scanner import AuditRequest, scan
from enclave.continuous.settings import HandlerSettings
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue
from residency.model import Fact

COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"
DELETED = ("ResourceDeleted", "ResourceDeletedNotRecorded")
MAX_ANNOTATION = 256


class EventError(ValueError):
    """The event is not a configuration-change notification this rule can judge (one line)."""


def _item(event: dict[str, Any]) -> dict[str, Any]:
    try:
        invoking = json.loads(event["invokingEvent"])
    except (KeyError, TypeError, json.JSONDecodeError):
        raise EventError("the event has no readable invokingEvent (is this an AWS Config rule invocation?)") from None
    kind = invoking.get("messageType")
    if kind == "ConfigurationItemChangeNotification":
        return dict(invoking["configurationItem"])
    if kind == "OversizedConfigurationItemChangeNotification":
        return dict(invoking["configurationItemSummary"])
    raise EventError(f"messageType {kind!r} is not a configuration change; this rule is triggered by changes only")


def _family_name(event: dict[str, Any]) -> str:
    try:
        parameters = json.loads(event.get("ruleParameters") or "{}")
    except json.JSONDecodeError:
        raise EventError("ruleParameters is not JSON") from None
    return str(parameters.get("family", ""))


def concerns(resource: str, item: dict[str, Any]) -> bool:
    """Whether a finding's resource (an ARN, as the scanners report) is the configuration item's resource, or
    part of it (a topic's subscription ``<topic ARN>:<id>``, a rule's target ``<rule ARN>/target/<id>``)."""
    arn, rid = item.get("ARN") or item.get("arn"), str(item.get("resourceId", ""))
    if arn and (resource == arn or resource.startswith((f"{arn}:", f"{arn}/"))):
        return True
    return bool(rid) and (resource.endswith(f"/{rid}") or resource.endswith(f":{rid}") or resource == rid)


def _failure_concerns(failure: ApiFailure, item: dict[str, Any]) -> bool:
    # Only a failure about another, named resource is someone else's: a failed list call ("arn:...:table/*")
    # or a scanner crash ("s3:eu-west-1") may hide this resource too.
    specific = failure.resource.startswith("arn:") and "*" not in failure.resource
    return concerns(failure.resource, item) or not specific


def judge_item(
    item: dict[str, Any],
    family_name: str,
    session: Any,
    settings: HandlerSettings,
    assessments: AssessmentRegistry,
    exemptions: ExemptionRegistry,
    today: date,
) -> tuple[str, str]:
    """(compliance type, annotation) of one configuration item for one family."""
    rules = family(family_name)
    if item.get("configurationItemStatus") in DELETED:
        return NOT_APPLICABLE, "the resource was deleted"
    resource_type = str(item.get("resourceType", ""))
    if resource_type not in rules.resource_types or resource_type not in SCANNER_OF_TYPE:
        return (
            NON_COMPLIANT,
            f"cannot be verified: {resource_type or 'no resource type'} is not judged by {family_name}",
        )
    region = str(item.get("awsRegion") or settings.region)
    request = AuditRequest(
        settings.jurisdiction,
        regions=(region,),
        services=(SCANNER_OF_TYPE[resource_type],),
        endpoint_url=settings.endpoint_url,
        max_workers=4,
    )
    result = scan(session, request)
    facts: list[Fact] = [f for f in result.facts if concerns(getattr(f, "resource", ""), item)]
    failures = [f for f in result.failures if _failure_concerns(f, item)]
    report = judge(
        replace(result, facts=facts, failures=failures),
        settings.jurisdiction,
        default_catalogue(),
        assessments,
        exemptions,
        today,
        tool_version(),
    )
    errors = [f for f in report.findings if f.status == ERROR]
    judged = [f for f in report.findings if f.rule in rules.rule_ids and f.status != ERROR]
    return _verdict(judged, errors, seen=bool(facts), family_name=family_name)


def _verdict(
    judged: list[AuditFinding], errors: list[AuditFinding], *, seen: bool, family_name: str
) -> tuple[str, str]:
    failing = [f for f in judged if f.status == FAIL]
    if failing:
        return NON_COMPLIANT, f"[{failing[0].rule}] {failing[0].message}"
    if errors:
        return NON_COMPLIANT, f"cannot be verified: {errors[0].message}"
    if not seen:
        return NON_COMPLIANT, "cannot be verified: the auditor's scanner did not find the resource"
    if not judged:
        return COMPLIANT, f"nothing for {family_name} to judge on this resource (no transfer, key or control found)"
    return COMPLIANT, f"{len(judged)} {family_name} finding(s) pass"


def evaluate_change(
    event: dict[str, Any],
    session: Any,
    settings: HandlerSettings,
    assessments: AssessmentRegistry,
    exemptions: ExemptionRegistry,
    today: date,
) -> dict[str, Any]:
    """Judge the event's resource and report it to Config (PutEvaluations). Returns the evaluation sent."""
    item = _item(event)
    token = event.get("resultToken")
    if not token:
        raise EventError("the event has no resultToken")
    compliance, annotation = judge_item(item, _family_name(event), session, settings, assessments, exemptions, today)
    evaluation = {
        "ComplianceResourceType": item["resourceType"],
        "ComplianceResourceId": item["resourceId"],
        "ComplianceType": compliance,
        "Annotation": annotation[: MAX_ANNOTATION - 3] + "..." if len(annotation) > MAX_ANNOTATION else annotation,
        "OrderingTimestamp": item["configurationItemCaptureTime"],
    }
    config = session.client("config", region_name=settings.region, endpoint_url=settings.endpoint_url)
    answer = config.put_evaluations(Evaluations=[evaluation], ResultToken=token)
    if answer.get("FailedEvaluations"):
        raise RuntimeError(f"AWS Config refused the evaluation: {answer['FailedEvaluations'][0]}")
    return evaluation
