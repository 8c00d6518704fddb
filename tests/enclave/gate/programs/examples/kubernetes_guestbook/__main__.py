"""In the style of pulumi/examples kubernetes-py-guestbook/simple: a leader, replicas and a frontend behind a
LoadBalancer Service, exporting the frontend's address. The address is read inside ``apply`` from the
Service's ``status``, which the cluster computes: unknown in a preview, so that apply does not run."""

import pulumi
from pulumi_kubernetes.apps.v1 import Deployment, DeploymentSpecArgs
from pulumi_kubernetes.core.v1 import (
    ContainerArgs,
    ContainerPortArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    Service,
    ServicePortArgs,
    ServiceSpecArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs

config = pulumi.Config()
on_minikube = config.get_bool("isMinikube")


def app(name: str, image: str, port: int, replicas: int, service_type: str | None = None) -> Service:
    labels = {"app": name}
    Deployment(
        name,
        spec=DeploymentSpecArgs(
            selector=LabelSelectorArgs(match_labels=labels),
            replicas=replicas,
            template=PodTemplateSpecArgs(
                metadata=ObjectMetaArgs(labels=labels),
                spec=PodSpecArgs(
                    containers=[ContainerArgs(name=name, image=image, ports=[ContainerPortArgs(container_port=port)])]
                ),
            ),
        ),
    )
    return Service(
        name,
        metadata=ObjectMetaArgs(name=name, labels=labels),
        spec=ServiceSpecArgs(type=service_type, ports=[ServicePortArgs(port=port)], selector=labels),
    )


app("redis-leader", "redis", 6379, 1)
app("redis-replica", "pulumi/guestbook-redis-replica", 6379, 1)
frontend = app("frontend", "pulumi/guestbook-php-redis", 80, 3, "ClusterIP" if on_minikube else "LoadBalancer")

if on_minikube:
    address = frontend.spec.apply(lambda spec: spec.cluster_ip or "")
else:
    ingress = frontend.status.apply(lambda status: status.load_balancer.ingress[0])
    address = ingress.apply(lambda entry: entry.ip or entry.hostname or "")
pulumi.export("frontend_ip", address)
