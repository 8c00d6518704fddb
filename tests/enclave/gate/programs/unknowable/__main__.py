"""A bucket whose region comes from something that does not exist offline (mode picks what)."""

import pulumi
import pulumi_aws as aws

MODE = pulumi.Config().require("mode")

if MODE == "stack-reference":
    region = pulumi.StackReference("org/net/prod").get_output("region")
elif MODE == "invoke-output":
    region = aws.s3.get_bucket_output(bucket="elsewhere").region
elif MODE == "invoke":
    region = aws.s3.get_bucket(bucket="elsewhere").region
else:
    region = "eu-west-1"
aws.s3.Bucket("records", region=region)
