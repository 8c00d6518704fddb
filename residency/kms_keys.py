"""What a KMS key reference says about who manages the key (shared by the Pulumi and live adapters)."""

from __future__ import annotations

from residency.arns import parse_arn

AWS_MANAGED_ALIAS_PREFIX = "alias/aws/"


def is_aws_managed_key(key: str) -> bool:
    """Whether ``key`` names an AWS-managed key: ``alias/aws/s3`` bare, or inside an alias ARN
    (``arn:aws:kms:eu-west-1:111122223333:alias/aws/s3``). The customer does not control such a key's
    policy or rotation, so it is never customer-managed.
    """
    if key.startswith(AWS_MANAGED_ALIAS_PREFIX):
        return True
    arn = parse_arn(key)
    return arn is not None and arn.resource.startswith(AWS_MANAGED_ALIAS_PREFIX)
