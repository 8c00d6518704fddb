"""In the style of pulumi/examples kubernetes-py-nginx, deploying through an explicit provider into its
own namespace, the namespace's name passed on as a resource output; the replica count is exported."""

import pulumi
import pulumi_kubernetes as k8s

provider = k8s.Provider("cluster", namespace="web")
namespace = k8s.core.v1.Namespace("web", metadata={"name": "web"}, opts=pulumi.ResourceOptions(provider=provider))

labels = {"app": "nginx"}
deployment = k8s.apps.v1.Deployment(
    "nginx",
    metadata={"namespace": namespace.metadata["name"]},
    spec={
        "selector": {"match_labels": labels},
        "replicas": 2,
        "template": {
            "metadata": {"labels": labels},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"container_port": 80}]}]},
        },
    },
    opts=pulumi.ResourceOptions(provider=provider),
)
service = k8s.core.v1.Service(
    "nginx",
    metadata={"namespace": namespace.metadata["name"]},
    spec={"selector": labels, "ports": [{"port": 80}]},
    opts=pulumi.ResourceOptions(provider=provider),
)

pulumi.export("replicas", deployment.spec.apply(lambda spec: spec["replicas"]))
pulumi.export("service", service.metadata.apply(lambda metadata: metadata["name"]))
