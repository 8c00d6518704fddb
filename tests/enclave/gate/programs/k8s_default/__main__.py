"""An explicit Kubernetes provider for the enclave's cluster, and (mode=stray) one namespace left on the
default provider, which deploys wherever the deploying machine's kubeconfig points."""

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

MODE = pulumi.Config().require("mode")

cluster = aws.eks.Cluster(
    "enclave", name="enclave-eu", role_arn="arn:aws:iam::111122223333:role/eks", vpc_config={"subnet_ids": ["subnet-a"]}
)


def kubeconfig(endpoint: str) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": "enclave",
            "clusters": [{"name": "enclave", "cluster": {"server": endpoint}}],
            "contexts": [{"name": "enclave", "context": {"cluster": "enclave", "user": "enclave"}}],
            "users": [
                {
                    "name": "enclave",
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": ["eks", "get-token", "--cluster-name", "enclave-eu", "--region", "eu-west-1"],
                        }
                    },
                }
            ],
        }
    )


provider = k8s.Provider("enclave", kubeconfig=cluster.endpoint.apply(kubeconfig))
k8s.core.v1.Namespace("records", metadata={"name": "records"}, opts=pulumi.ResourceOptions(provider=provider))
if MODE == "stray":
    k8s.core.v1.Namespace("stray", metadata={"name": "stray"})
