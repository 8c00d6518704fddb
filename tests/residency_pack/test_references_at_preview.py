"""References unknown at preview, resolved through the program (adapters.pulumi.preview_references).

An EventBridge target's ``arn: topic.arn`` is unknown until the topic exists; the engine says the property
depends on the topic. A reference that depends on resources of the program alone names one of them, and
each is judged itself: nothing blocks. A reference that depends on a stack reference (another stack's
output) or on nothing the pack can judge stays UNKNOWN; a document that grants principals is never resolved
through its dependencies. A Kubernetes provider whose kubeconfig is built from an EKS cluster of the program
is bound to that cluster at preview.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from residency.finding_wire import decode
from tests.residency_pack.cases import Res
from tests.residency_pack.direct import Diag, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
TOPIC = "aws:sns/topic:Topic"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
RULE = "aws:cloudwatch/eventRule:EventRule"
STACK_REFERENCE = "pulumi:pulumi:StackReference"


AWS = Res("pulumi:providers:aws", "aws", {"region": "eu-west-1"})
K8S_PROVIDER = "pulumi:providers:kubernetes"


def _blocking(case: list[Res], governance: Path) -> list[Diag]:
    """Mandatory findings; every resource deployed by the stack's aws provider (as the engine gives each one a
    provider), protected as an enclave program's stores are."""
    protected = [
        AWS,
        *(dataclasses.replace(r, protect=True, provider=None if r.type.startswith("pulumi:") else "aws") for r in case),
    ]
    diags = run_direct(protected, {"residency-context": {"governanceDir": str(governance)}})
    assert not [d for d in diags if "can't run policy" in d.message], diags
    return [d for d in diags if d.level == "mandatory"]


def _unknowns(diags: list[Diag]) -> set[str | None]:
    return {f.unknown for f in (decode(d.message) for d in diags) if f is not None}


def _target(deps: list[str], *extra: Res) -> list[Res]:
    """A rule whose target's ``arn`` is unknown at preview and depends on ``deps`` (names)."""
    return [
        *extra,
        Res(RULE, "alarm", {"name": "alarm", "eventPattern": '{"source": ["aws.sts"]}'}),
        Res(TARGET, "alarm-target", {"rule": "alarm", "arn": UNKNOWN_STRING_VALUE}, deps={"arn": deps, "rule": []}),
    ]


def _topic(**props: str) -> Res:
    # At AnalyzeStack a created resource's own ARN is unknown too (an output AWS computes).
    return Res(TOPIC, "alarms", {"name": "alarms-1234567", **props}, outputs={"arn": UNKNOWN_STRING_VALUE})


def test_a_reference_to_a_resource_of_the_program_passes_at_preview(governance: Path) -> None:
    assert _blocking(_target(["alarms"], _topic()), governance) == []


def test_the_referenced_resource_is_judged_itself(governance: Path) -> None:
    diags = _blocking(_target(["alarms"], _topic(region="us-east-1")), governance)
    assert {(d.policy, d.urn.rsplit("::", 1)[-1]) for d in diags} == {("residency-location", "alarms")}


def test_a_reference_to_another_stacks_output_blocks(governance: Path) -> None:
    other = Res(STACK_REFERENCE, "shared", {"name": "org/shared/prod"}, outputs={"outputs": UNKNOWN_STRING_VALUE})
    diags = _blocking(_target(["shared"], other), governance)
    assert diags and ".arn" in _unknowns(diags)


def test_a_reference_mixing_the_program_and_another_stack_blocks(governance: Path) -> None:
    other = Res(STACK_REFERENCE, "shared", {"name": "org/shared/prod"}, outputs={"outputs": UNKNOWN_STRING_VALUE})
    diags = _blocking(_target(["alarms", "shared"], _topic(), other), governance)
    assert diags and ".arn" in _unknowns(diags)


def test_an_unknown_topic_policy_is_not_resolved_through_its_dependencies(governance: Path) -> None:
    policy = Res(
        "aws:sns/topicPolicy:TopicPolicy",
        "alarms-policy",
        {"arn": UNKNOWN_STRING_VALUE, "policy": UNKNOWN_STRING_VALUE},
        deps={"arn": ["alarms"], "policy": ["alarms"]},
    )
    diags = _blocking([_topic(), policy], governance)
    assert {(d.policy, d.urn.rsplit("::", 1)[-1]) for d in diags} == {("residency-location", "alarms-policy")}
    assert _unknowns(diags) == {".policy"}


EKS = "aws:eks/cluster:Cluster"


def _cluster_provider(region: str | None, deps: list[str]) -> list[Res]:
    props = {"name": "enclave-eu", "roleArn": "arn:aws:iam::111111111111:role/eks", "vpcConfig": {}}
    eks = Res(EKS, "eks", {**props, **({"region": region} if region else {})}, outputs={"arn": UNKNOWN_STRING_VALUE})
    provider = Res(K8S_PROVIDER, "k8s", {"kubeconfig": UNKNOWN_STRING_VALUE}, deps={"kubeconfig": deps})
    return [eks, provider]


def _cluster_findings(case: list[Res], governance: Path) -> list[Diag]:
    return [d for d in _blocking(case, governance) if d.policy == "k8s-cluster-in-enclave"]


def test_a_kubeconfig_built_from_the_programs_cluster_is_that_cluster(governance: Path) -> None:
    assert _cluster_findings(_cluster_provider(None, ["eks"]), governance) == []


def test_a_kubeconfig_of_the_programs_cluster_outside_the_jurisdiction_fails(governance: Path) -> None:
    diags = _cluster_findings(_cluster_provider("us-east-1", ["eks"]), governance)
    assert [d.status for d in diags] == ["FAIL"]


def test_a_kubeconfig_from_anything_else_stays_unknown(governance: Path) -> None:
    other = Res(STACK_REFERENCE, "shared", {"name": "org/shared/prod"}, outputs={"outputs": UNKNOWN_STRING_VALUE})
    diags = _cluster_findings([*_cluster_provider(None, ["eks", "shared"]), other], governance)
    assert diags and _unknowns(diags) == {".kubeconfig"}
