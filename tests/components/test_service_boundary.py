"""EKS works under its boundary: every action of every AWS managed policy the cluster attaches is allowed.

The managed policies are the dated copies in components/managed_policies/ (source and date in each file);
the boundary is read back from the EKS stacks' plans and judged with the project's IAM evaluator. On main
before issue 10 the EKS roles carried the people's boundary, which refused ec2:CreateNetworkInterface,
ecr:GetAuthorizationToken, ec2:CreateVolume, kms:CreateGrant and more.
"""

from __future__ import annotations

from typing import Any

import pytest

from components.cluster_support import role_names
from components.service_boundary import ROLE_MANAGED_POLICIES, managed_policy, managed_policy_actions
from tests.components import iam_eval
from tests.components.enclave_runs import of_type, shipped_run, stack_config, statements

KUBERNETES_STACKS = ("eu-dublin", "uk-london")
MANAGED_POLICY_MAX = 6_144


@pytest.fixture(params=KUBERNETES_STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _role_arn(stack: str, kind: str) -> str:
    config = stack_config(stack)
    name = role_names(f"enclave-{config['enclave:jurisdiction']}")[kind]
    return f"arn:aws:iam::{config['enclave:accountId']}:role/{name}"


def _boundary_of(stack: str, kind: str) -> list[dict[str, Any]]:
    """The boundary the ``kind`` role actually carries in the plan."""
    run = shipped_run(stack)
    [role] = [
        r for r in of_type(run, "aws:iam/role:Role") if r.inputs.get("name") == _role_arn(stack, kind).split("/")[-1]
    ]
    [policy] = [
        p for p in of_type(run, "aws:iam/policy:Policy") if p.outputs["arn"] == role.inputs["permissionsBoundary"]
    ]
    return statements(policy)


@pytest.mark.parametrize("kind", sorted(ROLE_MANAGED_POLICIES))
def test_every_managed_policy_action_passes_the_boundary(stack: str, kind: str) -> None:
    arn, home = _role_arn(stack, kind), stack_config(stack)["aws:region"]
    boundary = _boundary_of(stack, kind)
    refused = [
        (name, action)
        for name in ROLE_MANAGED_POLICIES[kind]
        for action in managed_policy_actions(name)
        if not iam_eval.allowed([boundary], action, iam_eval.context(arn, home))
    ]
    assert refused == []


def test_key_use_passes_for_the_cluster_and_csi_roles_on_enclave_keys_only(stack: str) -> None:
    home, account = stack_config(stack)["aws:region"], stack_config(stack)["enclave:accountId"]
    for kind in ("cluster", "ebs-csi"):
        boundary, arn = _boundary_of(stack, kind), _role_arn(stack, kind)
        for action in ("kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"):
            ours = iam_eval.context(arn, home, aws__ResourceAccount=account)
            theirs = iam_eval.context(arn, home, aws__ResourceAccount="999999999999")
            assert iam_eval.allowed([boundary], action, ours) and not iam_eval.allowed([boundary], action, theirs)


def test_each_role_gets_only_its_own_policies(stack: str) -> None:
    """The node role cannot create load balancers; the CSI role cannot create network interfaces."""
    home = stack_config(stack)["aws:region"]
    for kind, action in (
        ("node", "elasticloadbalancing:CreateLoadBalancer"),
        ("ebs-csi", "ec2:CreateNetworkInterface"),
    ):
        assert not iam_eval.allowed([_boundary_of(stack, kind)], action, iam_eval.context(_role_arn(stack, kind), home))


def test_nothing_outside_the_jurisdiction_and_no_guardrail_or_tag_change(stack: str) -> None:
    arn = _role_arn(stack, "node")
    boundary = _boundary_of(stack, "node")
    assert iam_eval.denied(boundary, "ec2:DescribeInstances", iam_eval.context(arn, "ap-southeast-1"))
    home = stack_config(stack)["aws:region"]
    assert iam_eval.denied(boundary, "kms:PutKeyPolicy", iam_eval.context(arn, home))
    assert iam_eval.denied(boundary, "iam:TagRole", iam_eval.context(arn, home, aws__TagKeys=["jurisdiction"]))


def test_the_boundary_fits_the_managed_policy_limit(stack: str) -> None:
    run = shipped_run(stack)
    [policy] = [p for p in of_type(run, "aws:iam/policy:Policy") if p.inputs["name"].endswith("-service-boundary")]
    assert len("".join(policy.inputs["policy"].split())) <= MANAGED_POLICY_MAX


@pytest.mark.parametrize("name", sorted({n for names in ROLE_MANAGED_POLICIES.values() for n in names}))
def test_every_managed_policy_copy_is_dated_and_sourced(name: str) -> None:
    data = managed_policy(name)
    assert data["name"] == name and data["arn"].endswith("/" + name)
    assert data["source"].startswith("https://") and data["retrieved"] >= "2026-01-01"
    assert data["policyVersion"]["VersionId"].startswith("v")
    assert data["policyVersion"]["Document"]["Statement"]
