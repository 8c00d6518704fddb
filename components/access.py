"""Ring 3 (data access permissions): four roles, each under the enclave's permissions boundary.

- operator: in-jurisdiction personnel (MFA and ``aws:PrincipalTag/jurisdiction`` = this jurisdiction)
  read and write user records and read test data (only the de-identification pipeline writes it);
- engineer: reads the de-identified test-data bucket only, and is explicitly denied the user-record
  bucket and its key;
- auditor: reads audit evidence and configuration and makes the live auditor's read-only calls (in every
  region: the boundary and the SCP region guard exempt it), explicitly denied every user-data object and key;
- break-glass: only the named people of the stack's config, with the jurisdiction tag, MFA used in the last
  15 minutes, through the home region's STS endpoint (so the assumption lands in the home region, where the
  alarm rule sees it), for at most an hour; every assumption and every call it makes is alarmed
  (EventBridge -> encrypted SNS).
Any change to the guardrails (trail, keys, bucket policies, flow logs, boundaries), and any Macie finding
(personal data in the test-data bucket), is alarmed the same way.
Data actions are listed one by one; no policy grants a wildcard on data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from adapters.aws_live import iam_actions
from components.boundary import GUARDRAIL_ACTIONS, READ_CONFIGURATION_ACTIONS
from components.guard import guarded, require_region_in_jurisdiction
from components.policy import (
    OBJECT_DATA_ACTIONS,
    Statement,
    access_point_resources,
    document,
    named_arn,
    role_policies,
)
from components.principals import AUDITOR, BREAK_GLASS, ENGINEER, JURISDICTION_TAG, OPERATOR, EnclavePrincipals
from residency.identity import BREAK_GLASS_MAX_SESSION, BREAK_GLASS_MFA_MAX_AGE
from residency.jurisdictions import Jurisdiction

OBJECT_READ = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
OBJECT_READ_WRITE = [*OBJECT_READ, "s3:PutObject", "s3:DeleteObject"]
KEY_READ = ["kms:Decrypt", "kms:DescribeKey"]
KEY_READ_WRITE = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
# 3600 s is the shortest maximum session IAM accepts for a role.
# Statements on the enclave's KMS keys, whose ARNs are unknown until the keys exist (components.policy.role_policies).
KEY_SIDS = frozenset(
    {"UseDataKeys", "DecryptAuditEvidence", "DecryptTestData", "DenyUserRecordKey", "DenyUserDataKeys"}
)
SESSION_SECONDS = {OPERATOR: 3600, ENGINEER: 3600, AUDITOR: 3600, BREAK_GLASS: BREAK_GLASS_MAX_SESSION}


@dataclass
class EnclaveAccessArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    permissions_boundary_arn: pulumi.Input[str]
    records_bucket_arn: pulumi.Input[str]
    # The records bucket's access point (VPC origin): the only way to its objects (components/storage.py).
    records_access_point_arn: pulumi.Input[str]
    testdata_bucket_arn: pulumi.Input[str]
    audit_bucket_arn: pulumi.Input[str]
    records_key_arn: pulumi.Input[str]
    testdata_key_arn: pulumi.Input[str]
    audit_key_arn: pulumi.Input[str]


def _bucket(arn: pulumi.Input[str]) -> list[pulumi.Input[str]]:
    return [arn, pulumi.Output.concat(arn, "/*")]


def _records(a: EnclaveAccessArgs) -> list[pulumi.Input[str]]:
    """The records bucket and its access point: a request through the access point is authorised against the
    access point's resources (identity policy) and the bucket's (bucket policy), so a grant or deny names both."""
    return [*_bucket(a.records_bucket_arn), *access_point_resources(a.records_access_point_arn)]


def trust_policy(purpose: str, principals: EnclavePrincipals, region: str) -> Statement:
    """Who may assume the role: people in the enclave account, always with MFA; operators also need the tag.

    Break-glass: only the named principals, with the tag, a recent MFA sign-in, and only through the home
    region's STS endpoint (``aws:RequestedRegion`` is us-east-1 on the global endpoint), so every assumption
    is recorded in the home region, where the alarm rule matches it.
    """
    condition: dict[str, dict[str, Any]] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    if purpose in (OPERATOR, BREAK_GLASS):
        condition["StringEquals"] = {f"aws:PrincipalTag/{JURISDICTION_TAG}": principals.jurisdiction_id}
    if purpose == BREAK_GLASS:
        if not principals.break_glass_principals:
            raise ValueError("break-glass needs at least one named principal (enclave:breakGlassPrincipals)")
        condition["StringEquals"]["aws:RequestedRegion"] = region
        condition["ArnEquals"] = {"aws:PrincipalArn": list(principals.break_glass_principals)}
        condition["NumericLessThanEquals"] = {"aws:MultiFactorAuthAge": str(BREAK_GLASS_MFA_MAX_AGE)}
    return {
        "Effect": "Allow",
        "Principal": {"AWS": principals.account_root},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }


def role_statements(purpose: str, a: EnclaveAccessArgs) -> list[Statement]:
    read_config: Statement = {
        "Sid": "ReadConfiguration",
        "Effect": "Allow",
        "Action": READ_CONFIGURATION_ACTIONS,
        "Resource": "*",
    }
    read_evidence: list[Statement] = [
        {"Sid": "ReadAuditEvidence", "Effect": "Allow", "Action": OBJECT_READ, "Resource": _bucket(a.audit_bucket_arn)},
        {"Sid": "DecryptAuditEvidence", "Effect": "Allow", "Action": KEY_READ, "Resource": a.audit_key_arn},
    ]
    if purpose in (OPERATOR, BREAK_GLASS):
        return [
            {
                "Sid": "UserRecords",
                "Effect": "Allow",
                "Action": OBJECT_READ_WRITE,
                "Resource": _records(a),
            },
            # Test data is written by the de-identification pipeline only (components/test_data.py).
            {
                "Sid": "ReadTestData",
                "Effect": "Allow",
                "Action": OBJECT_READ,
                "Resource": _bucket(a.testdata_bucket_arn),
            },
            {
                "Sid": "UseDataKeys",
                "Effect": "Allow",
                "Action": KEY_READ_WRITE,
                "Resource": [a.records_key_arn, a.testdata_key_arn],
            },
            *read_evidence,
            read_config,
        ]
    if purpose == ENGINEER:
        return [
            {
                "Sid": "ReadTestData",
                "Effect": "Allow",
                "Action": OBJECT_READ,
                "Resource": _bucket(a.testdata_bucket_arn),
            },
            {"Sid": "DecryptTestData", "Effect": "Allow", "Action": KEY_READ, "Resource": a.testdata_key_arn},
            {"Sid": "DenyUserRecords", "Effect": "Deny", "Action": "s3:*", "Resource": _records(a)},
            {"Sid": "DenyUserRecordKey", "Effect": "Deny", "Action": "kms:*", "Resource": a.records_key_arn},
        ]
    if purpose == AUDITOR:
        return [
            read_config,
            *read_evidence,
            # What `enclave audit` calls, generated from the scanners' permission tables (one source, the
            # same as `enclave audit --print-iam-policy`): list and describe calls only, no object or key data.
            {"Sid": "LiveResidencyAudit", "Effect": "Allow", "Action": iam_actions(), "Resource": "*"},
            {
                "Sid": "DenyUserDataObjects",
                "Effect": "Deny",
                "Action": OBJECT_DATA_ACTIONS,
                "Resource": [*_records(a), *_bucket(a.testdata_bucket_arn)],
            },
            {
                "Sid": "DenyUserDataKeys",
                "Effect": "Deny",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
                "Resource": [a.records_key_arn, a.testdata_key_arn],
            },
        ]
    raise ValueError(f"unknown role purpose {purpose!r}")


def alarm_event_patterns(break_glass_role_arn: str) -> dict[str, str]:
    """EventBridge patterns that alarm: the break-glass role assumed, any call made with its sessions, and
    any change to the guardrails (the calls the permissions boundary denies the enclave's roles)."""
    api_call = "AWS API Call via CloudTrail"
    assumed = {
        "source": ["aws.sts"],
        "detail-type": [api_call],
        "detail": {
            "eventSource": ["sts.amazonaws.com"],
            "eventName": ["AssumeRole"],
            "requestParameters": {"roleArn": [break_glass_role_arn]},
        },
    }
    used = {
        "detail-type": [api_call],
        "detail": {"userIdentity": {"sessionContext": {"sessionIssuer": {"arn": [break_glass_role_arn]}}}},
    }
    changed = {
        "detail-type": [api_call],
        "detail": {
            "eventSource": sorted({f"{a.split(':')[0]}.amazonaws.com" for a in GUARDRAIL_ACTIONS}),
            "eventName": sorted({a.split(":")[1] for a in GUARDRAIL_ACTIONS}),
        },
    }
    # Amazon Macie's scan of the test-data bucket (components/test_data_guard.py) found personal data.
    # CLASSIFICATION findings are sensitive-data findings (POLICY findings are about bucket settings).
    sensitive = {"source": ["aws.macie"], "detail-type": ["Macie Finding"], "detail": {"category": ["CLASSIFICATION"]}}
    return {
        "sensitive-data-found": json.dumps(sensitive),
        "break-glass-assumed": json.dumps(assumed),
        "break-glass-used": json.dumps(used),
        "guardrail-changed": json.dumps(changed),
    }


class EnclaveAccess(pulumi.ComponentResource):
    roles: dict[str, aws.iam.Role]
    alarm_topic: aws.sns.Topic

    def __init__(self, name: str, args: EnclaveAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveAccess", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveAccess {name}", self)
        child = guarded(self)
        p = args.principals
        self.roles = {}
        for purpose in (OPERATOR, ENGINEER, AUDITOR, BREAK_GLASS):
            role = aws.iam.Role(
                f"{name}-{purpose}",
                name=p.role_name(purpose),
                description=f"Enclave {args.jurisdiction.id}: {purpose}",
                assume_role_policy=document(trust_policy(purpose, p, args.region)),
                permissions_boundary=args.permissions_boundary_arn,
                max_session_duration=SESSION_SECONDS[purpose],
                opts=child,
            )
            role_policies(f"{name}-{purpose}-policy", role.id, role_statements(purpose, args), KEY_SIDS, child)
            self.roles[purpose] = role
        self._alarms(name, args)
        self.register_outputs({f"{purpose}RoleArn": role.arn for purpose, role in self.roles.items()})

    def _alarms(self, name: str, args: EnclaveAccessArgs) -> None:
        jid = args.jurisdiction.id
        alarms = {
            # A fixed name: it is what the on-call engineer sees in the alarm.
            kind: (f"enclave-{jid}-{kind}", f"Enclave {jid}: alarm on {kind.replace('-', ' ')}", pattern)
            for kind, pattern in alarm_event_patterns(args.principals.role_arn(BREAK_GLASS)).items()
        }
        where = (args.region, args.principals.account_id)
        self.alarm_topic = alarm_topic(name, args.audit_key_arn, alarms, guarded(self), where)


def alarm_topic(
    name: str,
    key_arn: pulumi.Input[str],
    alarms: dict[str, tuple[str, str, Any]],
    opts: pulumi.ResourceOptions,
    where: tuple[str, str],
) -> aws.sns.Topic:
    """An encrypted alarm topic in ``where`` (region, account), one EventBridge rule and target per alarm
    (kind -> rule name, description, event pattern), and a topic policy that lets EventBridge publish from
    those rules only. The topic and rules are named by ARNs from their names, known at preview."""
    region, account = where
    topic = aws.sns.Topic(f"{name}-alarms", kms_master_key_id=key_arn, opts=opts)
    topic_arn = named_arn("sns", region, account, "", topic.name)
    rules = []
    for kind, (rule_name, description, pattern) in alarms.items():
        rule = aws.cloudwatch.EventRule(
            f"{name}-{kind}", name=rule_name, description=description, event_pattern=pattern, opts=opts
        )
        aws.cloudwatch.EventTarget(f"{name}-{kind}-target", rule=rule.name, arn=topic_arn, opts=opts)
        rules.append(named_arn("events", region, account, "rule/", rule.name))
    aws.sns.TopicPolicy(
        f"{name}-alarms-policy",
        arn=topic_arn,
        policy=document(
            {
                "Sid": "EventBridgePublishesAlarms",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rules}},
            }
        ),
        opts=opts,
    )
    return topic
