"""Data Lifecycle Manager policies -> Placement and Transfer (cross-region snapshot/AMI copy) facts.

Three places name a copy target: a schedule's ``CrossRegionCopyRules[].Target`` (or the older
``TargetRegion``), an event-based policy's ``Actions[].CrossRegionCopy[].Target``, and a default
policy's ``CrossRegionCopyTargets[].TargetRegion``. A target is a
region code or an Outpost ARN, whose region field is the Outpost's region. Disabled policies are reported
too: they copy nothing today but can be switched on without review (as for S3 replication rules).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.regions import region_of
from residency.rule_ids import transfer_rule_id

POLICY = "AWS::DLM::LifecyclePolicy"
RULE = transfer_rule_id(Vector.DLM_CROSS_REGION_COPY)

PERMISSIONS = {
    "GetLifecyclePolicies": "dlm:GetLifecyclePolicies",
    "GetLifecyclePolicy": "dlm:GetLifecyclePolicy",
}


def discover(api: Api) -> list[Any]:
    # GetLifecyclePolicies returns every policy of the region in one answer (the API has no pagination).
    policies = api.items("get_lifecycle_policies", "Policies", rule=RULE, resource=api.arn("dlm", "policy/*"))
    return [p["PolicyId"] for p in policies or []]


def _target_region(target: str | None) -> str | None:
    if not target:
        return None
    return region_of(target, target)


def _describe(target: str | None) -> str:
    if not target:
        return "lifecycle copy to an unnamed target"
    return f"lifecycle copy to Outpost {target}" if target.startswith("arn:") else "lifecycle copy"


def copy_targets(details: dict[str, Any]) -> list[str | None]:
    """Every cross-region copy target of a policy's details, as given (region code or Outpost ARN)."""
    targets: list[str | None] = []
    for schedule in details.get("Schedules", []):
        for rule in schedule.get("CrossRegionCopyRules", []):
            targets.append(rule.get("Target") or rule.get("TargetRegion"))
    for action in details.get("Actions", []):
        for copy in action.get("CrossRegionCopy", []):
            targets.append(copy.get("Target"))
    # A default policy (PolicyLanguage SIMPLIFIED) names its copy regions at the top level.
    for copy in details.get("CrossRegionCopyTargets", []):
        targets.append(copy.get("TargetRegion"))
    return targets


def inspect(api: Api, policy_id: str) -> list[Fact]:
    arn = api.arn("dlm", f"policy/{policy_id}")
    answer = api.call("get_lifecycle_policy", rule=RULE, resource=arn, PolicyId=policy_id)
    if answer is None:
        return []
    policy = answer.get("Policy", {})
    arn = policy.get("PolicyArn") or arn
    facts: list[Fact] = [Placement(arn, POLICY, api.region)]
    for target in copy_targets(policy.get("PolicyDetails", {})):
        region = _target_region(target)
        facts.append(
            Transfer(
                Vector.DLM_CROSS_REGION_COPY,
                arn,
                POLICY,
                api.region,
                Destination(_describe(target), region),
            )
        )
    return facts


# moto 5.2 has no DLM backend: tests/adapters/aws_live/test_scanners_stubbed_vectors.py uses Stubber.
SCANNER = ServiceScanner(
    name="dlm", client_name="dlm", permissions=PERMISSIONS, discover=discover, inspect=inspect, discovery_rule=RULE
)
