"""Values unknown during preview: one the pack resolves through the program, one nobody can know yet."""

import pulumi
import pulumi_aws as aws

abroad = aws.Provider("abroad", region="us-east-1")
# The key's ARN is unknown at preview; the pack follows the property's dependency to the key (us-east-1).
key_abroad = aws.kms.Key("key-abroad", enable_key_rotation=True, opts=pulumi.ResourceOptions(provider=abroad))
aws.cloudwatch.LogGroup("logs-under-foreign-key", kms_key_id=key_abroad.arn)
# A region computed from an output AWS assigns: unknown at preview, decided only at update.
api = aws.apigatewayv2.Api("api", protocol_type="HTTP")
aws.s3.Bucket("region-from-computed", region=api.api_endpoint.apply(lambda url: url.split(".")[2]))
