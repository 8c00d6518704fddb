"""A bucket whose region comes from config: `configured:bucketRegion` (project namespace)."""

import pulumi
import pulumi_aws as aws

region = pulumi.Config().require("bucketRegion")
aws.s3.Bucket("records", region=region)
