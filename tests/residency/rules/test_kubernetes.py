"""The Kubernetes rules, over facts and over properties (through the adapters, as the pack feeds them)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.pulumi.aws_program import program_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView, facts_for
from residency.jurisdictions import default_catalogue
from residency.model import ClusterBinding, ControlState, Fact, NamespaceLabels, Status, ZonePinning
from residency.regions import effective_region
from residency.rules import RULES_BY_ID, Context
from residency.rules.kubernetes import KUBERNETES_RULES, PROGRAM_RULE_IDS
from tests.residency_pack.cases import Case, Res
from tests.residency_pack.kubernetes_cases import CASES, deployment, eks_cluster, k8s_provider, namespace, policy

CTX = Context(default_catalogue().get("eu"), default_catalogue())
URN = "urn:pulumi:test::enclave::kubernetes:core/v1:Namespace::ns"
NS = "kubernetes:core/v1:Namespace"


def judge(rule_id: str, fact: Fact) -> Status:
    rule = RULES_BY_ID[rule_id]
    assert rule.applies_to(fact)
    return rule.evaluate(fact, CTX).status


def statuses(rule_id: str, case: Case) -> list[Status]:
    """The rule's findings on a program, from the same adapters the policy pack runs."""
    rule = RULES_BY_ID[rule_id]
    program = [
        ProgramResource(ResourceView(r.urn, r.type, r.name, r.props, effective_region(r.props, None, "eu-west-1")))
        for r in case
    ]
    facts = [f for p in program for f in facts_for(p.view)] + program_facts(program)
    return [rule.evaluate(f, CTX).status for f in facts if rule.applies_to(f)]


def test_every_kubernetes_rule_has_cases_and_metadata() -> None:
    assert {r.id for r in KUBERNETES_RULES} == set(CASES)
    assert set(CASES) >= PROGRAM_RULE_IDS
    for rule in KUBERNETES_RULES:
        assert rule.title and rule.description and rule.remediation and rule.references and rule.mandatory


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_failing_program_fails_and_passing_program_passes(rule_id: str) -> None:
    failing, passing = CASES[rule_id]
    assert Status.FAIL in statuses(rule_id, failing) or Status.UNKNOWN in statuses(rule_id, failing)
    passed = statuses(rule_id, passing)
    assert passed and all(s == Status.PASS for s in passed), passed


CONTROL_IDS = sorted(r.id for r in KUBERNETES_RULES if r.check.__name__ == "check_control")


@pytest.mark.parametrize("rule_id", CONTROL_IDS)
@pytest.mark.parametrize(("satisfied", "expected"), [(True, Status.PASS), (False, Status.FAIL), (None, Status.UNKNOWN)])
def test_control_facts(rule_id: str, satisfied: bool | None, expected: Status) -> None:
    assert judge(rule_id, ControlState(rule_id, URN, NS, None, satisfied, "detail")) == expected


@pytest.mark.parametrize(
    ("zones", "expected"),
    [
        (("eu-west-1a", "eu-central-1b"), Status.PASS),
        (("eu-west-1a", "eu-west-2a"), Status.FAIL),  # London is not in the EU
        ((), Status.FAIL),
        (None, Status.UNKNOWN),
        (("euw1-az1",), Status.UNKNOWN),
    ],
)
def test_zone_pinning_facts(zones: tuple[str, ...] | None, expected: Status) -> None:
    assert judge("k8s-storage-zone-pinned", ZonePinning(URN, NS, zones)) == expected


@pytest.mark.parametrize(
    ("jurisdiction", "data_class", "expected"),
    [
        ("eu", "user-data", Status.PASS),
        ("uk", "user-data", Status.FAIL),
        (None, "user-data", Status.FAIL),
        ("eu", None, Status.FAIL),
        ("eu", "misc", Status.FAIL),
    ],
)
def test_namespace_label_facts(jurisdiction: str | None, data_class: str | None, expected: Status) -> None:
    assert judge("k8s-namespace-classified", NamespaceLabels(URN, NS, "ns", jurisdiction, data_class)) == expected


@pytest.mark.parametrize(
    ("region", "declared", "expected"),
    [
        ("eu-west-1", "eu-west-1", Status.PASS),
        ("us-east-1", "us-east-1", Status.FAIL),
        ("eu-west-1", None, Status.UNKNOWN),  # not the program's own cluster
        ("eu-west-1", "eu-central-1", Status.FAIL),
        (None, None, Status.UNKNOWN),
    ],
)
def test_cluster_binding_facts(region: str | None, declared: str | None, expected: Status) -> None:
    fact = ClusterBinding(URN, "pulumi:providers:kubernetes", "enclave-eu", region, declared)
    assert judge("k8s-cluster-in-enclave", fact) == expected


def _egress(*rules: dict[str, Any]) -> Res:
    return policy("out", "user-data", {"podSelector": {}, "policyTypes": ["Egress"], "egress": list(rules)})


@pytest.mark.parametrize(
    ("egress", "expected"),
    [
        ({"ports": [{"port": 443}]}, Status.FAIL),  # no `to`: every destination
        ({"to": [{"ipBlock": {"cidr": "::/0"}}]}, Status.FAIL),
        ({"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}, Status.FAIL),
        ({"to": [{"ipBlock": {"cidr": "52.94.0.0/16"}}]}, Status.FAIL),  # public AWS range
        ({"to": [{"ipBlock": {"cidr": "not-a-cidr"}}]}, Status.FAIL),
        ({"to": [{"namespaceSelector": {}}]}, Status.PASS),
        ({"to": [{"ipBlock": {"cidr": "fd00::/64"}}]}, Status.PASS),
    ],
)
def test_egress_destinations(egress: dict[str, Any], expected: Status) -> None:
    assert statuses("k8s-no-internet-egress", [_egress(egress)]) == [expected]


@pytest.mark.parametrize(
    "pod_spec",
    [
        {"hostPID": True},
        {"volumes": [{"name": "root", "hostPath": {"path": "/"}}]},
        {"initContainers": [{"name": "init", "image": "x", "securityContext": {"privileged": True}}]},
    ],
)
def test_host_access_in_any_form_fails(pod_spec: dict[str, Any]) -> None:
    assert statuses("k8s-no-host-access", [deployment(pod_spec)]) == [Status.FAIL]


def test_cronjob_pod_templates_are_read() -> None:
    spec = {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": True}}]}
    cron = Res("kubernetes:batch/v1:CronJob", "cron", {"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}})
    assert statuses("k8s-no-host-access", [cron]) == [Status.FAIL]
    assert statuses("k8s-no-host-access", [Res("kubernetes:core/v1:Pod", "p", {})]) == [Status.UNKNOWN]


def test_static_persistent_volumes_are_unknown_for_encryption_and_judged_for_zones() -> None:
    affinity = {
        "required": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["eu-west-1a"]}
                    ]
                }
            ]
        }
    }
    pv = Res("kubernetes:core/v1:PersistentVolume", "pv", {"spec": {"nodeAffinity": affinity}})
    assert statuses("k8s-storage-encrypted", [pv]) == [Status.UNKNOWN]
    assert statuses("k8s-storage-zone-pinned", [pv]) == [Status.PASS]
    assert statuses("k8s-storage-zone-pinned", [Res(pv.type, "pv", {"spec": {}})]) == [Status.FAIL]


def test_a_storage_class_key_from_abroad_fails_key_custody() -> None:
    key_us = "arn:aws:kms:us-east-1:111122223333:key/abc"
    sc = Res(
        "kubernetes:storage.k8s.io/v1:StorageClass", "sc", {"parameters": {"encrypted": "true", "kmsKeyId": key_us}}
    )
    assert statuses("key-custody", [sc]) == [Status.FAIL]


def test_namespace_without_explicit_name_cannot_be_matched_to_its_policies() -> None:
    unnamed = Res(NS, "auto", {"metadata": {"labels": {}}})
    assert statuses("k8s-default-deny-egress", [unnamed]) == [Status.UNKNOWN]
    deny_in_other = policy("deny", "elsewhere", {"podSelector": {}, "policyTypes": ["Egress"]})
    assert statuses("k8s-default-deny-egress", [namespace("user-data"), deny_in_other]) == [Status.FAIL]
    selective = policy("deny", "user-data", {"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"]})
    assert statuses("k8s-default-deny-egress", [namespace("user-data"), selective]) == [Status.FAIL]


def test_workloads_outside_the_programs_namespaces_are_unknown() -> None:
    # deployment() runs in user-data: declared and isolated, so only the namespace's own finding appears.
    isolated = [namespace("user-data"), policy("deny", "user-data", {"podSelector": {}, "policyTypes": ["Egress"]})]
    assert statuses("k8s-default-deny-egress", [*isolated, deployment({})]) == [Status.PASS]
    assert statuses("k8s-default-deny-egress", [deployment({})]) == [Status.UNKNOWN]


def test_kubernetes_objects_without_an_explicit_provider_are_unknown() -> None:
    assert statuses("k8s-cluster-in-enclave", [namespace("user-data")]) == [Status.UNKNOWN]
    with_provider = [eks_cluster(), k8s_provider("enclave-eu", "eu-west-1"), namespace("user-data")]
    assert statuses("k8s-cluster-in-enclave", with_provider) == [Status.PASS]


@pytest.mark.parametrize(
    "kubeconfig",
    [None, "{not yaml: [", '{"current-context": "missing", "contexts": []}'],
)
def test_unreadable_kubeconfigs_are_unknown(kubeconfig: str | None) -> None:
    provider = Res("pulumi:providers:kubernetes", "k8s", {} if kubeconfig is None else {"kubeconfig": kubeconfig})
    assert statuses("k8s-cluster-in-enclave", [eks_cluster(), provider]) == [Status.UNKNOWN]


def test_token_region_and_endpoint_region_must_agree() -> None:
    provider = k8s_provider("enclave-eu", "eu-west-1")
    provider.props["kubeconfig"] = provider.props["kubeconfig"].replace("gr7.eu-west-1", "gr7.us-east-1")
    assert statuses("k8s-cluster-in-enclave", [eks_cluster(), provider]) == [Status.UNKNOWN]


def test_eks_cluster_in_another_region_is_not_the_enclaves() -> None:
    case = [eks_cluster(region="eu-central-1"), k8s_provider("enclave-eu", "eu-west-1")]
    assert statuses("k8s-cluster-in-enclave", case) == [Status.FAIL]
