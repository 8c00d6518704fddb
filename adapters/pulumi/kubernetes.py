"""Kubernetes (pulumi-kubernetes) and EKS properties -> residency facts.

Inputs arrive as the engine sends them: camelCase, the object's fields at the top level (``metadata``,
``spec``; a StorageClass's ``parameters`` and ``allowedTopologies``). Resource-scope extractors judge one
object; program-scope ones (``needs_program=True``) pair a namespace with its NetworkPolicies and a
Kubernetes provider with the EKS clusters the program declares. Unknown values are never swallowed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from adapters.pulumi.kubeconfig import read_kubeconfig
from adapters.pulumi.resources import (
    ProgramIndex,
    ResourceView,
    UnknownValueError,
    extractor,
    get_path,
    items,
    text,
)
from residency.kubernetes_labels import DATA_CLASS_LABEL, JURISDICTION_LABEL, POD_SECURITY_ENFORCE, ZONE_LABEL
from residency.model import ClusterBinding, ControlState, Fact, KeyReference, NamespaceLabels, ZonePinning
from residency.regions import region_from_arn
from residency.rule_ids import (
    EKS_CONTROL_PLANE_LOGS,
    EKS_PRIVATE_ENDPOINT,
    EKS_SECRETS_ENCRYPTED,
    K8S_DEFAULT_DENY_EGRESS,
    K8S_NAMESPACE_RESTRICTED,
    K8S_NO_HOST_ACCESS,
    K8S_NO_INTERNET_EGRESS,
    K8S_STORAGE_ENCRYPTED,
)

NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
PERSISTENT_VOLUME = "kubernetes:core/v1:PersistentVolume"
KUBERNETES_PROVIDER = "pulumi:providers:kubernetes"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
ZONE_KEYS = (ZONE_LABEL, "failure-domain.beta.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone")
# Where each workload kind keeps its pod spec.
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:core/v1:PodTemplate": ("template", "spec"),
    "kubernetes:core/v1:ReplicationController": ("spec", "template", "spec"),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# Private address space: egress here stays inside the enclave network (no internet gateway or NAT exists).
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _meta(view: ResourceView, field: str) -> str | None:
    return text(get_path(view.props, "metadata", field))


def _labels(view: ResourceView) -> Mapping[str, Any]:
    labels = get_path(view.props, "metadata", "labels")
    return labels if isinstance(labels, Mapping) else {}


def _control(control: str, view: ResourceView, satisfied: bool | None, detail: str = "") -> ControlState:
    return ControlState(control, view.urn, view.type, None, satisfied, detail)


@extractor(NAMESPACE)
def namespace_facts(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    labels = _labels(view)
    yield NamespaceLabels(
        view.urn,
        view.type,
        _meta(view, "name"),
        text(labels.get(JURISDICTION_LABEL)),
        text(labels.get(DATA_CLASS_LABEL)),
    )
    enforce = labels.get(POD_SECURITY_ENFORCE)
    yield _control(K8S_NAMESPACE_RESTRICTED, view, enforce == "restricted", f"{POD_SECURITY_ENFORCE}={enforce}")


@extractor(*POD_SPEC_PATHS)
def pod_host_access(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    spec = get_path(view.props, *POD_SPEC_PATHS[view.type])
    if not isinstance(spec, Mapping):
        yield _control(K8S_NO_HOST_ACCESS, view, None, "the pod spec cannot be read")
        return
    found = [f for f in ("hostNetwork", "hostPID", "hostIPC") if spec.get(f) is True]
    found += [f"hostPath volume {v.get('name')}" for v in items(spec.get("volumes")) if v.get("hostPath") is not None]
    for kind in ("initContainers", "containers", "ephemeralContainers"):
        for c in items(spec.get(kind)):
            if get_path(c, "securityContext", "privileged") is True:
                found.append(f"privileged container {c.get('name')}")
    yield _control(K8S_NO_HOST_ACCESS, view, not found, ", ".join(found))


@extractor(NETWORK_POLICY)
def network_policy_egress(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """Every egress destination must be in-cluster (pod/namespace selectors) or private address space."""
    problems: list[str] = []
    for n, rule in enumerate(items(get_path(view.props, "spec", "egress"))):
        peers = items(rule.get("to")) if isinstance(rule, Mapping) else []
        if not peers:
            problems.append(f"egress rule {n} has no `to`: every destination, the internet included")
        for peer in peers:
            cidr = get_path(peer, "ipBlock", "cidr")
            if cidr is not None:
                problems.extend(_public_cidr(n, cidr))
    yield _control(K8S_NO_INTERNET_EGRESS, view, not problems, "; ".join(problems))


def _public_cidr(n: int, cidr: Any) -> list[str]:
    try:
        net = ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        return [f"egress rule {n}: {cidr!r} is not a CIDR"]
    if net.prefixlen == 0:
        return [f"egress rule {n} allows {net} (everywhere)"]
    if not any(net.version == p.version and net.subnet_of(p) for p in PRIVATE_NETWORKS):  # type: ignore[arg-type]
        return [f"egress rule {n} allows {net}, which includes public addresses"]
    return []


@extractor(STORAGE_CLASS)
def storage_class_zones(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    zones: list[str] = []
    for topology in items(view.props.get("allowedTopologies")):
        for expr in items(get_path(topology, "matchLabelExpressions")):
            if expr.get("key") in ZONE_KEYS:
                zones.extend(str(v) for v in items(expr.get("values")))
    yield ZonePinning(view.urn, view.type, tuple(zones))


# Reads a key input (the StorageClass's kmsKeyId, the cluster's keyArn) and where that key is held; a
# program-scope caller resolves a key unknown at preview (adapters.pulumi.preview_keys).
KeyReader = Callable[[], tuple[str | None, str | None]]


def storage_class_key(view: ResourceView) -> tuple[str | None, str | None]:
    params = view.props.get("parameters")
    params = params if isinstance(params, Mapping) else {}
    key = text(params.get("kmsKeyId") or params.get("kmskeyid"))
    return key, region_from_arn(key) if key else None


def storage_class_encryption(view: ResourceView, key_of: KeyReader) -> Iterator[Fact]:
    params = view.props.get("parameters")
    params = params if isinstance(params, Mapping) else {}
    encrypted = str(params.get("encrypted", "")).lower() == "true"
    key, key_region = key_of()
    provisioner = text(view.props.get("provisioner"))
    detail = f"provisioner {provisioner}, encrypted={params.get('encrypted')}, kmsKeyId={key}"
    yield _control(K8S_STORAGE_ENCRYPTED, view, encrypted and key is not None, detail)
    if key is not None:
        yield KeyReference(view.urn, view.type, "StorageClass volume encryption", key, key_region)


@extractor(STORAGE_CLASS, unknowns_resolved_by_program=True)
def storage_class_facts(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    yield from storage_class_encryption(view, lambda: storage_class_key(view))


@extractor(PERSISTENT_VOLUME)
def persistent_volume_facts(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    # A static PV points at an existing volume: its manifest cannot show that volume's encryption.
    yield _control(K8S_STORAGE_ENCRYPTED, view, None, "a static PersistentVolume does not show its volume's encryption")
    zones: list[str] = []
    for term in items(get_path(view.props, "spec", "nodeAffinity", "required", "nodeSelectorTerms")):
        for expr in items(get_path(term, "matchExpressions")):
            if expr.get("key") in ZONE_KEYS and expr.get("operator") == "In":
                zones.extend(str(v) for v in items(expr.get("values")))
    yield ZonePinning(view.urn, view.type, tuple(zones))


@extractor(EKS_CLUSTER)
def eks_cluster_controls(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    vpc = view.props.get("vpcConfig")
    private, public = get_path(vpc, "endpointPrivateAccess"), get_path(vpc, "endpointPublicAccess")
    yield ControlState(
        EKS_PRIVATE_ENDPOINT,
        view.urn,
        view.type,
        view.region,
        private is True and public is False,
        f"endpointPrivateAccess={private}, endpointPublicAccess={public} (public defaults to true when unset)",
    )
    wanted = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
    missing = sorted(wanted - {str(t) for t in items(view.props.get("enabledClusterLogTypes"))})
    yield ControlState(
        EKS_CONTROL_PLANE_LOGS, view.urn, view.type, view.region, not missing, f"missing: {', '.join(missing)}"
    )


def eks_cluster_key(view: ResourceView) -> tuple[str | None, str | None]:
    return text(get_path(view.props.get("encryptionConfig"), "provider", "keyArn")), None


def eks_secrets_encryption(view: ResourceView, key_of: KeyReader) -> Iterator[Fact]:
    covers = "secrets" in [str(r) for r in items(get_path(view.props.get("encryptionConfig"), "resources"))]
    key, _ = key_of()
    yield ControlState(
        EKS_SECRETS_ENCRYPTED, view.urn, view.type, view.region, covers and key is not None, f"key {key}"
    )


# Its own extractor, so that a key unknown at preview hides neither the endpoint nor the logs.
@extractor(EKS_CLUSTER, unknowns_resolved_by_program=True)
def eks_cluster_secrets(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    yield from eks_secrets_encryption(view, lambda: eks_cluster_key(view))


# Program scope ---------------------------------------------------------------------------------------------


def program_views(index: ProgramIndex | None) -> list[ResourceView]:
    """Every resource of the program (the pack's index holds ProgramResources keyed by URN)."""
    if index is None:
        return []
    return [getattr(r, "view", r) for r in index.by_urn.values()]


def _denies_all_egress(policy: ResourceView) -> bool:
    spec = policy.props.get("spec")
    selector = get_path(spec, "podSelector")
    every_pod = (
        isinstance(selector, Mapping) and not selector.get("matchLabels") and not selector.get("matchExpressions")
    )
    types = [str(t) for t in items(get_path(spec, "policyTypes"))]
    return every_pod and "Egress" in types and not items(get_path(spec, "egress"))


@extractor(NAMESPACE, needs_program=True)
def namespace_default_deny(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    name = _meta(view, "name")
    if name is None or index is None:
        why = "the namespace has no explicit name" if name is None else "the program cannot be seen"
        yield _control(K8S_DEFAULT_DENY_EGRESS, view, None, why)
        return
    denying = [
        p.name
        for p in program_views(index)
        if p.type == NETWORK_POLICY and _meta(p, "namespace") == name and _denies_all_egress(p)
    ]
    detail = f"default-deny policy {denying[0]}" if denying else f"no NetworkPolicy denies all egress in {name}"
    yield _control(K8S_DEFAULT_DENY_EGRESS, view, bool(denying), detail)


@extractor(*POD_SPEC_PATHS, needs_program=True)
def workload_namespace(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """A workload outside the program's namespaces runs where no default-deny can be shown."""
    namespace = _meta(view, "namespace") or "default"
    declared = {_meta(v, "name") for v in program_views(index) if v.type == NAMESPACE}
    if namespace not in declared:
        detail = f"runs in namespace {namespace}, which this program does not declare (or isolate)"
        yield _control(K8S_DEFAULT_DENY_EGRESS, view, None, detail)


def _kubeconfig_cluster(view: ResourceView, index: ProgramIndex | None) -> ResourceView | None:
    """The EKS cluster of this program a kubeconfig depends on, when it depends on that one cluster alone."""
    me = index.by_urn.get(view.urn) if index is not None else None
    deps = me.property_dependencies.get("kubeconfig", ()) if me is not None else ()
    clusters: list[ResourceView] = [index.by_urn[u].view for u in deps if index is not None and u in index.by_urn]
    if len(deps) == 1 and len(clusters) == 1 and clusters[0].type == EKS_CLUSTER:
        return clusters[0]
    return None


@extractor(KUBERNETES_PROVIDER, needs_program=True)
def provider_cluster(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """The cluster a Kubernetes provider deploys to: read from its kubeconfig; at preview, a kubeconfig built
    from the outputs of an EKS cluster of this program (unknown until the cluster exists) is that cluster's,
    judged by its declared name and region, as unknown key ARNs are resolved (preview_keys). A kubeconfig that
    depends on anything else stays unknown (raised: UNKNOWN). At ``pulumi up`` the kubeconfig is read."""
    try:
        raw = view.props.get("kubeconfig")
    except UnknownValueError:
        eks = _kubeconfig_cluster(view, index)
        if eks is None:
            raise
        name = text(eks.props.get("name"))
        detail = f"kubeconfig built from EKS cluster {eks.name} of this program (unknown until it exists)"
        yield ClusterBinding(view.urn, view.type, name, eks.region, eks.region, detail)
        return
    if raw is None:
        yield ClusterBinding(view.urn, view.type, None, None, None, "no kubeconfig: the ambient ~/.kube/config decides")
        return
    cluster, region, detail = read_kubeconfig(raw, text(view.props.get("context")), text(view.props.get("cluster")))
    declared = {text(v.props.get("name")): v.region for v in program_views(index) if v.type == EKS_CLUSTER}
    yield ClusterBinding(view.urn, view.type, cluster, region, declared.get(cluster) if cluster else None, detail)


# Kinds a program commonly declares; with no explicit Kubernetes provider in the program they go to the default
# provider, i.e. whatever cluster the deploying machine's kubeconfig names.
_OTHER_KINDS = (
    "core/v1:Service",
    "core/v1:ConfigMap",
    "core/v1:Secret",
    "core/v1:ServiceAccount",
    "core/v1:PersistentVolumeClaim",
    "rbac.authorization.k8s.io/v1:Role",
    "rbac.authorization.k8s.io/v1:RoleBinding",
    "rbac.authorization.k8s.io/v1:ClusterRole",
    "rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "helm.sh/v3:Release",
    "yaml/v2:ConfigGroup",
    "yaml/v2:ConfigFile",
)
COMMON_KINDS = (
    NAMESPACE,
    NETWORK_POLICY,
    STORAGE_CLASS,
    PERSISTENT_VOLUME,
    *POD_SPEC_PATHS,
    *(f"kubernetes:{kind}" for kind in _OTHER_KINDS),
)


@extractor(*COMMON_KINDS, needs_program=True)
def default_provider(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    if not any(v.type == KUBERNETES_PROVIDER for v in program_views(index)):
        detail = "the program declares no Kubernetes provider: the default one uses the ambient ~/.kube/config"
        yield ClusterBinding(view.urn, view.type, None, None, None, detail)
