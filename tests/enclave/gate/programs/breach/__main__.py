"""A residency breach: user data stored in us-east-1 while the stack is judged for the EU."""

import pulumi
import pulumi_aws as aws

records = aws.s3.Bucket("records", region="us-east-1")
pulumi.export("bucket", records.bucket)
