"""A compliant store for an EU enclave: every resource in eu-west-1, encrypted under a key held there; the
store, its key and the settings that guard it are protected (guard-protected)."""

import pulumi
import pulumi_aws as aws

protected = pulumi.ResourceOptions(protect=True)
key = aws.kms.Key("records-key", enable_key_rotation=True, deletion_window_in_days=30, opts=protected)
records = aws.s3.Bucket("records", opts=protected)
aws.s3.BucketServerSideEncryptionConfiguration(
    "records-encryption",
    bucket=records.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn
            ),
            bucket_key_enabled=True,
        )
    ],
    opts=protected,
)
aws.s3.BucketPublicAccessBlock(
    "records-public-access",
    bucket=records.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
    opts=protected,
)
aws.s3.BucketVersioning(
    "records-versioning", bucket=records.id, versioning_configuration={"status": "Enabled"}, opts=protected
)
pulumi.export("bucket", records.bucket)
