"""A bucket whose region is derived from a value AWS computes, so offline it is unknown: fail closed."""

import pulumi
import pulumi_aws as aws

api = aws.apigatewayv2.Api("api", protocol_type="HTTP")
region = pulumi.Output.concat(api.execution_arn, "").apply(lambda arn: arn.split(":")[3])
aws.s3.Bucket("records", region=region)
