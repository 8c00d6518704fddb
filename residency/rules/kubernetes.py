"""Kubernetes and EKS: the rings carried into the cluster where user data is processed.

Control rules (``ControlState`` facts, judged by ``check_control``) cover what a manifest shows on its own
or with its namespace: default-deny egress, no egress to the internet, no host access, Pod Security
`restricted`, encrypted storage, and the EKS cluster's private endpoint, secrets encryption and logs.
Three rules need the jurisdiction: namespace labels, zone pinning and the cluster a provider targets.
"""

from __future__ import annotations

from residency.kubernetes_labels import DATA_CLASS_LABEL, DATA_CLASSES, JURISDICTION_LABEL, POD_SECURITY_ENFORCE
from residency.model import (
    Category,
    ClusterBinding,
    Fact,
    Finding,
    NamespaceLabels,
    Severity,
    Status,
    ZonePinning,
)
from residency.regions import zone_region
from residency.rule_ids import (
    EKS_CONTROL_PLANE_LOGS,
    EKS_PRIVATE_ENDPOINT,
    EKS_SECRETS_ENCRYPTED,
    K8S_CLUSTER_IN_ENCLAVE,
    K8S_DEFAULT_DENY_EGRESS,
    K8S_NAMESPACE_CLASSIFIED,
    K8S_NAMESPACE_RESTRICTED,
    K8S_NO_HOST_ACCESS,
    K8S_NO_INTERNET_EGRESS,
    K8S_STORAGE_ENCRYPTED,
    K8S_STORAGE_ZONE_PINNED,
)
from residency.rules.base import Context, Rule, Scope
from residency.rules.controls import control_rule

_REFS = ("GDPR Art. 32 (security of processing)", "UK GDPR Art. 32", "CIS Amazon EKS Benchmark")
_RESIDENCY_REFS = ("GDPR Art. 44-49", "UK GDPR Art. 44-49", "DPDP Act 2023 s.16")


def check_zone_pinning(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, ZonePinning)
    j = ctx.jurisdiction
    if fact.zones is None:
        return Finding(rule.id, Status.UNKNOWN, fact.resource, None, "the allowed zones cannot be read")
    if not fact.zones:
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            None,
            f"{fact.resource_type} is not pinned to zones; volumes may be created in any zone the cluster reaches",
        )
    regions = {z: zone_region(z) for z in fact.zones}
    unknown = sorted(z for z, r in regions.items() if r is None)
    if unknown:
        return Finding(rule.id, Status.UNKNOWN, fact.resource, None, f"zones {unknown} are not AWS zone names")
    outside = sorted(z for z, r in regions.items() if r is not None and not j.allows(r))
    if outside:
        return Finding(rule.id, Status.FAIL, fact.resource, None, f"zones {outside} are outside {j.name}")
    region = sorted({r for r in regions.values() if r})[0]
    return Finding(rule.id, Status.PASS, fact.resource, region, f"pinned to {', '.join(fact.zones)} in {j.name}")


def check_namespace_labels(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, NamespaceLabels)
    j = ctx.jurisdiction
    name = fact.namespace or fact.resource
    if fact.jurisdiction != j.id:
        label = "no jurisdiction label" if fact.jurisdiction is None else f"jurisdiction label {fact.jurisdiction!r}"
        return Finding(rule.id, Status.FAIL, fact.resource, None, f"namespace {name} has {label}; expected {j.id!r}")
    if fact.data_class not in DATA_CLASSES:
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            None,
            f"namespace {name} has data class {fact.data_class!r}; allowed: {', '.join(DATA_CLASSES)}",
        )
    return Finding(rule.id, Status.PASS, fact.resource, None, f"namespace {name}: {j.id}, {fact.data_class}")


def check_cluster_binding(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    assert isinstance(fact, ClusterBinding)
    j = ctx.jurisdiction
    cluster = fact.cluster or "(unnamed)"
    detail = f" ({fact.detail})" if fact.detail else ""
    if fact.region is None:
        return Finding(
            rule.id, Status.UNKNOWN, fact.resource, None, f"the target cluster's region cannot be read{detail}"
        )
    if not j.allows(fact.region):
        return Finding(
            rule.id, Status.FAIL, fact.resource, fact.region, f"cluster {cluster} is in {fact.region}, outside {j.name}"
        )
    if fact.declared_region is None:
        return Finding(
            rule.id,
            Status.UNKNOWN,
            fact.resource,
            fact.region,
            f"cluster {cluster} is not declared in this program; it cannot be shown to be the enclave's cluster",
        )
    if fact.declared_region != fact.region:
        return Finding(
            rule.id,
            Status.FAIL,
            fact.resource,
            fact.region,
            f"the provider targets {fact.region} but cluster {cluster} is declared in {fact.declared_region}",
        )
    return Finding(rule.id, Status.PASS, fact.resource, fact.region, f"targets the enclave's cluster {cluster}")


def _control(
    control: str,
    title: str,
    description: str,
    category: Category,
    severity: Severity,
    fix: str,
    scope: Scope = Scope.RESOURCE,
) -> Rule:
    return control_rule(control, title, description, category, severity, fix, _REFS, scope)


KUBERNETES_RULES: tuple[Rule, ...] = (
    _control(
        K8S_DEFAULT_DENY_EGRESS,
        "Namespaces deny egress by default",
        "Every namespace the program declares (user-data namespaces first of all) has a NetworkPolicy selecting "
        "all pods with policyTypes Egress and no egress rule, so only explicitly allowed traffic leaves a pod.",
        Category.NETWORK,
        Severity.HIGH,
        "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] to the namespace.",
        Scope.PROGRAM,  # a namespace and the policies that isolate it
    ),
    _control(
        K8S_NO_INTERNET_EGRESS,
        "NetworkPolicies never open egress to the internet",
        "No NetworkPolicy (in a user-data namespace or any other) allows egress to every destination (an egress "
        "rule without `to`, an ipBlock of 0.0.0.0/0 or ::/0) or to any address outside private address space.",
        Category.NETWORK,
        Severity.CRITICAL,
        "Allow egress only to pods, namespaces, or ipBlocks inside the enclave VPC's private CIDR.",
    ),
    _control(
        K8S_NO_HOST_ACCESS,
        "Pods do not reach into their node",
        "No pod or pod template uses hostNetwork, hostPID, hostIPC, hostPath volumes or privileged containers.",
        Category.ACCESS,
        Severity.HIGH,
        "Remove hostNetwork/hostPID/hostIPC, hostPath volumes and privileged: true; use PVCs on the enclave StorageClass.",
    ),
    _control(
        K8S_NAMESPACE_RESTRICTED,
        "Namespaces enforce Pod Security `restricted`",
        f"Every namespace carries {POD_SECURITY_ENFORCE}=restricted.",
        Category.ACCESS,
        Severity.HIGH,
        f"Label the namespace {POD_SECURITY_ENFORCE}: restricted (and audit/warn).",
    ),
    _control(
        K8S_STORAGE_ENCRYPTED,
        "Kubernetes volumes are encrypted with a customer-managed key",
        "StorageClasses provision EBS volumes with encrypted=true and an explicit kmsKeyId; statically "
        "declared PersistentVolumes cannot show their volume's encryption and are UNKNOWN.",
        Category.ENCRYPTION,
        Severity.HIGH,
        "Use provisioner ebs.csi.aws.com with parameters encrypted: 'true' and kmsKeyId: the enclave key ARN.",
        Scope.PROGRAM,  # the key is often created in the same program (unknown at preview, resolved there)
    ),
    _control(
        EKS_PRIVATE_ENDPOINT,
        "The EKS API endpoint is private only",
        "The cluster's endpointPrivateAccess is true and endpointPublicAccess is false.",
        Category.NETWORK,
        Severity.CRITICAL,
        "Set vpcConfig.endpointPublicAccess=false and endpointPrivateAccess=true.",
    ),
    _control(
        EKS_SECRETS_ENCRYPTED,
        "EKS secrets are envelope-encrypted with a customer-managed key",
        "The cluster's encryptionConfig covers `secrets` with a KMS key (its custody is judged by key-custody).",
        Category.ENCRYPTION,
        Severity.HIGH,
        "Add encryptionConfig {resources: [secrets], provider: {keyArn: <enclave key>}}.",
        Scope.PROGRAM,  # the key is often created in the same program (unknown at preview, resolved there)
    ),
    _control(
        EKS_CONTROL_PLANE_LOGS,
        "EKS control-plane logs are all enabled",
        "enabledClusterLogTypes contains api, audit, authenticator, controllerManager and scheduler.",
        Category.OVERSIGHT,
        Severity.MEDIUM,
        "Set enabledClusterLogTypes to all five types and pre-create /aws/eks/<name>/cluster encrypted.",
    ),
    Rule(
        id=K8S_NAMESPACE_CLASSIFIED,
        title="Namespaces are labelled with the jurisdiction and data class",
        description=f"Every namespace carries {JURISDICTION_LABEL}=<this jurisdiction> and "
        f"{DATA_CLASS_LABEL} (one of {', '.join(DATA_CLASSES)}).",
        # Labels record accountability (whose data, which class); they do not place anything.
        category=Category.OVERSIGHT,
        severity=Severity.MEDIUM,
        remediation=(f"Label the namespace {JURISDICTION_LABEL} and {DATA_CLASS_LABEL}.",),
        references=_RESIDENCY_REFS,
        applies_to=lambda fact: isinstance(fact, NamespaceLabels),
        judges=((NamespaceLabels, None),),
        check=check_namespace_labels,
    ),
    Rule(
        id=K8S_STORAGE_ZONE_PINNED,
        title="Kubernetes volumes are pinned to the jurisdiction's zones",
        description="StorageClass allowedTopologies and PersistentVolume nodeAffinity name only zones of the "
        "jurisdiction's regions.",
        category=Category.RESIDENCY,
        severity=Severity.HIGH,
        remediation=(
            "Set allowedTopologies (StorageClass) or nodeAffinity (PersistentVolume) on topology.kubernetes.io/zone "
            "to the enclave's zones.",
        ),
        references=_RESIDENCY_REFS,
        applies_to=lambda fact: isinstance(fact, ZonePinning),
        judges=((ZonePinning, None),),
        check=check_zone_pinning,
    ),
    Rule(
        id=K8S_CLUSTER_IN_ENCLAVE,
        title="Kubernetes objects go to the enclave's own cluster",
        description="Every Kubernetes provider's kubeconfig targets an EKS cluster declared in the same program, "
        "in the jurisdiction; a provider without a kubeconfig (ambient ~/.kube/config) fails.",
        category=Category.RESIDENCY,
        severity=Severity.CRITICAL,
        remediation=(
            "Build the Kubernetes provider's kubeconfig from the enclave's EKS cluster (EnclaveWorkloads does).",
            "A program that deploys into an existing enclave cluster needs a recorded exemption naming it.",
        ),
        references=_RESIDENCY_REFS,
        applies_to=lambda fact: isinstance(fact, ClusterBinding),
        judges=((ClusterBinding, None),),
        check=check_cluster_binding,
        scope=Scope.PROGRAM,  # a provider and the EKS cluster the program declares
    ),
)
# Rules whose facts only the whole program shows.
PROGRAM_RULE_IDS = frozenset(r.id for r in KUBERNETES_RULES if r.scope is Scope.PROGRAM)
