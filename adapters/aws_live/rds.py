"""RDS -> Placement and KeyReference (instances, clusters) and Transfer facts for read replicas,
automated-backup replication and Aurora global databases.

Cross-region replicas are named by ARN (same-region ones by identifier), so the ARN's region field is the
replica's region. Each flow may be seen from both ends; identical facts are merged by the orchestrator.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.global_clusters import DEDICATED_ENGINES, global_cluster_transfers
from residency.model import Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.regions import region_from_arn, region_of
from residency.rule_ids import LOCATION, transfer_rule_id

INSTANCE = "AWS::RDS::DBInstance"
CLUSTER = "AWS::RDS::DBCluster"
GLOBAL_CLUSTER = "AWS::RDS::GlobalCluster"

PERMISSIONS = {
    "DescribeDBInstances": "rds:DescribeDBInstances",
    "DescribeDBClusters": "rds:DescribeDBClusters",
    "DescribeGlobalClusters": "rds:DescribeGlobalClusters",
    "DescribeDBInstanceAutomatedBackups": "rds:DescribeDBInstanceAutomatedBackups",
}

_LISTS = (
    ("instance", "describe_db_instances", "DBInstances", LOCATION),
    ("cluster", "describe_db_clusters", "DBClusters", LOCATION),
    ("global", "describe_global_clusters", "GlobalClusters", transfer_rule_id(Vector.AURORA_GLOBAL_DATABASE)),
    (
        "backup",
        "describe_db_instance_automated_backups",
        "DBInstanceAutomatedBackups",
        transfer_rule_id(Vector.RDS_BACKUP_REPLICATION),
    ),
)


def discover(api: Api) -> list[Any]:
    found: list[Any] = []
    for kind, method, key, rule in _LISTS:
        items = api.items(method, key, rule=rule, resource=api.arn("rds", "*"))
        found.extend((kind, item) for item in items or [])
    return found


def inspect(api: Api, item: tuple[str, dict[str, Any]]) -> list[Fact]:
    kind, data = item
    if kind == "instance":
        return _instance(api, data)
    if kind == "cluster":
        return _cluster(api, data)
    if kind == "global":
        return _global(data)
    return _automated_backup(api, data)


def _key(arn: str, kind: str, data: dict[str, Any], region: str) -> list[Fact]:
    key = data.get("KmsKeyId")
    if not data.get("StorageEncrypted") or not key:
        return []
    return [KeyReference(arn, kind, "storage encryption", key, region_of(key, region))]


def _read_replica(source_arn: str, kind: str, source_region: str | None, replica: str, region: str | None) -> Transfer:
    return Transfer(
        Vector.RDS_READ_REPLICA, source_arn, kind, source_region, Destination(f"read replica {replica}", region)
    )


def _instance(api: Api, data: dict[str, Any]) -> list[Fact]:
    arn = data["DBInstanceArn"]
    facts: list[Fact] = [Placement(arn, INSTANCE, api.region), *_key(arn, INSTANCE, data, api.region)]
    for replica in data.get("ReadReplicaDBInstanceIdentifiers", []):
        facts.append(_read_replica(arn, INSTANCE, api.region, replica, region_of(replica, api.region)))
    source = data.get("ReadReplicaSourceDBInstanceIdentifier")
    if source and source.startswith("arn:") and region_from_arn(source) != api.region:
        # This instance replicates from another region: the same flow as seen from its source.
        facts.append(_read_replica(source, INSTANCE, region_from_arn(source), arn, api.region))
    return facts


def _cluster(api: Api, data: dict[str, Any]) -> list[Fact]:
    arn = data["DBClusterArn"]
    facts: list[Fact] = [Placement(arn, CLUSTER, api.region), *_key(arn, CLUSTER, data, api.region)]
    for replica in data.get("ReadReplicaIdentifiers", []):
        facts.append(_read_replica(arn, CLUSTER, api.region, replica, region_of(replica, api.region)))
    return facts


def _global(data: dict[str, Any]) -> list[Fact]:
    if data.get("Engine") in DEDICATED_ENGINES:
        return []  # a DocumentDB or Neptune global cluster: judged by its own scanner and rule
    return global_cluster_transfers(data, Vector.AURORA_GLOBAL_DATABASE, GLOBAL_CLUSTER)


def _automated_backup(api: Api, data: dict[str, Any]) -> list[Fact]:
    source = data.get("DBInstanceArn", data.get("DBInstanceIdentifier", "?"))
    facts: list[Fact] = []
    for replication in data.get("DBInstanceAutomatedBackupsReplications", []):
        target = replication.get("DBInstanceAutomatedBackupsArn", "")
        facts.append(
            Transfer(
                Vector.RDS_BACKUP_REPLICATION,
                source,
                INSTANCE,
                data.get("Region", api.region),
                Destination(f"replicated automated backups {target}", region_from_arn(target)),
            )
        )
    return facts


# moto 5.2 does not emulate automated-backup replication: tests/adapters/aws_live/test_scanners_stubbed.py uses Stubber.
SCANNER = ServiceScanner(
    name="rds",
    client_name="rds",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
)
