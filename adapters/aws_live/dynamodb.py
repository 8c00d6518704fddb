"""DynamoDB tables -> Placement, KeyReference and Transfer (global-table replicas) facts."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.regions import region_from_arn
from residency.rule_ids import LOCATION

RESOURCE_TYPE = "AWS::DynamoDB::Table"

PERMISSIONS = {
    "ListTables": "dynamodb:ListTables",
    "DescribeTable": "dynamodb:DescribeTable",
}


def discover(api: Api) -> list[Any]:
    return api.items("list_tables", "TableNames", rule=LOCATION, resource=api.arn("dynamodb", "table/*")) or []


def inspect(api: Api, name: str) -> list[Fact]:
    arn = api.arn("dynamodb", f"table/{name}")
    described = api.call("describe_table", rule=LOCATION, resource=arn, TableName=name)
    if described is None:
        return []
    table = described.get("Table", {})
    arn = table.get("TableArn", arn)
    facts: list[Fact] = [Placement(arn, RESOURCE_TYPE, api.region)]
    key = table.get("SSEDescription", {}).get("KMSMasterKeyArn")
    if key:
        facts.append(KeyReference(arn, RESOURCE_TYPE, "table encryption", key, region_from_arn(key)))
    # Global tables (version 2019.11.21): every replica region holds a full copy of the table.
    for replica in table.get("Replicas", []):
        region = replica.get("RegionName")
        if region and region != api.region:
            facts.append(
                Transfer(
                    Vector.DYNAMODB_GLOBAL_TABLE,
                    arn,
                    RESOURCE_TYPE,
                    api.region,
                    Destination(f"replica in {region}", region),
                )
            )
    return facts


SCANNER = ServiceScanner(
    name="dynamodb", client_name="dynamodb", permissions=PERMISSIONS, discover=discover, inspect=inspect
)
