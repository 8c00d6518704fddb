"""EnclaveWorkloads: isolated, jurisdiction-pinned Kubernetes namespaces on the enclave cluster.

Every object goes through a Kubernetes provider built from the enclave's own cluster (never the ambient
kubeconfig). Per data class: a labelled namespace enforcing Pod Security `restricted`, default-deny
NetworkPolicies with explicit allows (DNS, the VPC endpoints, the namespace itself), a ResourceQuota that
also forbids LoadBalancer/NodePort services, a LimitRange, and RBAC for the in-jurisdiction operators.
Engineers get a read/run role without secrets or exec, bound only where data is de-identified.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.cluster import ENGINEERS_GROUP, OPERATORS_GROUP
from components.guard import require_zones_in_region
from components.workload_manifests import (
    DEFAULT_DATA_CLASSES,
    STORAGE_CLASS_NAME,
    engineer_rules,
    limit_range,
    namespace_labels,
    network_policies,
    operator_rules,
    resource_quota,
    storage_class_fields,
)


@dataclass(frozen=True)
class EnclaveWorkloadsArgs:
    jurisdiction_id: str
    home_region: str
    cluster_name: pulumi.Input[str]
    cluster_endpoint: pulumi.Input[str]
    cluster_ca: pulumi.Input[str]
    vpc_cidr: str
    kms_key_arn: pulumi.Input[str]
    zones: Sequence[str]
    data_classes: Sequence[str] = DEFAULT_DATA_CLASSES


def kubeconfig(name: str, endpoint: str, ca: str, region: str) -> str:
    """A kubeconfig (JSON) for one EKS cluster, authenticating with `aws eks get-token` in ``region``.

    The token is minted with the credentials `pulumi up` runs with (the enclave's deploy role).
    """
    args = ["eks", "get-token", "--cluster-name", name, "--region", region]
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": name, "cluster": {"server": endpoint, "certificate-authority-data": ca}}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "current-context": name,
            "users": [
                {
                    "name": name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": args,
                            "interactiveMode": "Never",
                        }
                    },
                }
            ],
        }
    )


class EnclaveWorkloads(pulumi.ComponentResource):
    """Namespaces, network isolation, quotas, RBAC and the encrypted storage class of one enclave."""

    def __init__(self, name: str, args: EnclaveWorkloadsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveWorkloads", name, None, opts)
        require_zones_in_region(args.zones, args.home_region, f"EnclaveWorkloads {name}", self)
        self._args = args
        config = pulumi.Output.all(args.cluster_name, args.cluster_endpoint, args.cluster_ca).apply(
            lambda v: kubeconfig(v[0], v[1], v[2], args.home_region)
        )
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=config,
            # Objects without a namespace must never land in `default` by accident.
            namespace="enclave-unset",
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._opts = pulumi.ResourceOptions(parent=self, provider=self.provider)
        # Namespaces (restricted pod security, and deleting one deletes its workloads), default-deny network
        # policies and the encrypted storage class are guards: protected (residency/guards.py).
        self._guard = pulumi.ResourceOptions.merge(self._opts, pulumi.ResourceOptions(protect=True))
        self.namespaces: dict[str, k8s.core.v1.Namespace] = {}
        engineer_role = k8s.rbac.v1.ClusterRole(
            f"{name}-engineer",
            metadata={"name": "enclave-engineer"},
            rules=engineer_rules(),
            opts=self._opts,
        )
        operator_role = k8s.rbac.v1.ClusterRole(
            f"{name}-operator",
            metadata={"name": "enclave-operator"},
            rules=operator_rules(),
            opts=self._opts,
        )
        for data_class in args.data_classes:
            ns = self._namespace(name, data_class)
            self._bind(name, ns, data_class, "operators", operator_role, OPERATORS_GROUP)
            # Engineers work only on de-identified data: no binding at all in other namespaces.
            if data_class == "deidentified":
                self._bind(name, ns, data_class, "engineers", engineer_role, ENGINEERS_GROUP)
        self.storage_class = k8s.storage.v1.StorageClass(
            f"{name}-encrypted-gp3",
            **storage_class_fields(args.kms_key_arn, args.zones),
            opts=self._guard,
        )
        self.register_outputs(
            {
                "namespaces": {k: v.metadata.name for k, v in self.namespaces.items()},
                "storage_class": STORAGE_CLASS_NAME,
            }
        )

    def _namespace(self, name: str, data_class: str) -> k8s.core.v1.Namespace:
        ns = k8s.core.v1.Namespace(
            f"{name}-{data_class}",
            metadata={"name": data_class, "labels": namespace_labels(self._args.jurisdiction_id, data_class)},
            opts=self._guard,
        )
        self.namespaces[data_class] = ns
        depends = pulumi.ResourceOptions.merge(self._opts, pulumi.ResourceOptions(depends_on=[ns]))
        for policy_name, spec in network_policies(self._args.vpc_cidr).items():
            k8s.networking.v1.NetworkPolicy(
                f"{name}-{data_class}-{policy_name}",
                metadata=_meta(policy_name, data_class),
                spec=spec,
                opts=pulumi.ResourceOptions.merge(depends, pulumi.ResourceOptions(protect=True)),
            )
        k8s.core.v1.ResourceQuota(
            f"{name}-{data_class}-quota",
            metadata=_meta("enclave-quota", data_class),
            spec=resource_quota(),
            opts=depends,
        )
        k8s.core.v1.LimitRange(
            f"{name}-{data_class}-limits",
            metadata=_meta("enclave-limits", data_class),
            spec=limit_range(),
            opts=depends,
        )
        return ns

    def _bind(
        self,
        name: str,
        ns: k8s.core.v1.Namespace,
        data_class: str,
        who: str,
        role: k8s.rbac.v1.ClusterRole,
        group: str,
    ) -> None:
        role_ref: Any = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role.metadata.name}
        subjects: Any = [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}]
        k8s.rbac.v1.RoleBinding(
            f"{name}-{data_class}-{who}",
            metadata=_meta(f"enclave-{who}", data_class),
            role_ref=role_ref,
            subjects=subjects,
            opts=pulumi.ResourceOptions.merge(self._opts, pulumi.ResourceOptions(depends_on=[ns, role])),
        )


def _meta(name: str, namespace: str) -> Any:
    return {"name": name, "namespace": namespace}
