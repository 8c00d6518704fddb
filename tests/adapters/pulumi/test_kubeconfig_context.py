"""The Kubernetes provider's `context` and `cluster` inputs decide which cluster it deploys to, as they do
for the provider itself: a kubeconfig whose current context is the enclave's does not hide another one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.pulumi.aws_program import program_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView, facts_for
from components.workloads import kubeconfig
from residency.jurisdictions import default_catalogue
from residency.model import Status
from residency.rules import RULES_BY_ID, Context
from tests.residency_pack.cases import Res
from tests.residency_pack.kubernetes_cases import ENDPOINT, K8S_PROVIDER, eks_cluster

CTX = Context(default_catalogue().get("eu"), default_catalogue())


def _two_clusters() -> str:
    """A kubeconfig whose current context is the EU enclave's, with a US cluster's context beside it."""
    eu = json.loads(kubeconfig("enclave-eu", ENDPOINT.format(region="eu-west-1"), "Q0E=", "eu-west-1"))
    us = json.loads(kubeconfig("shared-us", ENDPOINT.format(region="us-east-1"), "Q0E=", "us-east-1"))
    for key in ("clusters", "contexts", "users"):
        eu[key] += us[key]
    return json.dumps(eu)


def _statuses(provider_props: dict[str, Any]) -> list[Status]:
    rule = RULES_BY_ID["k8s-cluster-in-enclave"]
    case = [eks_cluster(), eks_cluster("shared-us", region="us-east-1"), Res(K8S_PROVIDER, "k8s", provider_props)]
    program = [
        ProgramResource(ResourceView(r.urn, r.type, r.name, r.props, r.props.get("region") or "eu-west-1"))
        for r in case
    ]
    facts = [f for p in program for f in facts_for(p.view)] + program_facts(program)
    return [rule.evaluate(f, CTX).status for f in facts if rule.applies_to(f)]


def test_the_current_context_decides_when_the_provider_names_none() -> None:
    assert _statuses({"kubeconfig": _two_clusters()}) == [Status.PASS]


def test_a_context_input_that_picks_the_us_cluster_fails() -> None:
    assert _statuses({"kubeconfig": _two_clusters(), "context": "shared-us"}) == [Status.FAIL]


@pytest.mark.parametrize(
    "props",
    [
        {"context": "nowhere"},  # a context the kubeconfig does not have
        {"cluster": "shared-us"},  # the EU context's credentials against the US cluster's endpoint
        {"cluster": "nowhere"},
    ],
)
def test_a_context_or_cluster_input_that_cannot_be_followed_is_unknown(props: dict[str, str]) -> None:
    assert _statuses({"kubeconfig": _two_clusters(), **props}) == [Status.UNKNOWN]
