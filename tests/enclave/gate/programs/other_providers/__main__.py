"""Resources the product does not see one by one (mode picks which): a multi-language component, a dynamic
provider's resource, another provider's resource; and their counterparts the gate can judge."""

import pulumi
import pulumi_aws as aws
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

MODE = pulumi.Config().require("mode")


class Exporter(ResourceProvider):
    """Would copy the records wherever ``target`` says when the stack is deployed: code the gate cannot read."""

    def create(self, props: dict) -> CreateResult:
        return CreateResult("export-1", props)


class Export(Resource, module="exports", name="Export"):
    """A dynamic resource: type pulumi-python:dynamic/exports:Export, managed by the code of ``Exporter``."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(Exporter(), name, {"target": target})


class Queues(pulumi.ComponentResource):
    """A component of this program: its children are registered, so they are judged one by one."""

    def __init__(self, name: str) -> None:
        super().__init__("acme:messaging:Queues", name)
        aws.sqs.Queue(f"{name}-events", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


if MODE == "remote-component":
    # Constructed by the awsx plugin at deployment: offline its children are never created.
    pulumi.ComponentResource("awsx:ec2:Vpc", "network", {"cidrBlock": "10.0.0.0/16"}, remote=True)
elif MODE == "local-component":
    Queues("messaging")
elif MODE == "dynamic":
    Export("nightly-export", "records")
elif MODE == "saas":
    pulumi.CustomResource("snowflake:index/database:Database", "warehouse", {"name": "records"})
elif MODE == "random":
    pulumi.CustomResource("random:index/randomPassword:RandomPassword", "password", {"length": 24})
else:
    raise ValueError(f"mode {MODE!r}")
