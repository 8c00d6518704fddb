"""A Lambda function subscribed to an SNS topic, passing resource objects as inputs (``function=handler``,
``topic=topic``) the way several pulumi/examples programs do. The engine hands a provider the resource's
ID in their place; offline this once stopped with "attached to a different loop"."""

import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "handler-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "handler-logs",
    role=role,  # a resource object: the engine passes the role's ID, its name
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
)

handler = aws.lambda_.Function(
    "handler",
    role=role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return 'ok'\n")}),
)

topic = aws.sns.Topic("events")
aws.lambda_.Permission(
    "sns-invoke", function=handler, action="lambda:InvokeFunction", principal="sns.amazonaws.com", source_arn=topic.arn
)
aws.sns.TopicSubscription("handler-subscription", topic=topic, protocol="lambda", endpoint=handler.arn)

pulumi.export("topic", topic.arn)
