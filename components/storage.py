"""Ring 1 (data storage): the user-record bucket and a separate de-identified test-data bucket.

Each is a ``SecureBucket`` under its own enclave key. Only the enclave's roles and the deploy role reach
either bucket; objects in the user-record bucket are reachable by the operator and break-glass roles and the
de-identification pipeline only (not the deploy role, not the auditor, not the engineer), and only through the
records access point (``s3:DataAccessPointArn``), whose VPC network origin makes S3 reject every request to it
from outside the enclave's VPC, except by break-glass (the reason is next to it). The access point's ARN is
built from its fixed name, so the bucket policy is known at the first preview (a gateway endpoint's id, which
``aws:SourceVpce`` would need, exists only once the endpoint does). The
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
from components.principals import (
    BREAK_GLASS,
    ENGINEER,
    OPERATOR,
    PIPELINE,
    EnclavePrincipals,
    records_access_point_name,
)
from components.secure_bucket import SecureBucket, SecureBucketArgs, VpcAccessPoint
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
    # The enclave's VPC: the records access point's network origin, the only way to user-record objects.
    vpc_id: pulumi.Input[str]


class EnclaveStorage(pulumi.ComponentResource):
    records_bucket: aws.s3.Bucket
    testdata_bucket: aws.s3.Bucket
    # ``arn:aws:s3:<region>:<account>:accesspoint/enclave-<jid>-records``: where the record readers' grants go.
    records_access_point_arn: pulumi.Output[str]

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
                network_access_point=VpcAccessPoint(
                    records_access_point_name(args.jurisdiction.id), args.vpc_id, args.region, p.account_id
                ),
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
        assert records.access_point_arn is not None  # a network access point was asked for
        self.records_access_point_arn = records.access_point_arn
        self.register_outputs(
            {
                "recordsBucketName": self.records_bucket.bucket,
                "recordsBucketArn": self.records_bucket.arn,
                "recordsAccessPointArn": self.records_access_point_arn,
                "testdataBucketName": self.testdata_bucket.bucket,
                "testdataBucketArn": self.testdata_bucket.arn,
            }
        )
