"""A small AWS program exercising what the offline runner must capture."""

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
pinned = aws.Provider("pinned", region="eu-west-1", allowed_account_ids=["444455556666"])
key = aws.kms.Key("key", enable_key_rotation=True, opts=pulumi.ResourceOptions(provider=pinned, protect=True))
records = aws.s3.Bucket("records", opts=pulumi.ResourceOptions(provider=pinned, retain_on_delete=True))
far = aws.s3.Bucket("far", region="us-east-1", opts=pulumi.ResourceOptions(provider=pinned))
default_region = aws.s3.Bucket("default-region")
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(provider=pinned))
doc = aws.iam.get_policy_document_output(
    statements=[
        {
            "sid": "DenyInsecure",
            "effect": "Deny",
            "actions": ["s3:*"],
            "resources": [records.arn, records.arn.apply(lambda a: f"{a}/*")],
            "principals": [{"type": "*", "identifiers": ["*"]}],
            "conditions": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}],
        }
    ]
)
aws.s3.BucketPolicy("records-policy", bucket=records.id, policy=doc.json, opts=pulumi.ResourceOptions(provider=pinned))
pulumi.export("keyArn", key.arn)
pulumi.export("jurisdiction", cfg.require("jurisdiction"))
pulumi.export("replicas", cfg.require_int("replicas"))
pulumi.export("strict", cfg.require_bool("strict"))
pulumi.export("token", cfg.get("token"))
