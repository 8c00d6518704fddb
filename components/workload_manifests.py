"""The Kubernetes specs EnclaveWorkloads applies, as plain data (camelCase, as the API server reads them).

Kept apart from the component so that tests, docs and the rules' fixtures can read exactly what is
deployed without a Pulumi runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from residency.kubernetes_labels import (
    DATA_CLASS_LABEL,
    DATA_CLASSES,
    JURISDICTION_LABEL,
    POD_SECURITY_LABEL_PREFIX,
    ZONE_LABEL,
)

DEFAULT_DATA_CLASSES = DATA_CLASSES
STORAGE_CLASS_NAME = "enclave-gp3"
ZONE_KEY = ZONE_LABEL

_WORKLOAD_READ = ("get", "list", "watch")
_WORKLOAD_WRITE = (*_WORKLOAD_READ, "create", "update", "patch", "delete")


def namespace_labels(jurisdiction_id: str, data_class: str) -> dict[str, str]:
    """Jurisdiction and data class, plus Pod Security Admission `restricted` in all three modes."""
    labels = {JURISDICTION_LABEL: jurisdiction_id, DATA_CLASS_LABEL: data_class}
    for mode in ("enforce", "audit", "warn"):
        labels[f"{POD_SECURITY_LABEL_PREFIX}{mode}"] = "restricted"
        labels[f"{POD_SECURITY_LABEL_PREFIX}{mode}-version"] = "latest"
    return labels


def network_policies(vpc_cidr: str) -> dict[str, Any]:
    """NetworkPolicy specs by name: deny everything, then allow DNS, the VPC endpoints and the namespace."""
    every_pod: dict[str, Any] = {}
    return {
        "default-deny-all": {"podSelector": every_pod, "policyTypes": ["Ingress", "Egress"]},
        "allow-dns": {
            "podSelector": every_pod,
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [
                        {
                            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                        }
                    ],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                }
            ],
        },
        # AWS APIs (S3, KMS, STS, logs, ECR) are reached through the VPC's endpoints: HTTPS inside the VPC.
        "allow-vpc-endpoints": {
            "podSelector": every_pod,
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": vpc_cidr}}], "ports": [{"protocol": "TCP", "port": 443}]}],
        },
        # A peer with only a podSelector means "pods in this namespace".
        "allow-same-namespace": {
            "podSelector": every_pod,
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": every_pod}]}],
            "egress": [{"to": [{"podSelector": every_pod}]}],
        },
    }


def resource_quota() -> Any:
    # Zero LoadBalancer and NodePort services: nothing in a namespace can be exposed outside the cluster.
    return {
        "hard": {
            "requests.cpu": "8",
            "requests.memory": "32Gi",
            "limits.cpu": "16",
            "limits.memory": "64Gi",
            "pods": "50",
            "persistentvolumeclaims": "20",
            "requests.storage": "500Gi",
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        }
    }


def limit_range() -> Any:
    return {
        "limits": [
            {
                "type": "Container",
                "default": {"cpu": "500m", "memory": "512Mi"},
                "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                "max": {"cpu": "4", "memory": "8Gi"},
            }
        ]
    }


def operator_rules() -> Any:
    """In-jurisdiction operators manage workloads, their secrets and pods (exec included). No wildcards."""
    return [
        {
            "apiGroups": [""],
            "resources": [
                "pods",
                "pods/log",
                "pods/exec",
                "services",
                "configmaps",
                "secrets",
                "persistentvolumeclaims",
                "serviceaccounts",
            ],
            "verbs": list(_WORKLOAD_WRITE),
        },
        {
            "apiGroups": ["apps"],
            "resources": ["deployments", "statefulsets", "replicasets"],
            "verbs": list(_WORKLOAD_WRITE),
        },
        {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": list(_WORKLOAD_WRITE)},
    ]


def engineer_rules() -> Any:
    """Engineers read workloads and run test jobs: no secrets, no pods/exec, attach or port-forward."""
    return [
        {
            "apiGroups": [""],
            "resources": ["pods", "pods/log", "services", "configmaps", "persistentvolumeclaims"],
            "verbs": list(_WORKLOAD_READ),
        },
        {
            "apiGroups": ["apps"],
            "resources": ["deployments", "statefulsets", "replicasets"],
            "verbs": list(_WORKLOAD_READ),
        },
        {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": list(_WORKLOAD_WRITE)},
    ]


def storage_class_fields(kms_key_arn: pulumi.Input[str], zones: Sequence[str]) -> dict[str, Any]:
    """StorageClass fields (Python keyword names): EBS gp3, encrypted under the enclave key, zone-pinned."""
    return {
        "metadata": {
            "name": STORAGE_CLASS_NAME,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "ebs.csi.aws.com",
        "parameters": {"type": "gp3", "encrypted": "true", "kmsKeyId": kms_key_arn},
        "allowed_topologies": [{"matchLabelExpressions": [{"key": ZONE_KEY, "values": list(zones)}]}],
        # Bind when a pod is scheduled, so the volume is created in that pod's (allowed) zone.
        "volume_binding_mode": "WaitForFirstConsumer",
        # Deleting a claim must not delete user data.
        "reclaim_policy": "Retain",
        "allow_volume_expansion": True,
    }
