"""The test-data bucket's guard and the engineers' research interface.

- Guard: an Amazon Macie classification job scans the test-data bucket daily for personal data; a Macie
  finding raises the enclave's alarm (the ``sensitive-data-found`` EventBridge rule in components/access.py,
  which targets the existing alarm topic). Writers are limited by the bucket policy (components/storage.py):
  the pipeline only, and query results only by the engineer through Athena.
- Research: an Athena workgroup whose configuration is enforced (users cannot override it): results only
  under ``query-results/`` in the test-data bucket, encrypted with the test-data key, at most
  ``SCAN_LIMIT_BYTES`` scanned per query. A Glue database names the test data's tables. The engineer may
  use that workgroup and that database only; it stays explicitly denied the records bucket and its key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.guard import guarded, require_region_in_jurisdiction
from components.policy import Statement, bucket_arn, document, named_arn
from components.storage import QUERY_RESULTS_PREFIX
from residency.jurisdictions import Jurisdiction

SCAN_LIMIT_BYTES = 10 * 1024**3  # 10 GiB per query
ATHENA_QUERY_ACTIONS = [
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:GetQueryResultsStream",
    "athena:ListQueryExecutions",
    "athena:GetWorkGroup",
    "athena:BatchGetQueryExecution",
]
GLUE_TABLE_ACTIONS = [
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
]


@dataclass
class TestDataGuardArgs:
    jurisdiction: Jurisdiction
    region: str
    account_id: str
    testdata_bucket: aws.s3.Bucket
    testdata_key_arn: pulumi.Input[str]
    engineer_role: aws.iam.Role


def engineer_research_statements(
    region: str, account_id: str, workgroup_arn: pulumi.Input[str], database: str, bucket_arn: pulumi.Input[str]
) -> list[Statement]:
    glue = f"arn:aws:glue:{region}:{account_id}"
    return [
        {
            "Sid": "QueryThroughResearchWorkgroup",
            "Effect": "Allow",
            "Action": ATHENA_QUERY_ACTIONS,
            "Resource": workgroup_arn,
        },
        {
            "Sid": "TestDataTables",
            "Effect": "Allow",
            "Action": GLUE_TABLE_ACTIONS,
            "Resource": [f"{glue}:catalog", f"{glue}:database/{database}", f"{glue}:table/{database}/*"],
        },
        {
            # Athena writes results with the caller's credentials; the bucket policy admits these writes
            # only under the results prefix and only through Athena.
            "Sid": "WriteQueryResultsThroughAthena",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetBucketLocation", "s3:AbortMultipartUpload"],
            "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/", QUERY_RESULTS_PREFIX, "*")],
            "Condition": {"ForAnyValue:StringEquals": {"aws:CalledVia": ["athena.amazonaws.com"]}},
        },
    ]


class TestDataGuard(pulumi.ComponentResource):
    macie_job: aws.macie2.ClassificationJob
    workgroup: aws.athena.Workgroup

    def __init__(self, name: str, args: TestDataGuardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:TestDataGuard", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"TestDataGuard {name}", self)
        child = pulumi.ResourceOptions(parent=self)
        jid = args.jurisdiction.id
        macie = aws.macie2.Account(
            f"{name}-macie", finding_publishing_frequency="FIFTEEN_MINUTES", status="ENABLED", opts=guarded(self)
        )
        self.macie_job = aws.macie2.ClassificationJob(
            f"{name}-macie-job",
            name=f"enclave-{jid}-testdata-scan",
            description="Looks for personal data in the de-identified test data; a finding raises the enclave alarm",
            job_type="SCHEDULED",
            schedule_frequency=aws.macie2.ClassificationJobScheduleFrequencyArgs(daily_schedule=True),
            initial_run=True,
            s3_job_definition=aws.macie2.ClassificationJobS3JobDefinitionArgs(
                bucket_definitions=[
                    aws.macie2.ClassificationJobS3JobDefinitionBucketDefinitionArgs(
                        account_id=args.account_id, buckets=[args.testdata_bucket.bucket]
                    )
                ]
            ),
            opts=guarded(self, depends_on=[macie]),
        )
        database = f"enclave_{jid.replace('-', '_')}_testdata"
        aws.glue.CatalogDatabase(
            f"{name}-database",
            name=database,
            description="Tables over the de-identified test data",
            location_uri=pulumi.Output.concat("s3://", args.testdata_bucket.bucket, "/"),
            opts=child,
        )
        self.workgroup = aws.athena.Workgroup(
            f"{name}-workgroup",
            name=f"enclave-{jid}-research",
            description="Engineers' queries over de-identified test data",
            state="ENABLED",
            force_destroy=False,
            configuration=aws.athena.WorkgroupConfigurationArgs(
                enforce_workgroup_configuration=True,
                publish_cloudwatch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=SCAN_LIMIT_BYTES,
                result_configuration=aws.athena.WorkgroupConfigurationResultConfigurationArgs(
                    output_location=pulumi.Output.concat(
                        "s3://", args.testdata_bucket.bucket, "/", QUERY_RESULTS_PREFIX
                    ),
                    expected_bucket_owner=args.account_id,
                    encryption_configuration=aws.athena.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs(
                        encryption_option="SSE_KMS", kms_key_arn=args.testdata_key_arn
                    ),
                ),
            ),
            opts=guarded(self),
        )
        aws.iam.RolePolicy(
            f"{name}-engineer-research",
            role=args.engineer_role.id,
            policy=document(
                *engineer_research_statements(
                    args.region,
                    args.account_id,
                    named_arn("athena", args.region, args.account_id, "workgroup/", self.workgroup.name),
                    database,
                    bucket_arn(args.testdata_bucket),
                )
            ),
            opts=guarded(self),
        )
        self.register_outputs({"workgroupName": self.workgroup.name, "macieJobId": self.macie_job.job_id})
