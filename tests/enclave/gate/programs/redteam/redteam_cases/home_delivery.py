"""In-jurisdiction equivalents (deliveries, routes and program shapes): transfers between EU regions or EU enclave accounts, global
control-plane resources, inbound copies. Each must pass (no mandatory residency finding)."""

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from redteam_cases.registry import EU_OTHER, HOME, ROLE, case


@case("pass")
def home_resolver_forwarding_private_ip() -> None:
    aws.route53.ResolverRule(
        "fwd",
        domain_name="corp.example",
        rule_type="FORWARD",
        resolver_endpoint_id="rslvr-out-1",
        target_ips=[{"ip": "10.0.0.2"}],
    )


@case("pass")
def home_global_accelerator_eu_endpoints() -> None:
    aws.globalaccelerator.EndpointGroup(
        "group",
        listener_arn="arn:aws:globalaccelerator::111111111101:accelerator/a/listener/l",
        endpoint_group_region="eu-west-1",
        endpoint_configurations=[
            {"endpoint_id": f"arn:aws:elasticloadbalancing:eu-west-1:{HOME}:loadbalancer/app/web/1"}
        ],
    )


@case("block")
def bedrock_eu_geography_profile_unverifiable() -> None:
    # AWS, not the ARN, decides which regions its `eu` geography routes to: cannot be verified (UNKNOWN)
    # until an assessment with destination = { provider = "bedrock:eu" } records the review.
    aws.bedrock.InferenceProfile(
        "assistant",
        name="assistant",
        model_source={
            "copy_from": "arn:aws:bedrock:eu-west-1::inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"
        },
    )


@case("pass")
def home_bedrock_foundation_model() -> None:
    aws.bedrock.InferenceProfile(
        "assistant",
        name="assistant",
        model_source={
            "copy_from": "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
        },
    )


@case("pass")
def home_msk_replicator_eu() -> None:
    eu1, eu2 = f"arn:aws:kafka:eu-west-1:{HOME}:cluster/a/1", f"arn:aws:kafka:eu-central-1:{HOME}:cluster/b/2"
    aws.msk.Replicator(
        "mirror",
        replicator_name="mirror",
        service_execution_role_arn=ROLE,
        kafka_clusters=[
            {"amazon_msk_cluster": {"msk_cluster_arn": eu1}, "vpc_config": {"subnet_ids": ["subnet-1"]}},
            {"amazon_msk_cluster": {"msk_cluster_arn": eu2}, "vpc_config": {"subnet_ids": ["subnet-2"]}},
        ],
        replication_info_list={
            "source_kafka_cluster_arn": eu1,
            "target_kafka_cluster_arn": eu2,
            "target_compression_type": "NONE",
            "topic_replications": [{"topics_to_replicates": [".*"]}],
            "consumer_group_replications": [{"consumer_groups_to_replicates": [".*"]}],
        },
    )


@case("pass")
def home_ssm_document_shared_eu_account() -> None:
    aws.ssm.Document(
        "runbook",
        document_type="Command",
        content=json.dumps({"schemaVersion": "2.2", "mainSteps": []}),
        permissions={"type": "Share", "account_ids": EU_OTHER},
    )


@case("pass")
def home_datasync_task_eu() -> None:
    aws.datasync.Task(
        "sync",
        source_location_arn=f"arn:aws:datasync:eu-west-1:{HOME}:location/loc-1",
        destination_location_arn=f"arn:aws:datasync:eu-central-1:{HOME}:location/loc-2",
    )


@case("pass")
def home_eventbridge_global_endpoint_eu() -> None:
    aws.cloudwatch.EventEndpoint(
        "global",
        name="events",
        role_arn=ROLE,
        event_buses=[
            {"event_bus_arn": f"arn:aws:events:eu-west-1:{HOME}:event-bus/b"},
            {"event_bus_arn": f"arn:aws:events:eu-central-1:{HOME}:event-bus/b"},
        ],
        routing_config={
            "failover_config": {
                "primary": {"health_check": "arn:aws:route53:::healthcheck/h"},
                "secondary": {"route": "eu-central-1"},
            }
        },
    )


@case("pass")
def home_cognito_trigger_eu() -> None:
    aws.cognito.UserPool(
        "users", name="users", lambda_config={"pre_sign_up": f"arn:aws:lambda:eu-west-1:{HOME}:function:screen"}
    )


@case("pass")
def home_step_function_eu_lambda() -> None:
    definition = {
        "StartAt": "Run",
        "States": {
            "Run": {"Type": "Task", "End": True, "Resource": f"arn:aws:lambda:eu-central-1:{HOME}:function:process"}
        },
    }
    aws.sfn.StateMachine("flow", role_arn=ROLE, definition=json.dumps(definition))


@case("pass")
def home_imagebuilder_distribution_eu() -> None:
    aws.imagebuilder.DistributionConfiguration(
        "dist",
        name="dist",
        distributions=[
            {"region": "eu-west-1", "ami_distribution_configuration": {"name": "base-{{ imagebuilder:buildDate }}"}},
            {"region": "eu-central-1", "ami_distribution_configuration": {"name": "base-{{ imagebuilder:buildDate }}"}},
        ],
    )


@case("pass")
def home_waf_logs_eu_firehose() -> None:
    aws.wafv2.WebAclLoggingConfiguration(
        "waf",
        resource_arn=f"arn:aws:wafv2:eu-west-1:{HOME}:regional/webacl/w/1",
        log_destination_configs=[f"arn:aws:firehose:eu-west-1:{HOME}:deliverystream/aws-waf-logs-eu"],
    )


@case("pass")
def home_component_provider_eu() -> None:
    class Mirror(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("acme:data:Mirror", name)
            eu = aws.Provider(f"{name}-eu", region="eu-central-1", opts=pulumi.ResourceOptions(parent=self))
            aws.sqs.Queue(f"{name}-copy", opts=pulumi.ResourceOptions(parent=self, provider=eu))
            self.register_outputs({})

    Mirror("mirror")


@case("pass")
def home_transform_sets_eu_region() -> None:
    def to_frankfurt(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
        return pulumi.ResourceTransformResult(props={**args.props, "region": "eu-central-1"}, opts=args.opts)

    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(transforms=[to_frankfurt]))


@case("pass")
def home_region_from_config_default() -> None:
    aws.secretsmanager.Secret("token", replicas=[{"region": pulumi.Config().get("replicaRegion") or "eu-north-1"}])


@case("pass")
def home_region_in_a_secret() -> None:
    aws.secretsmanager.Secret("token", replicas=[{"region": pulumi.Output.secret("eu-central-1")}])


@case("pass")
def home_aws_native_queue() -> None:
    eu = pulumi.ProviderResource("aws-native", "eu", {"region": "eu-west-1"})
    pulumi.CustomResource(
        "aws-native:sqs:Queue", "records", {"queueName": "records"}, opts=pulumi.ResourceOptions(provider=eu)
    )


@case("pass")
def home_kubernetes_external_name_in_cluster() -> None:
    cluster = aws.eks.Cluster("records", name="records", role_arn=ROLE, vpc_config={"subnet_ids": ["subnet-1"]})
    token = {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "aws",
            "args": ["eks", "get-token", "--cluster-name", "records", "--region", "eu-west-1"],
        }
    }
    kubeconfig = cluster.endpoint.apply(
        lambda server: json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "eu",
                "clusters": [{"name": "eu", "cluster": {"server": server}}],
                "contexts": [{"name": "eu", "context": {"cluster": "eu", "user": "u"}}],
                "users": [{"name": "u", "user": token}],
            }
        )
    )
    eu = k8s.Provider("eu", kubeconfig=kubeconfig)
    k8s.core.v1.Service(
        "records",
        metadata={"name": "records", "namespace": "app"},
        spec={"type": "ExternalName", "external_name": "records.data.svc.cluster.local"},
        opts=pulumi.ResourceOptions(provider=eu),
    )


@case("pass")
def home_customer_gateway_private_ip() -> None:
    aws.ec2.CustomerGateway("office", bgp_asn="65000", ip_address="10.20.0.1", type="ipsec.1")


@case("pass")
def home_backup_copy_eu_enclave_account() -> None:
    aws.backup.Plan(
        "plan",
        name="plan",
        rules=[
            {
                "rule_name": "daily",
                "target_vault_name": "vault",
                "schedule": "cron(0 3 * * ? *)",
                "copy_actions": [
                    {"destination_vault_arn": f"arn:aws:backup:eu-central-1:{EU_OTHER}:backup-vault:copy"}
                ],
            }
        ],
    )
