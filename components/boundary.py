"""Ring 3 (data access permissions): the permissions boundary every role the enclave creates carries.

A boundary caps what a role can ever do, whatever policies are attached to it later: data actions only
on this account's resources, read-only configuration, log delivery (and, for the auditing roles only: the
auditor, the continuous auditor and the external auditor, the live auditor's read-only calls); the continuous
audit's reports to AWS Config and Security Hub; starting the enclave's own functions; nothing outside the
jurisdiction's regions, except for the auditing roles, which must read every region to find strays; and
never switching off the guardrails (trail, keys, bucket policies, flow logs, endpoint policies, trust
policies, the boundary), nor setting the jurisdiction tag.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from adapters.aws_live import iam_actions
from components.guard import guarded, require_region_in_jurisdiction
from components.policy import Statement, deny_jurisdiction_tag, document, iam_arn
from components.principals import (
    AUDITING_PURPOSES,
    CONTINUOUS_AUDITOR,
    ENGINEER,
    JURISDICTION_TAG,
    KEY_ROTATION,
    PIPELINE,
    boundary_policy_name,
    role_arn,
)
from components.test_data_guard import ATHENA_QUERY_ACTIONS, GLUE_TABLE_ACTIONS
from residency.jurisdictions import Jurisdiction
from residency.policy_documents import covers

# Data actions are listed one by one: no wildcard may ever grant more data access than this.
DATA_ACTIONS = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
]
READ_CONFIGURATION_ACTIONS = [
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrail",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:ListTrails",
    "cloudtrail:LookupEvents",
    "config:Describe*",
    "config:Get*",
    "config:List*",
    "ec2:Describe*",
    "iam:Get*",
    "iam:List*",
    "kms:ListKeys",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "s3:ListAllMyBuckets",
    "s3:GetBucketLocation",
    "s3:GetBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketVersioning",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketTagging",
    "s3:GetEncryptionConfiguration",
    "events:DescribeRule",
    "events:ListRules",
    "events:ListTargetsByRule",
    "sns:GetTopicAttributes",
    "sns:ListTopics",
    "sts:GetCallerIdentity",
]
LOG_DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
# Global services whose requests carry us-east-1 (or no) region; everything else must stay in the jurisdiction.
# STS is not among them: the enclave's roles use the regional STS endpoints of the jurisdiction, so their
# calls are recorded there (the global endpoint records in us-east-1).
GLOBAL_SERVICE_ACTIONS = ["iam:*", "support:*"]
GUARDRAIL_ACTIONS = [
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:PutKeyPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketPublicAccessBlock",
    "ec2:DeleteFlowLogs",
    "ec2:ModifyVpcEndpoint",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
]


@dataclass
class EnclaveBoundaryArgs:
    jurisdiction: Jurisdiction
    region: str
    account_id: str


# What the de-identification pipeline's service roles and the engineer's research need beyond data
# actions (components/test_data.py, test_data_guard.py), each for the named roles only.
_NETWORK_INTERFACES = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]
_READ_SECRET = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
# (Sid, the roles, what they may do). Shared lists are one statement: the boundary is a managed policy, capped
# at 6,144 characters. The pipeline's scheduler needs no statement of its own: InvokeEnclaveFunctions (below)
# lets it start the enclave's functions only.
PIPELINE_ACTIONS: tuple[tuple[str, tuple[str, ...], list[str]], ...] = (
    ("PipelineSecretsAndNetwork", (PIPELINE, KEY_ROTATION), [*_READ_SECRET, *_NETWORK_INTERFACES]),
    (
        "OnlyPseudonymRotation",
        (KEY_ROTATION,),
        ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
    ),
    # The research workgroup's actions, as the engineer's own policy grants them (components/test_data_guard.py).
    (
        "OnlyEngineer",
        (ENGINEER,),
        [*ATHENA_QUERY_ACTIONS, *GLUE_TABLE_ACTIONS, "s3:GetBucketLocation", "s3:AbortMultipartUpload"],
    ),
)


def _pipeline_statements(jurisdiction: Jurisdiction, account_id: str) -> list[Statement]:
    def principals(purposes: tuple[str, ...]) -> str | list[str]:
        arns = [role_arn(account_id, jurisdiction.id, p) for p in purposes]
        return arns[0] if len(arns) == 1 else arns

    return [
        {
            "Sid": sid,
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": principals(purposes)}},
        }
        for sid, purposes, actions in PIPELINE_ACTIONS
    ]


def auditor_only_actions() -> list[str]:
    """The live auditor's actions that ReadConfiguration does not already allow every role."""
    return [a for a in iam_actions() if not covers(READ_CONFIGURATION_ACTIONS, a)]


def boundary_statements(jurisdiction: Jurisdiction, account_id: str, home_region: str) -> list[Statement]:
    auditor = [role_arn(account_id, jurisdiction.id, p) for p in AUDITING_PURPOSES]
    continuous = role_arn(account_id, jurisdiction.id, CONTINUOUS_AUDITOR)
    return [
        *_pipeline_statements(jurisdiction, account_id),
        {
            "Sid": "DataActionsOnThisAccountOnly",
            "Effect": "Allow",
            "Action": DATA_ACTIONS,
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": account_id}},
        },
        {"Sid": "ReadConfiguration", "Effect": "Allow", "Action": READ_CONFIGURATION_ACTIONS, "Resource": "*"},
        {"Sid": "DeliverLogs", "Effect": "Allow", "Action": LOG_DELIVERY_ACTIONS, "Resource": "*"},
        # The live auditor's read-only calls (one source: the scanners' permission tables), for the auditor
        # role only: the other roles' boundary stays as narrow as before. Calls ReadConfiguration already
        # allows every role are not repeated (the boundary must fit IAM's 6,144 characters).
        {
            "Sid": "AuditorLiveResidencyAudit",
            "Effect": "Allow",
            "Action": auditor_only_actions(),
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": auditor}},
        },
        # The continuous audit reports what it found, in this account and its home regions only.
        {
            "Sid": "ContinuousAuditReports",
            "Effect": "Allow",
            "Action": ["config:PutEvaluations", "securityhub:BatchImportFindings"],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": continuous},
                # Config and Security Hub of the home region only: that is where the enclave's oversight lives.
                "StringEquals": {"aws:RequestedRegion": home_region},
            },
        },
        # EventBridge Scheduler's roles start the daily evidence run and the de-identification pipeline: the
        # enclave's own functions only.
        {
            "Sid": "InvokeEnclaveFunctions",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": f"arn:aws:lambda:*:{account_id}:function:enclave-{jurisdiction.id}-*",
        },
        {
            "Sid": "DenyOutsideJurisdiction",
            "Effect": "Deny",
            "NotAction": GLOBAL_SERVICE_ACTIONS,
            "Resource": "*",
            # Conditions are ANDed: every role but the auditing roles is denied outside the regions. They
            # must read every region to find strays outside the jurisdiction. Their identity policies grant only
            # reads there (this boundary is a cap, not a grant), so the exemption gives them only reads.
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": jurisdiction.sorted_regions()},
                "ArnNotEquals": {"aws:PrincipalArn": auditor},
            },
        },
        {"Sid": "DenyGuardrailChanges", "Effect": "Deny", "Action": GUARDRAIL_ACTIONS, "Resource": "*"},
        deny_jurisdiction_tag(JURISDICTION_TAG),
    ]


class EnclaveBoundary(pulumi.ComponentResource):
    policy: aws.iam.Policy

    def __init__(self, name: str, args: EnclaveBoundaryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveBoundary", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveBoundary {name}", self)
        self.policy = aws.iam.Policy(
            f"{name}-policy",
            # A fixed name: the deploy role may create roles only with this boundary (iam:PermissionsBoundary).
            name=boundary_policy_name(args.jurisdiction.id),
            description=f"Permissions boundary of every role in the {args.jurisdiction.id} enclave",
            policy=document(*boundary_statements(args.jurisdiction, args.account_id, args.region)),
            opts=guarded(self, retain=True),
        )
        # The boundary's ARN from its fixed name, known at preview (``policy.arn`` is not until it exists): every
        # role names it, and the pack judges the roles' boundary at preview. It keeps the dependency on the policy.
        self.arn = iam_arn(args.account_id, "policy", self.policy)
        self.register_outputs({"boundaryArn": self.policy.arn})
