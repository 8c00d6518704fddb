"""AWS Config aggregators -> Placement and Transfer facts.

Direction: an aggregator pulls configuration data (resource names, settings, relationships) from its
source regions INTO its own region. So the transfer's destination is the aggregator's region, and its
source is what it collects from: an aggregator outside the jurisdiction that collects from the
jurisdiction's regions moves data out (FAIL), while one inside the jurisdiction that collects from
elsewhere moves data in (PASS). This is the policy pack's reading of a declared aggregator too.
An aggregator that collects from all regions, or from several, has no single source region (None).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.rule_ids import transfer_rule_id

AGGREGATOR = "AWS::Config::ConfigurationAggregator"
RULE = transfer_rule_id(Vector.CONFIG_AGGREGATOR)

PERMISSIONS = {"DescribeConfigurationAggregators": "config:DescribeConfigurationAggregators"}


def discover(api: Api) -> list[Any]:
    found = api.items(
        "describe_configuration_aggregators",
        "ConfigurationAggregators",
        rule=RULE,
        resource=api.arn("config", "config-aggregator/*"),
    )
    return list(found or [])


def source_regions(aggregator: dict[str, Any]) -> tuple[bool, list[str]]:
    """(collects from every region, the regions listed) over account and organization sources."""
    sources = list(aggregator.get("AccountAggregationSources", []))
    if aggregator.get("OrganizationAggregationSource"):
        sources.append(aggregator["OrganizationAggregationSource"])
    every = any(s.get("AllAwsRegions") for s in sources)
    listed = sorted({r for s in sources for r in s.get("AwsRegions", [])})
    return every, listed


def inspect(api: Api, aggregator: dict[str, Any]) -> list[Fact]:
    name = aggregator.get("ConfigurationAggregatorName", "?")
    arn = aggregator.get("ConfigurationAggregatorArn") or api.arn("config", f"config-aggregator/{name}")
    every, listed = source_regions(aggregator)
    facts: list[Fact] = [Placement(arn, AGGREGATOR, api.region)]
    if not every and not listed:
        return facts  # collects nothing
    what = "every AWS region" if every else ", ".join(listed)
    source = listed[0] if not every and len(listed) == 1 else None
    facts.append(
        Transfer(
            Vector.CONFIG_AGGREGATOR,
            arn,
            AGGREGATOR,
            source,
            Destination(f"Config aggregator {name} (collects from {what})", api.region),
        )
    )
    return facts


SCANNER = ServiceScanner(
    name="config", client_name="config", permissions=PERMISSIONS, discover=discover, inspect=inspect
)
