"""One failing and one passing program per Kubernetes/EKS rule (merged into tests.residency_pack.cases.all_cases).

Stack: jurisdiction eu, aws:region eu-west-1. Props are camelCase, as the engine sends them.
"""

from __future__ import annotations

import json
from typing import Any

from components.workload_manifests import namespace_labels, network_policies
from components.workloads import kubeconfig
from tests.residency_pack.cases import KEY_EU, Case, Res

NS = "kubernetes:core/v1:Namespace"
NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
EKS = "aws:eks/cluster:Cluster"
K8S_PROVIDER = "pulumi:providers:kubernetes"
ENDPOINT = "https://0123456789ABCDEF.gr7.{region}.eks.amazonaws.com"


def namespace(name: str, labels: dict[str, str] | None = None) -> Res:
    return Res(NS, f"ns-{name}", {"metadata": {"name": name, "labels": labels or namespace_labels("eu", name)}})


def policy(name: str, ns: str, spec: dict[str, Any]) -> Res:
    return Res(NETPOL, f"{ns}-{name}", {"metadata": {"name": name, "namespace": ns}, "spec": spec})


def deployment(pod_spec: dict[str, Any]) -> Res:
    container = {"name": "app", "image": "registry.example/app:1"}
    spec = {"containers": [container], **pod_spec}
    return Res(
        DEPLOYMENT,
        "app",
        {"metadata": {"name": "app", "namespace": "user-data"}, "spec": {"template": {"spec": spec}}},
    )


def storage_class(encrypted: str, zones: list[str]) -> Res:
    return Res(
        STORAGE_CLASS,
        "gp3",
        {
            "metadata": {"name": "enclave-gp3"},
            "provisioner": "ebs.csi.aws.com",
            "parameters": {"type": "gp3", "encrypted": encrypted, "kmsKeyId": KEY_EU},
            "allowedTopologies": [{"matchLabelExpressions": [{"key": "topology.kubernetes.io/zone", "values": zones}]}],
        },
    )


def eks_cluster(name: str = "enclave-eu", region: str | None = None, **overrides: Any) -> Res:
    props: dict[str, Any] = {
        "name": name,
        "roleArn": "arn:aws:iam::111122223333:role/eks",
        "vpcConfig": {"subnetIds": ["subnet-a"], "endpointPrivateAccess": True, "endpointPublicAccess": False},
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": KEY_EU}},
        "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    }
    if region:
        props["region"] = region
    props.update(overrides)
    return Res(EKS, f"eks-{name}", props)


def k8s_provider(cluster: str, region: str) -> Res:
    config = kubeconfig(cluster, ENDPOINT.format(region=region), "Q0E=", region)
    return Res(K8S_PROVIDER, "k8s", {"kubeconfig": config})


_EVERY_POD: dict[str, Any] = {}
_DENY_ALL = {"podSelector": _EVERY_POD, "policyTypes": ["Ingress", "Egress"]}
_ALLOW_DNS = network_policies("10.10.0.0/16")["allow-dns"]


def _egress_to(cidr: str) -> dict[str, Any]:
    return {"podSelector": _EVERY_POD, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": cidr}}]}]}


CASES: dict[str, tuple[Case, Case]] = {
    "k8s-default-deny-egress": (
        [namespace("user-data"), policy("allow-dns", "user-data", _ALLOW_DNS)],
        [namespace("user-data"), policy("allow-dns", "user-data", _ALLOW_DNS), policy("deny", "user-data", _DENY_ALL)],
    ),
    "k8s-no-internet-egress": (
        [policy("out", "user-data", _egress_to("0.0.0.0/0"))],
        [policy("out", "user-data", _egress_to("10.10.0.0/16"))],
    ),
    "k8s-no-host-access": (
        [deployment({"hostNetwork": True})],
        [deployment({"securityContext": {"runAsNonRoot": True}})],
    ),
    "k8s-namespace-restricted": (
        [
            namespace(
                "user-data", {**namespace_labels("eu", "user-data"), "pod-security.kubernetes.io/enforce": "baseline"}
            )
        ],
        [namespace("user-data")],
    ),
    "k8s-namespace-classified": (
        [namespace("user-data", namespace_labels("us", "user-data"))],
        [namespace("user-data")],
    ),
    "k8s-storage-encrypted": (
        [storage_class("false", ["eu-west-1a"])],
        [storage_class("true", ["eu-west-1a"])],
    ),
    "k8s-storage-zone-pinned": (
        [storage_class("true", ["us-east-1a"])],
        [storage_class("true", ["eu-west-1a", "eu-west-1b"])],
    ),
    "k8s-cluster-in-enclave": (
        [k8s_provider("enclave-us", "us-east-1")],
        [eks_cluster(), k8s_provider("enclave-eu", "eu-west-1")],
    ),
    "eks-private-endpoint": (
        [eks_cluster(vpcConfig={"subnetIds": ["subnet-a"], "endpointPrivateAccess": True})],
        [eks_cluster()],
    ),
    "eks-secrets-encrypted": ([eks_cluster(encryptionConfig=None)], [eks_cluster()]),
    "eks-control-plane-logs": ([eks_cluster(enabledClusterLogTypes=["api"])], [eks_cluster()]),
}

# The JSON the provider actually carries, for tests that parse it.
SAMPLE_KUBECONFIG = json.loads(kubeconfig("enclave-eu", ENDPOINT.format(region="eu-west-1"), "Q0E=", "eu-west-1"))
