"""Global clusters (Aurora, DocumentDB, Neptune) -> Transfer facts, one per secondary member.

The three share one API shape: ``GlobalClusterMembers[].DBClusterArn`` with ``IsWriter``; the writer's
region is the source and each reader's ARN names its region. DocumentDB and Neptune have their own
clients and IAM actions (``rds:DescribeGlobalClusters`` under the hood of all three).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Transfer, Vector
from residency.regions import region_from_arn

# Engines with their own scanner: the RDS scanner leaves their global clusters to it.
DEDICATED_ENGINES = frozenset({"docdb", "neptune"})


def global_cluster_transfers(data: dict[str, Any], vector: Vector, resource_type: str) -> list[Fact]:
    arn = data.get("GlobalClusterArn") or data.get("GlobalClusterIdentifier", "global-cluster")
    members = data.get("GlobalClusterMembers", [])
    writers = [m["DBClusterArn"] for m in members if m.get("IsWriter")]
    source = region_from_arn(writers[0]) if writers else None
    return [
        Transfer(
            vector,
            arn,
            resource_type,
            source,
            Destination(f"secondary cluster {m['DBClusterArn']}", region_from_arn(m["DBClusterArn"])),
        )
        for m in members
        if not m.get("IsWriter")
    ]


def _scanner(name: str, vector: Vector, resource_type: str, engine: str) -> ServiceScanner:
    rule = f"transfer-{vector}"

    def discover(api: Api) -> list[Any]:
        found = api.items(
            "describe_global_clusters",
            "GlobalClusters",
            rule=rule,
            resource=f"arn:aws:rds::{api.account}:global-cluster:*",
        )
        # The service answers for its own engine; the filter guards against an endpoint that answers for all.
        return [g for g in found or [] if g.get("Engine", engine) == engine]

    def inspect(api: Api, data: dict[str, Any]) -> list[Fact]:
        return global_cluster_transfers(data, vector, resource_type)

    return ServiceScanner(
        name=name,
        client_name=name,
        permissions={"DescribeGlobalClusters": "rds:DescribeGlobalClusters"},
        discover=discover,
        inspect=inspect,
        discovery_rule=rule,
    )


DOCDB_SCANNER = _scanner("docdb", Vector.DOCDB_GLOBAL_CLUSTER, "AWS::DocDB::GlobalCluster", "docdb")
NEPTUNE_SCANNER = _scanner("neptune", Vector.NEPTUNE_GLOBAL_CLUSTER, "AWS::Neptune::GlobalCluster", "neptune")
SCANNERS = (DOCDB_SCANNER, NEPTUNE_SCANNER)
