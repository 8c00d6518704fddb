"""Redshift clusters -> Placement, KeyReference and Transfer (cross-region snapshot copy) facts.

A cluster with cross-region snapshot copy enabled reports ``ClusterSnapshotCopyStatus.DestinationRegion``:
every automated (and, if asked, manual) snapshot is copied there.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.regions import region_of
from residency.rule_ids import LOCATION

CLUSTER = "AWS::Redshift::Cluster"

PERMISSIONS = {"DescribeClusters": "redshift:DescribeClusters"}


def discover(api: Api) -> list[Any]:
    clusters = api.items("describe_clusters", "Clusters", rule=LOCATION, resource=api.arn("redshift", "cluster:*"))
    return list(clusters or [])


def inspect(api: Api, cluster: dict[str, Any]) -> list[Fact]:
    arn = api.arn("redshift", f"cluster:{cluster['ClusterIdentifier']}")
    facts: list[Fact] = [Placement(arn, CLUSTER, api.region)]
    key = cluster.get("KmsKeyId")
    if cluster.get("Encrypted") and key:
        key_region = region_of(key, api.region)
        facts.append(KeyReference(arn, CLUSTER, "cluster encryption", key, key_region))
    copy = cluster.get("ClusterSnapshotCopyStatus") or {}
    if copy:
        region = copy.get("DestinationRegion")
        facts.append(
            Transfer(
                Vector.REDSHIFT_SNAPSHOT_COPY,
                arn,
                CLUSTER,
                api.region,
                Destination("snapshot copy destination", region or None),
            )
        )
    return facts


SCANNER = ServiceScanner(
    name="redshift", client_name="redshift", permissions=PERMISSIONS, discover=discover, inspect=inspect
)
