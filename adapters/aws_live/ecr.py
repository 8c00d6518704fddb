"""ECR -> Placement (repositories) and Transfer (registry replication rules) facts."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.rule_ids import LOCATION, transfer_rule_id

REPOSITORY = "AWS::ECR::Repository"
REGISTRY = "AWS::ECR::RegistryReplication"

PERMISSIONS = {
    "DescribeRepositories": "ecr:DescribeRepositories",
    "DescribeRegistry": "ecr:DescribeRegistry",
}

_REGISTRY = ("registry",)


def discover(api: Api) -> list[Any]:
    repos = api.items("describe_repositories", "repositories", rule=LOCATION, resource=api.arn("ecr", "repository/*"))
    # The registry's replication configuration is one more item to inspect in every region.
    return [*[r["repositoryArn"] for r in repos or []], _REGISTRY]


def inspect(api: Api, item: Any) -> list[Fact]:
    if item != _REGISTRY:
        return [Placement(item, REPOSITORY, api.region)]
    registry = api.call(
        "describe_registry", rule=transfer_rule_id(Vector.ECR_REPLICATION), resource=api.arn("ecr", "registry")
    )
    if registry is None:
        return []
    resource = api.arn("ecr", f"registry/{registry.get('registryId', api.account)}")
    facts: list[Fact] = []
    for rule in registry.get("replicationConfiguration", {}).get("rules", []):
        for dest in rule.get("destinations", []):
            region, account = dest.get("region"), dest.get("registryId")
            if region == api.region and account == registry.get("registryId"):
                continue
            facts.append(
                Transfer(
                    Vector.ECR_REPLICATION,
                    resource,
                    REGISTRY,
                    api.region,
                    Destination(f"registry {account} in {region}", region, account),
                )
            )
    return facts


SCANNER = ServiceScanner(name="ecr", client_name="ecr", permissions=PERMISSIONS, discover=discover, inspect=inspect)
