"""ElastiCache global datastores -> Transfer facts: the primary replication group's region replicates to
each secondary member's region.

DescribeGlobalReplicationGroups (with ShowMemberInfo) is answered in every region of a datastore's
members, so the same datastore is seen several times; the facts are identical and merged.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Transfer, Vector
from residency.rule_ids import transfer_rule_id

GLOBAL_DATASTORE = "AWS::ElastiCache::GlobalReplicationGroup"
RULE = transfer_rule_id(Vector.ELASTICACHE_GLOBAL_DATASTORE)

PERMISSIONS = {"DescribeGlobalReplicationGroups": "elasticache:DescribeGlobalReplicationGroups"}


def discover(api: Api) -> list[Any]:
    groups = api.items(
        "describe_global_replication_groups",
        "GlobalReplicationGroups",
        rule=RULE,
        resource=f"arn:aws:elasticache::{api.account}:globalreplicationgroup:*",
        ShowMemberInfo=True,
    )
    return list(groups or [])


def inspect(api: Api, group: dict[str, Any]) -> list[Fact]:
    gid = group.get("GlobalReplicationGroupId", "?")
    arn = group.get("ARN") or f"arn:aws:elasticache::{api.account}:globalreplicationgroup:{gid}"
    members = group.get("Members", [])
    primaries = [m.get("ReplicationGroupRegion") for m in members if _is_primary(m)]
    source = primaries[0] if primaries else None
    return [
        Transfer(
            Vector.ELASTICACHE_GLOBAL_DATASTORE,
            arn,
            GLOBAL_DATASTORE,
            source,
            Destination(
                f"secondary replication group {m.get('ReplicationGroupId')}", m.get("ReplicationGroupRegion") or None
            ),
        )
        for m in members
        if not _is_primary(m)
    ]


def _is_primary(member: dict[str, Any]) -> bool:
    # The API documents the role as "primary or secondary" without fixing the case.
    return str(member.get("Role", "")).lower() == "primary"


# moto 5.2 does not implement DescribeGlobalReplicationGroups: tests use Stubber.
SCANNER = ServiceScanner(
    name="elasticache",
    client_name="elasticache",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    discovery_rule=RULE,
)
