"""An S3 bucket with the enclave's fixed protections, shared by the storage and oversight rings.

Fixed, not options: SSE-KMS under the given enclave key with bucket keys, versioning, all four public
access blocks, BucketOwnerEnforced (no ACLs), a policy that denies non-TLS requests, every principal
not named, and object access to all but the named readers, and protect + retain_on_delete so `pulumi destroy` never deletes the data.
Optionally (the records bucket) objects only through an S3 access point with a VPC network origin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.guard import guarded
from components.policy import (
    Statement,
    bucket_arn,
    deny_all_principals_except,
    deny_insecure_transport,
    deny_object_access_except,
    deny_object_access_outside_access_points,
    document,
    named_arn,
)
from residency.data_tags import ENCLAVE_DATA_TAG


@dataclass(frozen=True)
class VpcAccessPoint:
    """An S3 access point with a VPC network origin: S3 rejects every request to it that does not come from
    ``vpc_id`` (Amazon S3 User Guide, "Creating access points restricted to a virtual private cloud"), and the
    network origin cannot be changed after creation. ``name`` is fixed (3-50 characters, unique per account
    and region), so its ARN is known at preview."""

    name: str
    vpc_id: pulumi.Input[str]
    region: str
    account_id: str


@dataclass
class SecureBucketArgs:
    kms_key_arn: pulumi.Input[str]
    # Principals (role ARNs) that may reach the bucket at all; everyone else is denied, even the account root.
    enclave_principal_arns: list[str]
    # The subset that may read, write or list objects; the others see the bucket's configuration only.
    data_reader_arns: list[str]
    # AWS service principals (e.g. cloudtrail.amazonaws.com) exempt from both denies.
    allowed_services: list[str] = field(default_factory=list)
    # Extra statements (e.g. CloudTrail delivery), built from the bucket's ARN.
    extra_statements: Callable[[pulumi.Output[str]], list[Statement]] | None = None
    # When set, object lock in COMPLIANCE mode with this default retention (days). Only at creation.
    object_lock_days: int | None = None
    # What the bucket holds (``enclave-data``: records, test-data): the policy pack finds the enclave's
    # test-data bucket by it (adapters/pulumi_test_data.py).
    data_kind: str | None = None
    # When set, objects are reached only through this access point, bound to the enclave's VPC...
    network_access_point: VpcAccessPoint | None = None
    # ...except by these principals, each with the reason it must act from outside the enclave's network.
    outside_network_exemptions: dict[str, str] = field(default_factory=dict)


class SecureBucket(pulumi.ComponentResource):
    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy
    access_point: aws.s3.AccessPoint | None = None
    # ``arn:aws:s3:<region>:<account>:accesspoint/<name>`` from the name (known at preview); None without one.
    access_point_arn: pulumi.Output[str] | None = None

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:SecureBucket", name, None, opts)
        # Every setting below is a guard of a retained bucket: protected, and retained with the bucket.
        child = guarded(self, retain=True)
        locked = args.object_lock_days is not None
        self.bucket = aws.s3.Bucket(
            name,
            force_destroy=False,
            object_lock_enabled=locked or None,
            tags={ENCLAVE_DATA_TAG: args.data_kind} if args.data_kind else None,
            opts=pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse",
            bucket=self.bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="aws:kms", kms_master_key_id=args.kms_key_arn
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=child,
        )
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=child,
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child,
        )
        if locked:
            aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                bucket=self.bucket.id,
                rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
                    default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                        mode="COMPLIANCE", days=args.object_lock_days
                    )
                ),
                opts=child,
            )
        # Every statement names the bucket by the ARN of its name, known at preview (its ``arn`` is not).
        arn = self.arn = bucket_arn(self.bucket)
        statements = [
            deny_insecure_transport(arn),
            deny_all_principals_except(arn, args.enclave_principal_arns, args.allowed_services or None),
            deny_object_access_except(arn, args.data_reader_arns, args.allowed_services or None),
            *(args.extra_statements(arn) if args.extra_statements else []),
        ]
        if args.network_access_point is not None:
            access_point_arn = self._access_point(name, args.network_access_point, child)
            exempt = sorted(args.outside_network_exemptions)
            statements.append(deny_object_access_outside_access_points(arn, [access_point_arn], exempt))
        # After the public access block, so S3 evaluates the policy against it from the start.
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=document(*statements),
            opts=guarded(self, retain=True, depends_on=[public_access]),
        )
        self.register_outputs({"bucketName": self.bucket.bucket, "bucketArn": self.bucket.arn})

    def _access_point(self, name: str, ap: VpcAccessPoint, opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
        """The bucket's only network door: all four public access blocks on, requests from ``ap.vpc_id`` only.
        A guard of the retained bucket (protected, retained): deleting it would leave the policy naming a door
        that no longer exists, which shuts the bucket rather than opening it, but the stack must say so first."""
        self.access_point = aws.s3.AccessPoint(
            f"{name}-access-point",
            # The bucket's name, known at preview (its id is not); it keeps the dependency on the bucket.
            bucket=self.bucket.bucket,
            name=ap.name,
            account_id=ap.account_id,
            vpc_configuration=aws.s3.AccessPointVpcConfigurationArgs(vpc_id=ap.vpc_id),
            public_access_block_configuration=aws.s3.AccessPointPublicAccessBlockConfigurationArgs(
                block_public_acls=True, block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True
            ),
            opts=opts,
        )
        self.access_point_arn = named_arn("s3", ap.region, ap.account_id, "accesspoint/", self.access_point.name)
        return self.access_point_arn
