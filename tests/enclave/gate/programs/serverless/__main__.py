"""In the style of pulumi/examples aws-py-serverless-raw: a Lambda function behind an HTTP API.

``api.execution_arn`` is computed by AWS; the offline mocks do not model it, so under mocks it is None and
``Output.concat`` fails, exactly where a real preview would see an unknown value.
"""

import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "lambda-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "lambda-logs", role=role.name, policy_arn=aws.iam.ManagedPolicy.AWS_LAMBDA_BASIC_EXECUTION_ROLE
)
fn = aws.lambda_.Function(
    "hello",
    runtime="python3.12",
    handler="index.handler",
    role=role.arn,
    code=pulumi.AssetArchive({".": pulumi.FileArchive("./app")}),
    environment={"variables": {"STAGE": pulumi.get_stack()}},
)
api = aws.apigatewayv2.Api("http-api", protocol_type="HTTP", target=fn.arn)
aws.lambda_.Permission(
    "api-invoke",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="apigateway.amazonaws.com",
    source_arn=pulumi.Output.concat(api.execution_arn, "/*/*"),
)
pulumi.export("url", api.api_endpoint)
