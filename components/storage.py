"""Ring 1 (data storage): the user-record bucket and a separate de-identified test-data bucket.

Each is a ``SecureBucket`` under its own enclave key. Only the enclave's roles and the deploy role reach
either bucket; objects in the user-record bucket are reachable by the operator and break-glass roles and the
de-identification pipeline only (not the deploy role, not the auditor, not the engineer), and only through the
enclave's S3 gateway endpoint (``aws:SourceVpce``), except by break-glass (the reason is next to it). The
test-data bucket adds the engineer (reads only) and Macie's guard, and only the pipeline writes test data
there. Access to objects is recorded by the oversight ring's trail (S3 data events), which lands in the
object-locked audit bucket.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.guard import require_region_in_jurisdiction
from components.policy import Statement
from components.principals import BREAK_GLASS, ENGINEER, OPERATOR, PIPELINE, EnclavePrincipals
from components.secure_bucket import SecureBucket, SecureBucketArgs
from residency.data_tags import RECORDS, TEST_DATA
from residency.jurisdictions import Jurisdiction

RECORD_READERS = (OPERATOR, BREAK_GLASS, PIPELINE)
TEST_DATA_READERS = (OPERATOR, ENGINEER, BREAK_GLASS, PIPELINE)
# The research workgroup's enforced result location (components/test_data.py): the only place in the
# test-data bucket anyone but the pipeline writes, and only through Athena.
QUERY_RESULTS_PREFIX = "query-results/"
OBJECT_WRITE_ACTIONS = ["s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ReplicateObject"]


def only_pipeline_writes(bucket_arn: pulumi.Output[str], principals: EnclavePrincipals) -> list[Statement]:
    """Only the de-identification pipeline writes test data (not the operator, not break-glass); query
    results are written by the engineer, through Athena only, under QUERY_RESULTS_PREFIX."""
    results = pulumi.Output.concat(bucket_arn, "/", QUERY_RESULTS_PREFIX, "*")
    return [
        {
            "Sid": "OnlyThePipelineWritesTestData",
            "Effect": "Deny",
            "Principal": "*",
            "Action": OBJECT_WRITE_ACTIONS,
            "NotResource": results,
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": principals.role_arn(PIPELINE)}},
        },
        {
            "Sid": "QueryResultsOnlyByEngineers",
            "Effect": "Deny",
            "Principal": "*",
            "Action": OBJECT_WRITE_ACTIONS,
            "Resource": results,
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": principals.role_arn(ENGINEER)}},
        },
        {
            "Sid": "QueryResultsOnlyThroughAthena",
            "Effect": "Deny",
            "Principal": "*",
            "Action": OBJECT_WRITE_ACTIONS,
            "Resource": results,
            "Condition": {"ForAllValues:StringNotEquals": {"aws:CalledVia": ["athena.amazonaws.com"]}},
        },
    ]


# The one principal admitted to user records from outside the enclave's network, and why.
BREAK_GLASS_OUTSIDE_NETWORK = (
    "break-glass exists for when the enclave's own network or workloads are the problem; it is limited to "
    "named, tagged people with fresh MFA through the home region, and every use alarms"
)


@dataclass
class EnclaveStorageArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    records_key: aws.kms.Key
    testdata_key: aws.kms.Key
    # The network ring's S3 gateway endpoint: the only way to user-record objects.
    s3_endpoint_id: pulumi.Input[str]


class EnclaveStorage(pulumi.ComponentResource):
    records_bucket: aws.s3.Bucket
    testdata_bucket: aws.s3.Bucket

    def __init__(self, name: str, args: EnclaveStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveStorage", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveStorage {name}", self)
        p = args.principals
        records = SecureBucket(
            f"{name}-records",
            SecureBucketArgs(
                kms_key_arn=args.records_key.arn,
                enclave_principal_arns=p.all_arns,
                data_reader_arns=p.role_arns(*RECORD_READERS),
                data_kind=RECORDS,
                network_endpoint_ids=[args.s3_endpoint_id],
                outside_network_exemptions={p.role_arn(BREAK_GLASS): BREAK_GLASS_OUTSIDE_NETWORK},
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        testdata = SecureBucket(
            f"{name}-testdata",
            SecureBucketArgs(
                kms_key_arn=args.testdata_key.arn,
                # Macie's classification job (components/test_data_guard.py) reads objects to find personal data.
                enclave_principal_arns=[*p.all_arns, p.macie_role_arn],
                data_reader_arns=[*p.role_arns(*TEST_DATA_READERS), p.macie_role_arn],
                extra_statements=lambda arn: only_pipeline_writes(arn, p),
                data_kind=TEST_DATA,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.records_bucket, self.testdata_bucket = records.bucket, testdata.bucket
        self.register_outputs(
            {
                "recordsBucketName": self.records_bucket.bucket,
                "recordsBucketArn": self.records_bucket.arn,
                "testdataBucketName": self.testdata_bucket.bucket,
                "testdataBucketArn": self.testdata_bucket.arn,
            }
        )
