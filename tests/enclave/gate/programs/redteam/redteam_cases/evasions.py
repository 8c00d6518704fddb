"""Evasions of the program's shape: the destination is built, configured, referenced, hidden in a component,
a transform, a secret, another package or a dynamic provider. Each must be blocked (FAIL or UNKNOWN)."""

import json
import os

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

from redteam_cases.registry import FOREIGN, HOME, case

US_QUEUE = f"arn:aws:sqs:us-east-1:{HOME}:copy"


@case("block")
def provider_region_from_concat() -> None:
    us = aws.Provider("built", region=pulumi.Output.concat("us-", "east-", "1"))
    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(provider=us))


@case("block")
def destination_from_apply() -> None:
    topic = aws.sns.Topic("events")
    endpoint = topic.arn.apply(lambda arn: arn.replace("eu-west-1", "us-east-1").replace(":sns:", ":sqs:"))
    aws.sns.TopicSubscription("copy", topic=topic.arn, protocol="sqs", endpoint=endpoint)


@case("block")
def destination_from_config_default() -> None:
    region = pulumi.Config().get("replicaRegion") or "us-east-1"
    aws.secretsmanager.Secret("token", replicas=[{"region": region}])


@case("block")
def destination_from_stack_reference() -> None:
    shared = pulumi.StackReference("acme/shared/prod")
    aws.sns.TopicSubscription(
        "copy", topic=f"arn:aws:sns:eu-west-1:{HOME}:events", protocol="sqs", endpoint=shared.get_output("queueArn")
    )


@case("block")
def destination_in_a_secret() -> None:
    aws.secretsmanager.Secret("token", replicas=[{"region": pulumi.Output.secret("us-east-1")}])


@case("block")
def redrive_built_with_output_all() -> None:
    target = pulumi.Output.all("us-east-1", HOME).apply(lambda p: f"arn:aws:sqs:{p[0]}:{p[1]}:dead")
    aws.sqs.Queue(
        "records",
        redrive_policy=target.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 3})),
    )


class _Mirror(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:data:Mirror", name, None, opts)
        us = aws.Provider(f"{name}-us", region="us-east-1", opts=pulumi.ResourceOptions(parent=self))
        aws.sqs.Queue(f"{name}-copy", opts=pulumi.ResourceOptions(parent=self, provider=us))
        self.register_outputs({})


@case("block")
def component_creates_its_provider() -> None:
    _Mirror("mirror")


class _Store(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:data:Store", name, None, opts)
        aws.sqs.Queue(f"{name}-queue", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


@case("block")
def component_given_provider_map() -> None:
    us = aws.Provider("us", region="us-east-1")
    _Store("store", opts=pulumi.ResourceOptions(providers={"aws": us}))


@case("block")
def alias_on_a_us_resource() -> None:
    us = aws.Provider("us", region="us-east-1")
    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(provider=us, aliases=[pulumi.Alias(name="records-eu")]))


def _to_us(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
    if args.type_.startswith("aws:"):
        return pulumi.ResourceTransformResult(props={**args.props, "region": "us-east-1"}, opts=args.opts)
    return pulumi.ResourceTransformResult(props=args.props, opts=args.opts)


@case("block")
def component_transform_moves_children() -> None:
    _Store("store", opts=pulumi.ResourceOptions(transforms=[_to_us]))


@case("block")
def stack_transform_moves_everything() -> None:
    pulumi.runtime.register_resource_transform(_to_us)
    aws.sqs.Queue("records")


@case("block")
def provider_region_from_environment() -> None:
    os.environ["AWS_REGION"] = "us-east-1"
    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(provider=aws.Provider("env")))


@case("block")
def provider_assumes_foreign_role() -> None:
    partner = aws.Provider(
        "partner", region="eu-west-1", assume_roles=[{"role_arn": f"arn:aws:iam::{FOREIGN}:role/deploy"}]
    )
    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(provider=partner))


@case("block")
def provider_endpoint_override_us() -> None:
    p = aws.Provider("proxy", region="eu-west-1", endpoints=[{"sqs": "https://sqs.us-east-1.amazonaws.com"}])
    aws.sqs.Queue("records", opts=pulumi.ResourceOptions(provider=p))


@case("block")
def aws_native_replication() -> None:
    pulumi.CustomResource(
        "aws-native:s3:Bucket",
        "records",
        {
            "replicationConfiguration": {
                "role": f"arn:aws:iam::{HOME}:role/r",
                "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::records-copy-us"}}],
            }
        },
    )


@case("block")
def raw_type_token_not_in_sdk() -> None:
    pulumi.CustomResource("aws:s3/shadowCopy:ShadowCopy", "records", {"destination": "records-copy"})


class _Uploader(ResourceProvider):
    def create(self, props: dict) -> CreateResult:
        return CreateResult("upload-1", props)


class _Upload(Resource, module="exports", name="Upload"):
    def __init__(self, name: str, target: str) -> None:
        super().__init__(_Uploader(), name, {"target": target})


@case("block")
def dynamic_provider_upload() -> None:
    _Upload("upload", "records")


@case("block")
def kubernetes_external_name_outside() -> None:
    k8s.core.v1.Service(
        "partner",
        metadata={"name": "partner", "namespace": "records"},
        spec={"type": "ExternalName", "external_name": "ingest.partner.example"},
    )


@case("block")
def kubernetes_cluster_in_us() -> None:
    kubeconfig = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": "us",
            "clusters": [{"name": "us", "cluster": {"server": "https://ABC.gr7.us-east-1.eks.amazonaws.com"}}],
            "contexts": [{"name": "us", "context": {"cluster": "us", "user": "u"}}],
            "users": [{"name": "u", "user": {"token": "t"}}],
        }
    )
    us = k8s.Provider("us", kubeconfig=kubeconfig)
    k8s.core.v1.ConfigMap(
        "records", metadata={"namespace": "default"}, data={"a": "b"}, opts=pulumi.ResourceOptions(provider=us)
    )
