"""EFS -> Placement, KeyReference (file systems) and Transfer (replication configurations) facts."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.regions import region_from_arn, region_of
from residency.rule_ids import LOCATION, transfer_rule_id

FILE_SYSTEM = "AWS::EFS::FileSystem"

PERMISSIONS = {
    "DescribeFileSystems": "elasticfilesystem:DescribeFileSystems",
    "DescribeReplicationConfigurations": "elasticfilesystem:DescribeReplicationConfigurations",
}

_REPLICATIONS = ("replication-configurations",)


def discover(api: Api) -> list[Any]:
    systems = api.items(
        "describe_file_systems",
        "FileSystems",
        rule=LOCATION,
        resource=api.arn("elasticfilesystem", "file-system/*"),
    )
    return [*(systems or []), _REPLICATIONS]


def inspect(api: Api, item: Any) -> list[Fact]:
    if item == _REPLICATIONS:
        return _replications(api)
    arn = item.get("FileSystemArn") or api.arn("elasticfilesystem", f"file-system/{item.get('FileSystemId')}")
    facts: list[Fact] = [Placement(arn, FILE_SYSTEM, api.region)]
    key = item.get("KmsKeyId")
    if item.get("Encrypted") and key:
        key_region = region_of(key, api.region)
        facts.append(KeyReference(arn, FILE_SYSTEM, "file system encryption", key, key_region))
    return facts


def _replications(api: Api) -> list[Fact]:
    replications = api.items(
        "describe_replication_configurations",
        "Replications",
        rule=transfer_rule_id(Vector.EFS_REPLICATION),
        resource=api.arn("elasticfilesystem", "file-system/*"),
    )
    facts: list[Fact] = []
    for replication in replications or []:
        source = replication.get("SourceFileSystemArn", "")
        # Each region lists the configurations it takes part in; report each from its source region only.
        if replication.get("SourceFileSystemRegion", region_from_arn(source)) != api.region:
            continue
        for dest in replication.get("Destinations", []):
            region = dest.get("Region")
            facts.append(
                Transfer(
                    Vector.EFS_REPLICATION,
                    source,
                    FILE_SYSTEM,
                    api.region,
                    Destination(f"file system {dest.get('FileSystemId')} in {region}", region),
                )
            )
    return facts


# moto 5.2 does not implement DescribeReplicationConfigurations: tests/adapters/aws_live/test_scanners_stubbed.py uses Stubber.
SCANNER = ServiceScanner(
    name="efs",
    client_name="efs",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
)
