"""Ring 5, the third party's door: a read-only role that only the configured outside auditor can assume.

- Trust: only the third party's account (``enclave:externalAuditor.accountId``), and only with its ExternalId
  (``sts:ExternalId``), so no other customer of that party can be made to open the door (confused deputy).
- Under the enclave's permissions boundary; reads configuration, runs the live auditor's read-only calls,
  reads the audit evidence and AWS Config's history; explicitly denied every user-data object and key.
- Alarmed like break-glass: its assumption and every call its sessions make go to an encrypted SNS topic
  through EventBridge (the same event patterns as components/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from adapters.aws_live import iam_actions
from components.access import alarm_event_patterns, alarm_topic
from components.boundary import READ_CONFIGURATION_ACTIONS
from components.guard import guarded, require_region_in_jurisdiction
from components.policy import OBJECT_DATA_ACTIONS, Statement, document, role_policies
from components.principals import EXTERNAL_AUDITOR, EnclavePrincipals
from residency.external_auditor import ExternalAuditor
from residency.jurisdictions import Jurisdiction

OBJECT_READ = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
# The two alarms break-glass has (components/access.py), for this role.
ALARMS = {"assumed": "break-glass-assumed", "used": "break-glass-used"}


@dataclass
class ExternalAuditorAccessArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    auditor: ExternalAuditor
    permissions_boundary_arn: pulumi.Input[str]
    evidence_bucket_arns: list[pulumi.Input[str]]
    evidence_key_arns: list[pulumi.Input[str]]
    user_data_bucket_arns: list[pulumi.Input[str]]
    user_data_key_arns: list[pulumi.Input[str]]
    audit_key_arn: pulumi.Input[str]


def external_trust(auditor: ExternalAuditor) -> Statement:
    return {
        "Effect": "Allow",
        "Principal": {"AWS": auditor.account_root},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": auditor.external_id}},
    }


# Statements on KMS keys, whose ARNs are unknown until the keys exist (components.policy.role_policies).
KEY_SIDS = frozenset({"DecryptEvidence", "DenyUserDataKeys"})


def external_statements(a: ExternalAuditorAccessArgs) -> list[Statement]:
    buckets = [r for arn in a.evidence_bucket_arns for r in (arn, pulumi.Output.concat(arn, "/*"))]
    data = [r for arn in a.user_data_bucket_arns for r in (arn, pulumi.Output.concat(arn, "/*"))]
    return [
        {"Sid": "ReadConfiguration", "Effect": "Allow", "Action": READ_CONFIGURATION_ACTIONS, "Resource": "*"},
        {"Sid": "LiveResidencyAudit", "Effect": "Allow", "Action": iam_actions(), "Resource": "*"},
        {"Sid": "ReadEvidence", "Effect": "Allow", "Action": OBJECT_READ, "Resource": buckets},
        {
            "Sid": "DecryptEvidence",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": a.evidence_key_arns,
        },
        {"Sid": "DenyUserDataObjects", "Effect": "Deny", "Action": OBJECT_DATA_ACTIONS, "Resource": data},
        {
            "Sid": "DenyUserDataKeys",
            "Effect": "Deny",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": a.user_data_key_arns,
        },
    ]


class ExternalAuditorAccess(pulumi.ComponentResource):
    role: aws.iam.Role
    alarm_topic: aws.sns.Topic

    def __init__(self, name: str, args: ExternalAuditorAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:ExternalAuditorAccess", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"ExternalAuditorAccess {name}", self)
        child = guarded(self)  # the door, its policy and its alarms are guards (residency/guards.py)
        p, jid = args.principals, args.jurisdiction.id
        self.role = aws.iam.Role(
            f"{name}-role",
            name=p.role_name(EXTERNAL_AUDITOR),
            description=f"Enclave {jid}: external auditor (account {args.auditor.account_id}), read-only",
            assume_role_policy=document(external_trust(args.auditor)),
            permissions_boundary=args.permissions_boundary_arn,
            max_session_duration=3600,
            opts=child,
        )
        role_policies(f"{name}-policy", self.role.id, external_statements(args), KEY_SIDS, child)
        patterns = alarm_event_patterns(p.role_arn(EXTERNAL_AUDITOR))
        alarms = {
            kind: (
                f"enclave-{jid}-external-auditor-{kind}",
                f"Enclave {jid}: alarm when the external auditor's role is {kind}",
                patterns[pattern_key],
            )
            for kind, pattern_key in ALARMS.items()
        }
        self.alarm_topic = alarm_topic(name, args.audit_key_arn, alarms, child, (args.region, p.account_id))
        self.register_outputs({"externalAuditorRoleArn": self.role.arn, "alarmTopicArn": self.alarm_topic.arn})
