"""A key ARN unknown at preview, which the pack resolves through the program: the key is in us-east-1."""

import pulumi
import pulumi_aws as aws

abroad = aws.Provider("abroad", region="us-east-1")
key_abroad = aws.kms.Key("key-abroad", enable_key_rotation=True, opts=pulumi.ResourceOptions(provider=abroad))
aws.cloudwatch.LogGroup("logs-under-foreign-key", kms_key_id=key_abroad.arn)
