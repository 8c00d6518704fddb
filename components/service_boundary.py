"""The permissions boundary of the enclave's AWS-service roles: the EKS cluster, its nodes and the EBS CSI driver.

Those roles carry AWS managed policies (components/cluster.py attaches them) that need EC2, ELB, ECR, EKS and
KMS calls the people's boundary never allows. This boundary allows exactly the actions of those managed
policies (kept as dated copies in components/managed_policies/), each only to the role that carries the
policy (``aws:PrincipalArn``); key use only on this account's keys (``aws:ResourceAccount``: KMS names a key on
every call); nothing outside the jurisdiction's regions; no guardrail change; never the jurisdiction tag.
Other resource scoping is left to the managed policies themselves: ECR image pulls reach AWS-owned
registries, and describe calls name no resource, so an account condition there would refuse what EKS needs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from components.boundary import GLOBAL_SERVICE_ACTIONS, GUARDRAIL_ACTIONS
from components.cluster_support import DATA_KEY_ACTIONS
from components.policy import Statement, deny_jurisdiction_tag, document
from components.principals import JURISDICTION_TAG, service_boundary_policy_name
from residency.jurisdictions import Jurisdiction

MANAGED_POLICY_DIR = Path(__file__).resolve().parent / "managed_policies"
# The role (by its key in cluster_support.role_names) -> the managed policies cluster.py attaches to it.
ROLE_MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    "cluster": ("AmazonEKSClusterPolicy",),
    "node": ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"),
    "ebs-csi": ("AmazonEBSCSIDriverPolicy",),
}
# Key use the cluster key's policy grants these roles (secrets envelope encryption, encrypted volumes).
KEY_USE_ACTIONS = [*DATA_KEY_ACTIONS, "kms:CreateGrant"]


@cache
def managed_policy(name: str) -> dict[str, Any]:
    """The dated copy of an AWS managed policy: its file's fields (source, retrieved, policyVersion...)."""
    return dict(json.loads((MANAGED_POLICY_DIR / f"{name}.json").read_text(encoding="utf-8")))


def managed_policy_actions(name: str) -> list[str]:
    """Every action the managed policy allows, plus those its newer versions are known to add."""
    data = managed_policy(name)
    actions: list[str] = list(data.get("addedActions", []))
    for statement in data["policyVersion"]["Document"]["Statement"]:
        if statement["Effect"] == "Allow":
            listed = statement["Action"]
            actions += listed if isinstance(listed, list) else [listed]
    return sorted(set(actions))


def service_boundary_statements(
    jurisdiction: Jurisdiction, account_id: str, role_arns: dict[str, str]
) -> list[Statement]:
    """``role_arns``: role key (cluster, node, ebs-csi) -> that role's ARN."""
    statements: list[Statement] = [
        {
            "Sid": f"ManagedPolicyOf{''.join(part.title() for part in role.split('-'))}",
            "Effect": "Allow",
            "Action": sorted({a for name in names for a in managed_policy_actions(name)}),
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": role_arns[role]}},
        }
        for role, names in ROLE_MANAGED_POLICIES.items()
    ]
    statements += [
        {
            "Sid": "EnclaveKeyUse",
            "Effect": "Allow",
            "Action": KEY_USE_ACTIONS,
            "Resource": "*",
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": [role_arns["cluster"], role_arns["ebs-csi"]]},
                "StringEquals": {"aws:ResourceAccount": account_id},
            },
        },
        {
            "Sid": "DenyOutsideJurisdiction",
            "Effect": "Deny",
            "NotAction": GLOBAL_SERVICE_ACTIONS,
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": jurisdiction.sorted_regions()}},
        },
        {"Sid": "DenyGuardrailChanges", "Effect": "Deny", "Action": GUARDRAIL_ACTIONS, "Resource": "*"},
        deny_jurisdiction_tag(JURISDICTION_TAG),
    ]
    return statements


def service_boundary_policy(
    name: str,
    jurisdiction: Jurisdiction,
    account_id: str,
    role_arns: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.iam.Policy:
    """The boundary policy, protected and retained like the people's boundary (a guard)."""
    return aws.iam.Policy(
        name,
        name=service_boundary_policy_name(jurisdiction.id),
        description=f"Permissions boundary of the {jurisdiction.id} enclave's EKS service roles",
        policy=document(*service_boundary_statements(jurisdiction, account_id, role_arns)),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True, retain_on_delete=True)),
    )
