"""Secrets Manager secrets -> Placement, KeyReference and Transfer (replicas) facts.

A replicated secret is listed in its primary region and, as a replica, in each replica region; the
transfer is reported from the primary (the secret whose PrimaryRegion is absent or is this region).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.regions import region_of
from residency.rule_ids import LOCATION

RESOURCE_TYPE = "AWS::SecretsManager::Secret"

PERMISSIONS = {
    "ListSecrets": "secretsmanager:ListSecrets",
    "DescribeSecret": "secretsmanager:DescribeSecret",
}


def discover(api: Api) -> list[Any]:
    secrets = api.items("list_secrets", "SecretList", rule=LOCATION, resource=api.arn("secretsmanager", "secret:*"))
    return [s["ARN"] for s in secrets or []]


def inspect(api: Api, arn: str) -> list[Fact]:
    secret = api.call("describe_secret", rule=LOCATION, resource=arn, SecretId=arn)
    if secret is None:
        return []
    facts: list[Fact] = [Placement(arn, RESOURCE_TYPE, api.region)]
    key = secret.get("KmsKeyId")
    if key:
        facts.append(KeyReference(arn, RESOURCE_TYPE, "secret encryption", key, region_of(key, api.region)))
    primary = secret.get("PrimaryRegion") or api.region
    if primary != api.region:
        return facts
    for replica in secret.get("ReplicationStatus", []):
        region = replica.get("Region")
        facts.append(
            Transfer(
                Vector.SECRETS_MANAGER_REPLICA,
                arn,
                RESOURCE_TYPE,
                api.region,
                Destination(f"replica in {region}", region),
            )
        )
        replica_key = replica.get("KmsKeyId")
        if replica_key and region:
            facts.append(
                KeyReference(
                    arn, RESOURCE_TYPE, f"replica encryption in {region}", replica_key, region_of(replica_key, region)
                )
            )
    return facts


SCANNER = ServiceScanner(
    name="secretsmanager", client_name="secretsmanager", permissions=PERMISSIONS, discover=discover, inspect=inspect
)
