"""Ring 5 (oversight and accountability): a home-region trail into an object-locked audit bucket.

The trail records management events and S3 data events for the user-record and test-data buckets (who
read or wrote which object, when), validates its log files (tampering is detectable) and encrypts them
under the enclave's audit key. It is multi-Region: AWS records IAM changes and calls to the global STS
endpoint in us-east-1 only, and a single-Region trail outside us-east-1 never sees them. A multi-Region
trail delivers the account's events of every region to the bucket in the home region: only event
metadata (who called which API, when, from where) flows in, never user data, and nothing flows out. The audit
bucket is a ``SecureBucket`` with object lock in COMPLIANCE mode: nobody, not even the account root,
can delete or overwrite evidence before the retention ends.

S3 server access logs are deliberately not used: S3 cannot deliver them to an Object Lock bucket or an
SSE-KMS bucket, so they would need a weaker bucket; the trail's S3 data events record the same accesses
with stronger guarantees (KMS, log validation, object lock).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.guard import guarded, require_region_in_jurisdiction
from components.policy import Statement, service_delivery_statements
from components.principals import (
    AUDITOR,
    BREAK_GLASS,
    CONTINUOUS_AUDITOR,
    EXTERNAL_AUDITOR,
    OPERATOR,
    PIPELINE,
    EnclavePrincipals,
    trail_arn,
    trail_name,
)
from components.secure_bucket import SecureBucket, SecureBucketArgs
from residency.jurisdictions import Jurisdiction

CLOUDTRAIL = "cloudtrail.amazonaws.com"
# Object access to audit evidence: the de-identification pipeline writes its run reports there, the
# continuous auditor writes the daily evidence, the external auditor reads it (components/continuous_audit.py).
EVIDENCE_READERS = (AUDITOR, OPERATOR, BREAK_GLASS, PIPELINE, CONTINUOUS_AUDITOR, EXTERNAL_AUDITOR)


@dataclass
class EnclaveOversightArgs:
    jurisdiction: Jurisdiction
    region: str
    principals: EnclavePrincipals
    audit_key: aws.kms.Key
    retention_days: int
    # Buckets whose object-level reads and writes the trail records.
    data_bucket_arns: list[pulumi.Input[str]]


def cloudtrail_delivery_statements(
    bucket_arn: pulumi.Input[str], region: str, principals: EnclavePrincipals
) -> list[Statement]:
    """CloudTrail may check the bucket ACL and write under AWSLogs/<account>/, for this enclave's trail only."""
    source = {
        "aws:SourceArn": trail_arn(region, principals.account_id, principals.jurisdiction_id),
        "aws:SourceAccount": principals.account_id,
    }
    objects = pulumi.Output.concat(bucket_arn, f"/AWSLogs/{principals.account_id}/*")
    return service_delivery_statements(CLOUDTRAIL, "CloudTrail", bucket_arn, "s3:GetBucketAcl", objects, source)


class EnclaveOversight(pulumi.ComponentResource):
    audit_bucket: aws.s3.Bucket
    trail: aws.cloudtrail.Trail

    def __init__(self, name: str, args: EnclaveOversightArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveOversight", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"EnclaveOversight {name}", self)
        p = args.principals
        audit = SecureBucket(
            f"{name}-audit-logs",
            SecureBucketArgs(
                kms_key_arn=args.audit_key.arn,
                enclave_principal_arns=p.all_arns,
                data_reader_arns=p.role_arns(*EVIDENCE_READERS),
                allowed_services=[CLOUDTRAIL],
                extra_statements=lambda arn: cloudtrail_delivery_statements(arn, args.region, p),
                object_lock_days=args.retention_days,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.audit_bucket = audit.bucket
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name(args.jurisdiction.id),
            s3_bucket_name=audit.bucket.id,
            kms_key_id=args.audit_key.arn,
            enable_logging=True,
            enable_log_file_validation=True,
            # Multi-Region: IAM, global STS and any call in another region (denied or not) reach the home
            # region's locked bucket. Only event metadata flows in; the trail and its bucket stay home.
            is_multi_region_trail=True,
            include_global_service_events=True,
            advanced_event_selectors=[
                aws.cloudtrail.TrailAdvancedEventSelectorArgs(
                    name="Management events",
                    field_selectors=[
                        aws.cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs(
                            field="eventCategory", equals=["Management"]
                        )
                    ],
                ),
                aws.cloudtrail.TrailAdvancedEventSelectorArgs(
                    name="Object access to enclave data",
                    field_selectors=[
                        aws.cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs(
                            field="eventCategory", equals=["Data"]
                        ),
                        aws.cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs(
                            field="resources.type", equals=["AWS::S3::Object"]
                        ),
                        aws.cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs(
                            field="resources.ARN",
                            starts_withs=[pulumi.Output.concat(arn, "/") for arn in args.data_bucket_arns],
                        ),
                    ],
                ),
            ],
            # CloudTrail checks its bucket policy when the trail is created.
            opts=guarded(self, retain=True, depends_on=[audit.policy]),
        )
        self.register_outputs(
            {
                "auditBucketName": self.audit_bucket.bucket,
                "auditBucketArn": self.audit_bucket.arn,
                "trailArn": self.trail.arn,
            }
        )
