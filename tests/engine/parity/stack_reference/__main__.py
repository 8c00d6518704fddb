"""The engine resolves a StackReference from the backend; offline, another stack's outputs do not exist."""

import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("organization/network/prod")
aws.s3.Bucket("home-from-reference", region=network.get_output("homeRegion"))
aws.s3.Bucket("abroad-from-reference", region=network.get_output("drRegion"))
