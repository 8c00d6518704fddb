"""Ring 1 (data storage): customer-managed KMS keys held in the enclave's home region.

Three keys, one per kind of data, so a grant on one never opens another: user records, de-identified
test data, and audit evidence (trail, flow logs, alarms). Every key rotates, is single-Region, waits 30
days before deletion and is protected. Only the deploy role administers a key; only named enclave roles
use it, and only through S3; AWS services get exactly the use they need, scoped to this account.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.guard import guarded, require_region_in_jurisdiction
from components.policy import Statement, document
from components.principals import (
    AUDITOR,
    BREAK_GLASS,
    CONTINUOUS_AUDITOR,
    ENGINEER,
    EXTERNAL_AUDITOR,
    KEY_ROTATION,
    OPERATOR,
    PIPELINE,
    EnclavePrincipals,
    alarm_rule_arn_pattern,
    trail_arn,
)
from residency.jurisdictions import Jurisdiction

DELETION_WINDOW_DAYS = 30
RECORDS, TEST_DATA, AUDIT = "records", "testdata", "audit"
# Who may use each key (through S3 only). The engineer is absent from the records key on purpose. The
# de-identification pipeline reads records, writes test data and writes its reports (audit evidence).
KEY_USERS = {
    RECORDS: (OPERATOR, BREAK_GLASS, PIPELINE),
    TEST_DATA: (OPERATOR, ENGINEER, BREAK_GLASS, PIPELINE),
    # The continuous auditor encrypts the evidence it writes; the external auditor decrypts what it reads.
    AUDIT: (OPERATOR, AUDITOR, BREAK_GLASS, PIPELINE, CONTINUOUS_AUDITOR, EXTERNAL_AUDITOR),
}
# The pseudonymisation secret is encrypted under the records key: whoever could decrypt it could link
# test data back to records, so it gets the records key's protection (the engineer is denied that key).
SECRET_USERS = (PIPELINE, KEY_ROTATION)
# Administration without use: no kms:CreateGrant (a grant would hand out decryption quietly), no
# kms:Disable* (rotation and the key stay on), and no data action.
ADMIN_ACTIONS = [
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:Describe*",
    "kms:Get*",
    "kms:List*",
    "kms:Enable*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]
USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
]


@dataclass
class EnclaveKeysArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals


def deploy_role_administers_key(deploy_role_arn: pulumi.Input[str]) -> Statement:
    """Only the deploy role administers an enclave key, and administration is not use (``ADMIN_ACTIONS``)."""
    return {
        "Sid": "DeployRoleAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": deploy_role_arn},
        "Action": ADMIN_ACTIONS,
        "Resource": "*",
    }


def use_through_s3(sid: str, principals: EnclavePrincipals, region: str, principal_arns: list[str]) -> Statement:
    """``principal_arns`` of the enclave account use the key, only through S3 in the home region."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": principals.account_root},
        "Action": USE_ACTIONS,
        "Resource": "*",
        "Condition": {
            "ArnEquals": {"aws:PrincipalArn": principal_arns},
            "StringEquals": {
                "kms:ViaService": f"s3.{region}.amazonaws.com",
                "kms:CallerAccount": principals.account_id,
            },
        },
    }


def enclave_key(
    logical_name: str, description: pulumi.Input[str], policy: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> aws.kms.Key:
    """A customer-managed key as every enclave key is: rotating, single-Region, ``DELETION_WINDOW_DAYS`` before
    deletion, protected and retained (losing a key loses its data)."""
    return aws.kms.Key(
        logical_name,
        description=description,
        enable_key_rotation=True,
        multi_region=False,
        deletion_window_in_days=DELETION_WINDOW_DAYS,
        policy=policy,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True, retain_on_delete=True)),
    )


def key_policy_statements(purpose: str, region: str, principals: EnclavePrincipals) -> list[Statement]:
    """The key policy for ``purpose`` as data: administration, use by enclave roles, and service use."""
    account = principals.account_id
    statements: list[Statement] = [
        deploy_role_administers_key(principals.deploy_role_arn),
        use_through_s3("EnclaveRolesUseKeyThroughS3", principals, region, principals.role_arns(*KEY_USERS[purpose])),
    ]
    if purpose == RECORDS:
        statements.append(
            {
                "Sid": "PipelineUsesPseudonymSecret",
                "Effect": "Allow",
                "Principal": {"AWS": principals.account_root},
                "Action": USE_ACTIONS,
                "Resource": "*",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": principals.role_arns(*SECRET_USERS)},
                    "StringEquals": {
                        "kms:ViaService": f"secretsmanager.{region}.amazonaws.com",
                        "kms:CallerAccount": account,
                    },
                },
            }
        )
        # No path around the bucket: the records key decrypts only for S3 (whose records bucket serves objects
        # only through the enclave's S3 endpoint, aws:SourceVpce) and for the pseudonym secret in Secrets
        # Manager, both in the home region.
        statements.append(
            {
                "Sid": "DenyUseExceptThroughS3OrSecretsManager",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {
                        "kms:ViaService": [f"s3.{region}.amazonaws.com", f"secretsmanager.{region}.amazonaws.com"]
                    }
                },
            }
        )
    if purpose == TEST_DATA:
        statements.append(
            {
                # Macie's classification job decrypts test data to look for personal data in it.
                "Sid": "MacieReadsTestData",
                "Effect": "Allow",
                # Named in a condition, not as the principal: the role exists only once Macie is enabled,
                # and a key policy naming a missing principal is rejected.
                "Principal": {"AWS": principals.account_root},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": principals.macie_role_arn},
                    "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com", "kms:CallerAccount": account},
                },
            }
        )
    if purpose == AUDIT:
        statements += _audit_service_statements(region, principals)
    return statements


def _audit_service_statements(region: str, principals: EnclavePrincipals) -> list[Statement]:
    account = principals.account_id
    trail = trail_arn(region, account, principals.jurisdiction_id)
    return [
        {
            "Sid": "CloudTrailEncryptsEnclaveTrail",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail, "aws:SourceAccount": account},
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{account}:trail/*"},
            },
        },
        {
            # DescribeKey carries no encryption context, so it cannot share the statement above.
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail, "aws:SourceAccount": account}},
        },
        {
            # CloudWatch Logs names its caller through the encryption context, not aws:SourceArn: the context
            # pins the log groups to this account and region (AWS's documented condition for Logs).
            "Sid": "CloudWatchLogsInHomeRegion",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": USE_ACTIONS,
            "Resource": "*",
            "Condition": {
                "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account}:log-group:*"}
            },
        },
        {
            # EventBridge publishes alarms to the KMS-encrypted SNS topic: only for this account's enclave alarm
            # rules (the confused-deputy conditions AWS recommends), so no other account's rule can make
            # EventBridge use the key.
            "Sid": "EventBridgePublishesAlarms",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": alarm_rule_arn_pattern(region, account, principals.jurisdiction_id)},
            },
        },
    ]


class EnclaveKeys(pulumi.ComponentResource):
    records_key: aws.kms.Key
    testdata_key: aws.kms.Key
    audit_key: aws.kms.Key

    def __init__(self, name: str, args: EnclaveKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveKeys", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveKeys {name}", self)
        jid = args.jurisdiction.id
        keys: dict[str, aws.kms.Key] = {}
        for purpose in (RECORDS, TEST_DATA, AUDIT):
            keys[purpose] = enclave_key(
                f"{name}-{purpose}",
                f"Enclave {jid}: {purpose} key (home region {args.region})",
                document(*key_policy_statements(purpose, args.region, args.principals)),
                pulumi.ResourceOptions(parent=self),
            )
            aws.kms.Alias(
                f"{name}-{purpose}-alias",
                name=f"alias/enclave-{jid}-{purpose}",
                target_key_id=keys[purpose].key_id,
                # The deploy role's boundary finds the enclave keys by alias (kms:ResourceAliases).
                opts=guarded(self),
            )
        self.records_key, self.testdata_key, self.audit_key = keys[RECORDS], keys[TEST_DATA], keys[AUDIT]
        self.register_outputs(
            {
                "recordsKeyArn": self.records_key.arn,
                "testdataKeyArn": self.testdata_key.arn,
                "auditKeyArn": self.audit_key.arn,
            }
        )
