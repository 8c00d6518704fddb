"""EnclaveWorkloads: labelled restricted namespaces, default-deny networking, RBAC and pinned storage."""

from __future__ import annotations

import json

import pytest

from components.guard import PlacementError
from components.workloads import EnclaveWorkloads, EnclaveWorkloadsArgs
from tests.components.enclave_runs import of_type, shipped_run
from tests.components.kubernetes_harness import KEY_ARN, REGION, Registered, capture

CIDR = "10.10.0.0/16"
ZONES = ["eu-west-1a", "eu-west-1b"]
ENDPOINT = f"https://0123456789ABCDEF.gr7.{REGION}.eks.amazonaws.com"
NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


def workloads_args(zones: list[str] = ZONES) -> EnclaveWorkloadsArgs:
    return EnclaveWorkloadsArgs(
        jurisdiction_id="eu",
        home_region=REGION,
        cluster_name="enclave-eu",
        cluster_endpoint=ENDPOINT,
        cluster_ca="Q0E=",
        vpc_cidr=CIDR,
        kms_key_arn=KEY_ARN,
        zones=zones,
    )


@pytest.fixture(scope="module")
def registered() -> list[Registered]:
    return capture(lambda: EnclaveWorkloads("wl", workloads_args()))


def of(registered: list[Registered], token: str) -> list[Registered]:
    return [r for r in registered if r.type == token]


def in_namespace(registered: list[Registered], token: str, namespace: str) -> dict[str, Registered]:
    return {
        r.inputs["metadata"]["name"]: r for r in of(registered, token) if r.inputs["metadata"]["namespace"] == namespace
    }


def test_the_provider_targets_the_enclave_cluster_only(registered: list[Registered]) -> None:
    (provider,) = of(registered, "pulumi:providers:kubernetes")
    config = json.loads(provider.inputs["kubeconfig"])
    assert config["clusters"][0]["cluster"]["server"] == ENDPOINT
    assert config["users"][0]["user"]["exec"]["args"] == [
        "eks", "get-token", "--cluster-name", "enclave-eu", "--region", REGION,
    ]  # fmt: skip
    assert provider.inputs["namespace"] == "enclave-unset"  # no silent landing in `default`
    kube_objects = [r for r in registered if r.type.startswith("kubernetes:")]
    assert kube_objects and all(r.provider.startswith(provider.urn) for r in kube_objects)


def test_every_namespace_is_labelled_and_enforces_restricted(registered: list[Registered]) -> None:
    namespaces = {
        r.inputs["metadata"]["name"]: r.inputs["metadata"]["labels"]
        for r in of(registered, "kubernetes:core/v1:Namespace")
    }
    assert set(namespaces) == {"user-data", "deidentified", "platform"}
    for name, labels in namespaces.items():
        assert labels["enclave.io/jurisdiction"] == "eu" and labels["enclave.io/data-class"] == name
        for mode in ("enforce", "audit", "warn"):
            assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"


@pytest.mark.parametrize("namespace", ["user-data", "deidentified", "platform"])
def test_every_namespace_denies_by_default_and_allows_only_dns_endpoints_and_itself(
    registered: list[Registered], namespace: str
) -> None:
    policies = {name: r.inputs["spec"] for name, r in in_namespace(registered, NETPOL, namespace).items()}
    assert policies["default-deny-all"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    dns = policies["allow-dns"]["egress"][0]
    assert {(p["protocol"], p["port"]) for p in dns["ports"]} == {("UDP", 53), ("TCP", 53)}
    assert dns["to"][0]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "kube-system"}
    endpoints = policies["allow-vpc-endpoints"]["egress"]
    assert endpoints == [{"to": [{"ipBlock": {"cidr": CIDR}}], "ports": [{"protocol": "TCP", "port": 443}]}]
    assert policies["allow-same-namespace"]["egress"] == [{"to": [{"podSelector": {}}]}]
    assert set(policies) == {"default-deny-all", "allow-dns", "allow-vpc-endpoints", "allow-same-namespace"}


@pytest.mark.parametrize("namespace", ["user-data", "deidentified", "platform"])
def test_every_namespace_has_a_quota_forbidding_exposure_and_a_limit_range(
    registered: list[Registered], namespace: str
) -> None:
    (quota,) = in_namespace(registered, "kubernetes:core/v1:ResourceQuota", namespace).values()
    assert quota.inputs["spec"]["hard"]["services.loadbalancers"] == "0"
    assert quota.inputs["spec"]["hard"]["services.nodeports"] == "0"
    assert in_namespace(registered, "kubernetes:core/v1:LimitRange", namespace)


def test_engineers_are_bound_only_where_data_is_deidentified(registered: list[Registered]) -> None:
    bindings = [
        (r.inputs["metadata"]["namespace"], r.inputs["subjects"][0]["name"], r.inputs["roleRef"]["name"])
        for r in of(registered, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
    ]
    assert sorted(bindings) == [
        ("deidentified", "enclave-engineers", "enclave-engineer"),
        ("deidentified", "enclave-operators", "enclave-operator"),
        ("platform", "enclave-operators", "enclave-operator"),
        ("user-data", "enclave-operators", "enclave-operator"),
    ]


def test_the_engineer_role_grants_no_secrets_exec_or_wildcards(registered: list[Registered]) -> None:
    roles = {
        r.inputs["metadata"]["name"]: r.inputs["rules"]
        for r in of(registered, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")
    }
    engineer = {res for rule in roles["enclave-engineer"] for res in rule["resources"]}
    assert not engineer & {"secrets", "pods/exec", "pods/attach", "pods/portforward", "*"}
    operator = {res for rule in roles["enclave-operator"] for res in rule["resources"]}
    assert {"secrets", "pods/exec", "deployments"} <= operator
    assert all("*" not in rule["verbs"] for rules in roles.values() for rule in rules)


def test_the_storage_class_is_encrypted_and_pinned_to_the_enclave_zones(registered: list[Registered]) -> None:
    (sc,) = of(registered, "kubernetes:storage.k8s.io/v1:StorageClass")
    assert sc.inputs["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert sc.inputs["provisioner"] == "ebs.csi.aws.com"
    assert sc.inputs["parameters"] == {"type": "gp3", "encrypted": "true", "kmsKeyId": KEY_ARN}
    assert sc.inputs["allowedTopologies"] == [
        {"matchLabelExpressions": [{"key": "topology.kubernetes.io/zone", "values": ZONES}]}
    ]
    assert sc.inputs["volumeBindingMode"] == "WaitForFirstConsumer" and sc.inputs["reclaimPolicy"] == "Retain"


def test_zones_outside_the_home_region_are_refused() -> None:
    with pytest.raises(PlacementError, match=r"zones \['us-east-1a'\] are not in eu-west-1"):
        capture(lambda: EnclaveWorkloads("wl", workloads_args(["eu-west-1a", "us-east-1a"])))


def test_the_shipped_storage_class_uses_the_clusters_own_key() -> None:
    run = shipped_run("eu-dublin")
    (sc,) = of_type(run, "kubernetes:storage.k8s.io/v1:StorageClass")
    (cluster,) = of_type(run, "aws:eks/cluster:Cluster")
    assert sc.inputs["parameters"]["kmsKeyId"] == cluster.inputs["encryptionConfig"]["provider"]["keyArn"]
    zones = sc.inputs["allowedTopologies"][0]["matchLabelExpressions"][0]["values"]
    assert len(zones) >= 2 and all(z.startswith("eu-west-1") for z in zones)
