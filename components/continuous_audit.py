"""Ring 5, continuously: AWS Config judges every change with the core's rules, a daily schedule writes the full
audit's evidence into object-locked storage, and Security Hub receives the findings, all in the home region.

- One Lambda code package, built by Pulumi from this repository (components/lambda_code.py ``AUDIT_CODE``):
  the same core the pack and the CLI run, no second copy; Jinja2 for the HTML evidence comes in the layer of
  uv.lock's ``lambda`` group (scripts/build_lambda_layer.sh), boto3 is the Lambda runtime's own.
- AWS Config: a recorder for every supported resource type (global ones included), delivering to its own object-locked bucket
  under its own rotating key; one custom rule per rule family (adapters/aws_live/config_families.py),
  triggered by configuration changes of the family's resource types.
- EventBridge Scheduler runs the evidence function daily (``rate(1 day)``); Security Hub is enabled and the
  function imports ASFF findings into the account's default product.
- The function role is ``enclave-<jurisdiction>-continuous-auditor``: under the permissions boundary,
  read-only on configuration, writes only evidence, denied every user-data object and key. Logs are encrypted
  with the audit key and retained.
- The Lambda environment holds no secret and uses the AWS-managed key: a customer key would need a KMS grant,
  which the deploy role may not create (components/keys.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from adapters.aws_live import iam_actions
from adapters.aws_live.config_families import FAMILIES
from components.boundary import READ_CONFIGURATION_ACTIONS
from components.guard import guarded, require_region_in_jurisdiction
from components.keys import deploy_role_administers_key, enclave_key, use_through_s3
from components.lambda_code import AUDIT_CODE, RUNTIME, code_archive, layer_archive
from components.policy import OBJECT_DATA_ACTIONS, Statement, document, role_policies, service_delivery_statements
from components.principals import (
    AUDITOR,
    BREAK_GLASS,
    CONTINUOUS_AUDITOR,
    EXTERNAL_AUDITOR,
    OPERATOR,
    EnclavePrincipals,
)
from components.secure_bucket import SecureBucket, SecureBucketArgs
from components.service_roles import function_log_group_name, log_group, service_role
from residency.jurisdictions import Jurisdiction

DEFAULT_SCHEDULE = "rate(1 day)"
CONFIG_SERVICE = "config.amazonaws.com"
# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_CHOICES = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
# kind -> (handler, timeout s, memory MB, reserved concurrency: a burst of changes cannot starve the account)
HANDLERS = {
    "config-rules": ("enclave.continuous.lambda_entry.config_rule_handler", 300, 512, 5),
    "evidence": ("enclave.continuous.lambda_entry.scheduled_audit_handler", 900, 1024, 1),
}
# Readers of Config's history and of the evidence (through S3, under the key policy's ViaService condition).
HISTORY_READERS = (OPERATOR, AUDITOR, BREAK_GLASS, EXTERNAL_AUDITOR)


def log_retention(days: int) -> int:
    """The shortest retention CloudWatch Logs offers that keeps logs at least ``days``."""
    return next((d for d in LOG_RETENTION_CHOICES if d >= days), LOG_RETENTION_CHOICES[-1])


def config_service_role_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:role/aws-service-role/{CONFIG_SERVICE}/AWSServiceRoleForConfig"


def function_name(jurisdiction_id: str, kind: str) -> str:
    return f"enclave-{jurisdiction_id}-{kind}"


@dataclass
class EnclaveContinuousAuditArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    permissions_boundary_arn: pulumi.Input[str]
    audit_key_arn: pulumi.Input[str]
    audit_bucket_name: pulumi.Input[str]
    audit_bucket_arn: pulumi.Input[str]
    user_data_bucket_arns: list[pulumi.Input[str]]
    user_data_key_arns: list[pulumi.Input[str]]
    retention_days: int
    schedule_expression: str = DEFAULT_SCHEDULE


def _bucket(arn: pulumi.Input[str]) -> list[pulumi.Input[str]]:
    return [arn, pulumi.Output.concat(arn, "/*")]


# Statements on KMS keys, whose ARNs are unknown until the keys exist (components.policy.role_policies).
KEY_SIDS = frozenset({"EncryptEvidence", "DenyUserDataKeys"})


def function_statements(a: EnclaveContinuousAuditArgs) -> list[Statement]:
    """The continuous auditor: the live audit's reads, its evaluations and findings, evidence writes only."""
    region, account = a.region, a.principals.account_id
    return [
        {"Sid": "ReadConfiguration", "Effect": "Allow", "Action": READ_CONFIGURATION_ACTIONS, "Resource": "*"},
        {"Sid": "LiveResidencyAudit", "Effect": "Allow", "Action": iam_actions(), "Resource": "*"},
        {
            # The role reads every region (strays), but reports only in the enclave's own region.
            "Sid": "ReportToConfig",
            "Effect": "Allow",
            "Action": ["config:PutEvaluations"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": region}},
        },
        {
            "Sid": "ImportFindings",
            "Effect": "Allow",
            "Action": ["securityhub:BatchImportFindings"],
            "Resource": f"arn:aws:securityhub:{region}:{account}:product/{account}/default",
        },
        {
            "Sid": "WriteEvidence",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": pulumi.Output.concat(a.audit_bucket_arn, f"/evidence/{a.jurisdiction.id}/*"),
        },
        {"Sid": "EncryptEvidence", "Effect": "Allow", "Action": ["kms:GenerateDataKey"], "Resource": a.audit_key_arn},
        {
            # Without it the functions run but leave no log: an auditor whose own runs leave no trace.
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [
                f"arn:aws:logs:{region}:{account}:log-group:{function_log_group_name(function_name(a.jurisdiction.id, kind))}:*"
                for kind in HANDLERS
            ],
        },
        {
            "Sid": "DenyUserDataObjects",
            "Effect": "Deny",
            "Action": OBJECT_DATA_ACTIONS,
            "Resource": [r for arn in a.user_data_bucket_arns for r in _bucket(arn)],
        },
        {
            "Sid": "DenyUserDataKeys",
            "Effect": "Deny",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": a.user_data_key_arns,
        },
    ]


def history_key_statements(principals: EnclavePrincipals, region: str) -> list[Statement]:
    """Config's history key: the deploy role administers it; Config and the readers use it through S3 only."""
    account = principals.account_id
    readers = [*principals.role_arns(*HISTORY_READERS), config_service_role_arn(account)]
    return [
        deploy_role_administers_key(principals.deploy_role_arn),
        use_through_s3("ConfigAndReadersUseKeyThroughS3", principals, region, readers),
        {
            "Sid": "ConfigServiceEncryptsHistory",
            "Effect": "Allow",
            "Principal": {"Service": CONFIG_SERVICE},
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        },
    ]


def config_delivery_statements(bucket_arn: pulumi.Output[str], account: str) -> list[Statement]:
    """AWS Config's documented delivery permissions, for this account's recorder only."""
    return service_delivery_statements(
        CONFIG_SERVICE,
        "Config",
        bucket_arn,
        ["s3:GetBucketAcl", "s3:ListBucket"],
        pulumi.Output.concat(bucket_arn, f"/config/AWSLogs/{account}/Config/*"),
        {"aws:SourceAccount": account},
    )


class EnclaveContinuousAudit(pulumi.ComponentResource):
    role: aws.iam.Role
    functions: dict[str, aws.lambda_.Function]
    rules: dict[str, aws.cfg.Rule]
    schedule: aws.scheduler.Schedule
    security_hub: aws.securityhub.Account
    history_bucket: aws.s3.Bucket
    history_key: aws.kms.Key

    def __init__(self, name: str, args: EnclaveContinuousAuditArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveContinuousAudit", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveContinuousAudit {name}", self)
        child = pulumi.ResourceOptions(parent=self)
        guard = guarded(self)  # residency/guards.py: switching these off weakens oversight
        p, jid, account = args.principals, args.jurisdiction.id, args.principals.account_id
        self.security_hub = aws.securityhub.Account(f"{name}-security-hub", enable_default_standards=False, opts=guard)
        self.role = service_role(
            self,
            f"{name}-role",
            name=p.role_name(CONTINUOUS_AUDITOR),
            description=f"Enclave {jid}: continuous audit (AWS Config rules and the daily evidence run)",
            service="lambda.amazonaws.com",
            account_id=account,
            permissions_boundary_arn=args.permissions_boundary_arn,
            max_session_duration=3600,
        )
        role_policies(f"{name}-role-policy", self.role.id, function_statements(args), KEY_SIDS, guard)
        # The evidence page needs Jinja2, which the Lambda runtime lacks: the layer of uv.lock's lambda group.
        self.layer = aws.lambda_.LayerVersion(
            f"{name}-layer",
            layer_name=f"enclave-{jid}-audit-deps",
            description="Jinja2 and the rest of uv.lock's lambda group (scripts/build_lambda_layer.sh)",
            code=layer_archive(),
            compatible_runtimes=[RUNTIME],
            opts=child,
        )
        self.functions = {kind: self._function(name, kind, args) for kind in HANDLERS}
        self._config(name, args)
        self._schedule(name, args)
        self.register_outputs(
            {
                "continuousAuditorRoleArn": self.role.arn,
                "configRuleNames": [r.name for r in self.rules.values()],
                "evidenceScheduleArn": self.schedule.arn,
                "configHistoryBucketName": self.history_bucket.bucket,
            }
        )

    def _function(self, name: str, kind: str, args: EnclaveContinuousAuditArgs) -> aws.lambda_.Function:
        handler, timeout, memory, concurrency = HANDLERS[kind]
        fname = function_name(args.jurisdiction.id, kind)
        logs = log_group(
            self,
            f"{name}-{kind}-logs",
            name=function_log_group_name(fname),
            key_arn=args.audit_key_arn,
            retention_days=log_retention(args.retention_days),
        )
        environment = {
            "ENCLAVE_JURISDICTION": args.jurisdiction.id,
            "ENCLAVE_REGION": args.region,
            "ENCLAVE_SECURITY_HUB": "true",
        }
        if kind == "evidence":
            environment |= {"ENCLAVE_AUDIT_BUCKET": args.audit_bucket_name, "ENCLAVE_AUDIT_KEY_ARN": args.audit_key_arn}  # type: ignore[dict-item]
        return aws.lambda_.Function(
            f"{name}-{kind}",
            name=fname,
            description=f"Enclave {args.jurisdiction.id}: {kind} (the residency auditor's code)",
            runtime=RUNTIME,
            handler=handler,
            code=code_archive(AUDIT_CODE),
            layers=[self.layer.arn],
            role=self.role.arn,
            timeout=timeout,
            memory_size=memory,
            reserved_concurrent_executions=concurrency,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=environment),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="Text", log_group=logs.name),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[logs]),
        )

    def _config(self, name: str, args: EnclaveContinuousAuditArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        p, account = args.principals, args.principals.account_id
        key = self.history_key = enclave_key(
            f"{name}-config-history",
            f"Enclave {args.jurisdiction.id}: AWS Config history key (home region {args.region})",
            document(*history_key_statements(p, args.region)),
            child,
        )
        history = SecureBucket(
            f"{name}-config-history",
            SecureBucketArgs(
                kms_key_arn=key.arn,
                enclave_principal_arns=[*p.all_arns, config_service_role_arn(account)],
                data_reader_arns=[*p.role_arns(*HISTORY_READERS), config_service_role_arn(account)],
                allowed_services=[CONFIG_SERVICE],
                extra_statements=lambda arn: config_delivery_statements(arn, account),
                object_lock_days=args.retention_days,
            ),
            opts=child,
        )
        self.history_bucket = history.bucket
        service_role = aws.iam.ServiceLinkedRole(
            f"{name}-config-service-role", aws_service_name=CONFIG_SERVICE, opts=guarded(self)
        )
        recorder = aws.cfg.Recorder(
            f"{name}-recorder",
            name=f"enclave-{args.jurisdiction.id}",
            role_arn=service_role.arn,
            # Everything, global types (IAM) included: the auditors' evidence is the whole account, and the
            # history stays in the home region.
            recording_group=aws.cfg.RecorderRecordingGroupArgs(all_supported=True, include_global_resource_types=True),
            opts=guarded(self),
        )
        channel = aws.cfg.DeliveryChannel(
            f"{name}-delivery",
            name=f"enclave-{args.jurisdiction.id}",
            s3_bucket_name=history.bucket.bucket,
            s3_key_prefix="config",
            s3_kms_key_arn=key.arn,
            snapshot_delivery_properties=aws.cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs(
                delivery_frequency="TwentyFour_Hours"
            ),
            opts=guarded(self, depends_on=[recorder, history.policy]),
        )
        status = aws.cfg.RecorderStatus(
            f"{name}-recorder-status",
            name=recorder.name,
            is_enabled=True,
            opts=guarded(self, depends_on=[channel]),
        )
        function = self.functions["config-rules"]
        permission = aws.lambda_.Permission(
            f"{name}-config-invokes",
            action="lambda:InvokeFunction",
            function=function.name,
            principal=CONFIG_SERVICE,
            source_account=account,
            opts=child,
        )
        self.rules = {}
        for family in FAMILIES:
            self.rules[family.name] = aws.cfg.Rule(
                f"{name}-{family.name}",
                name=f"enclave-{args.jurisdiction.id}-{family.name}",
                description=family.description,
                input_parameters=json.dumps({"family": family.name}),
                scope=aws.cfg.RuleScopeArgs(compliance_resource_types=list(family.resource_types)),
                source=aws.cfg.RuleSourceArgs(
                    owner="CUSTOM_LAMBDA",
                    source_identifier=function.arn,
                    source_details=[
                        aws.cfg.RuleSourceSourceDetailArgs(event_source="aws.config", message_type=kind)
                        for kind in (
                            "ConfigurationItemChangeNotification",
                            "OversizedConfigurationItemChangeNotification",
                        )
                    ],
                ),
                opts=guarded(self, depends_on=[status, permission]),
            )

    def _schedule(self, name: str, args: EnclaveContinuousAuditArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        function = self.functions["evidence"]
        role = service_role(
            self,
            f"{name}-scheduler-role",
            name=f"enclave-{args.jurisdiction.id}-evidence-scheduler",
            description=f"Enclave {args.jurisdiction.id}: EventBridge Scheduler invokes the daily evidence run",
            service="scheduler.amazonaws.com",
            account_id=args.principals.account_id,
            permissions_boundary_arn=args.permissions_boundary_arn,
            max_session_duration=3600,
        )
        aws.iam.RolePolicy(
            f"{name}-scheduler-policy",
            role=role.id,
            policy=document(
                {
                    "Sid": "InvokeEvidenceRun",
                    "Effect": "Allow",
                    "Action": "lambda:InvokeFunction",
                    "Resource": function.arn,
                }
            ),
            opts=guarded(self),
        )
        self.schedule = aws.scheduler.Schedule(
            f"{name}-daily-evidence",
            name=f"enclave-{args.jurisdiction.id}-daily-evidence",
            description=f"Enclave {args.jurisdiction.id}: the full residency audit, evidence into the audit bucket",
            schedule_expression=args.schedule_expression,
            schedule_expression_timezone="UTC",
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=function.arn,
                role_arn=role.arn,
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(maximum_retry_attempts=2),
            ),
            state="ENABLED",
            opts=child,
        )
