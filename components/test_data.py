"""Ring 3 (engineers test on de-identified data): the pipeline that makes the test data, inside the enclave.

- The pseudonymisation key: a Secrets Manager secret under the enclave's records key, never replicated,
  rotated every ``ROTATION_DAYS`` by a function that makes the key inside the enclave (the key value never
  appears in Pulumi state). Protected: losing it would unlink all existing test data.
- The pipeline: a Lambda function in the enclave's private subnets (no internet route: the network has
  none; its security group reaches only HTTPS inside the VPC and the S3 gateway endpoint) running the
  code of ``enclave deidentify`` (components/lambda_code.py) on a schedule (EventBridge Scheduler). It
  reads records, writes test data (the only writer the test-data bucket admits) and writes its report
  to the audit bucket. Every role is under the enclave's permissions boundary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.guard import guarded, require_region_in_jurisdiction
from components.lambda_code import RUNTIME, code_archive, datasets, layer_archive
from components.policy import Statement, access_point_resources, bucket_arn, document, named_arn, role_policies
from components.principals import KEY_ROTATION, PIPELINE, PIPELINE_SCHEDULER, EnclavePrincipals
from components.service_roles import function_log_group_name, log_group, service_role
from residency.jurisdictions import Jurisdiction

ROTATION_DAYS = 90
SCHEDULE = "rate(1 day)"
LOG_RETENTION_DAYS = 365
PIPELINE_TIMEOUT_SECONDS = 900
PIPELINE_MEMORY_MB = 3008
NETWORK_INTERFACE_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]
SECRET_READ = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
SECRET_ROTATE = [*SECRET_READ, "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
# Tags the policy pack recognises the pipeline's parts by (residency/rules/test_data.py).
PART_TAG = "enclave-part"


@dataclass
class TestDataPipelineArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    permissions_boundary_arn: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    vpc_cidr: str
    subnet_ids: Sequence[pulumi.Input[str]]
    s3_prefix_list_id: pulumi.Input[str]
    records_bucket: aws.s3.Bucket
    # The records bucket's access point (VPC origin): the pipeline reads records through it only.
    records_access_point_arn: pulumi.Input[str]
    testdata_bucket: aws.s3.Bucket
    audit_bucket: aws.s3.Bucket
    records_key_arn: pulumi.Input[str]
    audit_key_arn: pulumi.Input[str]


def _bucket(arn: pulumi.Input[str], objects: str = "*") -> list[pulumi.Input[str]]:
    return [arn, pulumi.Output.concat(arn, "/", objects)]


# The statement on the pseudonymisation secret, whose ARN (a random suffix) is unknown until it exists: in the
# pipeline role's second inline policy (components.policy.role_policies), so its S3 grants are known at preview.
SECRET_SIDS = frozenset({"ReadPseudonymKey"})


def pipeline_statements(
    a: TestDataPipelineArgs, secret_arn: pulumi.Input[str], logs_arn: pulumi.Input[str]
) -> list[Statement]:
    """Read records, write test data and reports, read the key; nothing else (the boundary caps it too)."""
    return [
        {
            "Sid": "ReadRecords",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            # Through the access point: IAM authorises the request against the access point's resources, the
            # bucket policy against the bucket's (components/storage.py), so both are named.
            "Resource": [*_bucket(bucket_arn(a.records_bucket)), *access_point_resources(a.records_access_point_arn)],
        },
        {
            "Sid": "WriteTestData",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": pulumi.Output.concat(bucket_arn(a.testdata_bucket), "/*"),
        },
        {
            "Sid": "WriteRunReports",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": pulumi.Output.concat(bucket_arn(a.audit_bucket), "/deidentify-reports/*"),
        },
        {"Sid": "ReadPseudonymKey", "Effect": "Allow", "Action": SECRET_READ, "Resource": secret_arn},
        {"Sid": "RunInPrivateSubnets", "Effect": "Allow", "Action": NETWORK_INTERFACE_ACTIONS, "Resource": "*"},
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": pulumi.Output.concat(logs_arn, ":*"),
        },
    ]


class TestDataPipeline(pulumi.ComponentResource):
    secret: aws.secretsmanager.Secret
    function: aws.lambda_.Function
    rotation_function: aws.lambda_.Function
    role: aws.iam.Role
    schedule: aws.scheduler.Schedule

    def __init__(self, name: str, args: TestDataPipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:TestDataPipeline", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"TestDataPipeline {name}", self)
        child = pulumi.ResourceOptions(parent=self)
        jid = args.jurisdiction.id
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description="De-identification functions: HTTPS to VPC endpoints only, no inbound",
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[args.vpc_cidr],
                    description="Interface endpoints",
                ),
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    prefix_list_ids=[args.s3_prefix_list_id],
                    description="S3 gateway endpoint",
                ),
            ],
            opts=guarded(self),
        )
        self.layer = aws.lambda_.LayerVersion(
            f"{name}-layer",
            layer_name=f"enclave-{jid}-deidentify-deps",
            description="Polars, pinned by uv.lock (scripts/build_lambda_layer.sh)",
            code=layer_archive(),
            compatible_runtimes=[RUNTIME],
            opts=child,
        )
        self.secret = aws.secretsmanager.Secret(
            f"{name}-pseudonym-key",
            name=f"enclave-{jid}-pseudonym-key",
            description=f"Enclave {jid}: HMAC key for test-data pseudonyms (made and rotated inside the enclave)",
            kms_key_id=args.records_key_arn,
            recovery_window_in_days=30,
            tags={PART_TAG: "pseudonym-key"},
            opts=guarded(self, retain=True),
        )
        self.role = self._role(name, PIPELINE, "lambda.amazonaws.com", args)
        self.function = self._function(
            name,
            "deidentify",
            self.role,
            args,
            "enclave_lambda.deidentify.handler",
            PIPELINE_TIMEOUT_SECONDS,
            PIPELINE_MEMORY_MB,
        )
        logs = self._logs["deidentify"]
        logs_arn = named_arn("logs", args.region, args.principals.account_id, "log-group:", logs.name)
        role_policies(
            f"{name}-deidentify-policy",
            self.role.id,
            pipeline_statements(args, self.secret.arn, logs_arn),
            SECRET_SIDS,
            guarded(self),
        )
        self._rotation(name, args)
        self._schedule(name, args)
        self.register_outputs({"functionArn": self.function.arn, "secretArn": self.secret.arn})

    def _role(self, name: str, purpose: str, service: str, args: TestDataPipelineArgs) -> aws.iam.Role:
        p = args.principals
        return service_role(
            self,
            f"{name}-{purpose}-role",
            name=p.role_name(purpose),
            description=f"Enclave {args.jurisdiction.id}: {purpose} (assumed by {service})",
            service=service,
            account_id=p.account_id,
            permissions_boundary_arn=args.permissions_boundary_arn,
        )

    def _function(
        self,
        name: str,
        part: str,
        role: aws.iam.Role,
        args: TestDataPipelineArgs,
        handler: str,
        timeout: int,
        memory: int,
    ) -> aws.lambda_.Function:
        jid = args.jurisdiction.id
        function_name = f"enclave-{jid}-{part}"
        if not hasattr(self, "_logs"):
            self._logs: dict[str, aws.cloudwatch.LogGroup] = {}
        self._logs[part] = log_group(
            self,
            f"{name}-{part}-logs",
            name=function_log_group_name(function_name),
            key_arn=args.audit_key_arn,
            retention_days=LOG_RETENTION_DAYS,
        )
        env: dict[str, pulumi.Input[str]] = {
            # Records are read through the access point (its ARN is what boto3 takes as ``Bucket``): the bucket
            # policy denies object requests that do not come through it.
            "RECORDS_ACCESS_POINT": args.records_access_point_arn,
            "TESTDATA_BUCKET": args.testdata_bucket.bucket,
            "AUDIT_BUCKET": args.audit_bucket.bucket,
            "DATASETS": ",".join(datasets()),
        }
        return aws.lambda_.Function(
            f"{name}-{part}",
            name=function_name,
            description=f"Enclave {jid}: {part} (code of `enclave deidentify`, packaged from the repository)",
            runtime=RUNTIME,
            handler=handler,
            role=role.arn,
            code=code_archive(),
            layers=[self.layer.arn],
            timeout=timeout,
            memory_size=memory,
            # One run at a time: k-anonymity is computed over the whole data set.
            reserved_concurrent_executions=1,
            vpc_config=aws.lambda_.FunctionVpcConfigArgs(
                subnet_ids=list(args.subnet_ids), security_group_ids=[self.security_group.id]
            ),
            environment=aws.lambda_.FunctionEnvironmentArgs(
                variables={**env, "SECRET_ARN": self.secret.arn}
                if part == "deidentify"
                else {"SECRET_ARN": self.secret.arn}
            ),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=self._logs[part].name),
            tags={PART_TAG: part, **CHECKOV_SKIPS},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self._logs[part]]),
        )

    def _rotation(self, name: str, args: TestDataPipelineArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        role = self._role(name, KEY_ROTATION, "lambda.amazonaws.com", args)
        self.rotation_function = self._function(
            name, "pseudonym-rotation", role, args, "enclave_lambda.rotation.handler", 60, 256
        )
        aws.iam.RolePolicy(
            f"{name}-rotation-policy",
            role=role.id,
            policy=document(
                {"Sid": "RotatePseudonymKey", "Effect": "Allow", "Action": SECRET_ROTATE, "Resource": self.secret.arn},
                {"Sid": "RunInPrivateSubnets", "Effect": "Allow", "Action": NETWORK_INTERFACE_ACTIONS, "Resource": "*"},
                {
                    "Sid": "WriteOwnLogs",
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": pulumi.Output.concat(self._logs["pseudonym-rotation"].arn, ":*"),
                },
            ),
            opts=guarded(self),
        )
        permission = aws.lambda_.Permission(
            f"{name}-rotation-invoke",
            action="lambda:InvokeFunction",
            function=self.rotation_function.name,
            principal="secretsmanager.amazonaws.com",
            source_arn=self.secret.arn,
            opts=child,
        )
        aws.secretsmanager.SecretRotation(
            f"{name}-rotation",
            secret_id=self.secret.id,
            rotation_lambda_arn=self.rotation_function.arn,
            rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=ROTATION_DAYS),
            # The first rotation makes the first key: no key value is ever written by Pulumi.
            rotate_immediately=True,
            opts=guarded(self, depends_on=[permission]),
        )

    def _schedule(self, name: str, args: TestDataPipelineArgs) -> None:
        role = self._role(name, PIPELINE_SCHEDULER, "scheduler.amazonaws.com", args)
        aws.iam.RolePolicy(
            f"{name}-scheduler-policy",
            role=role.id,
            policy=document(
                {
                    "Sid": "StartPipeline",
                    "Effect": "Allow",
                    "Action": "lambda:InvokeFunction",
                    "Resource": self.function.arn,
                }
            ),
            opts=guarded(self),
        )
        self.schedule = aws.scheduler.Schedule(
            f"{name}-schedule",
            name=f"enclave-{args.jurisdiction.id}-deidentify",
            description="Make de-identified test data from the records, daily",
            schedule_expression=SCHEDULE,
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            kms_key_arn=args.audit_key_arn,
            target=aws.scheduler.ScheduleTargetArgs(
                arn=self.function.arn, role_arn=role.arn, input=json.dumps({"source": "schedule"})
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )


# Checkov checks these functions meet another way; each reason is deployed with the function as a tag
# (AWS tag values allow letters, digits, spaces and + - = . _ : / @ only).
CHECKOV_SKIPS = {
    "checkov:skip:CKV_AWS_50": "No X-Ray: the enclave network has no route to X-Ray. Logs go to the KMS-encrypted log group",
    "checkov:skip:CKV_AWS_116": "Scheduled runs are retried by Lambda. Every run report lands in the audit bucket",
    "checkov:skip:CKV_AWS_173": "The environment holds bucket names and a secret ARN only: no secret values",
    "checkov:skip:CKV_AWS_272": "Code is packaged from the repository by the reviewed Pulumi program: no signing profile",
}
