"""Security Hub finding aggregators -> Placement and Transfer facts.

Findings (which name resources and may quote their data) flow from the linked regions INTO the
aggregation region, the same direction as a Config aggregator: the destination is the aggregation
region. ``RegionLinkingMode`` says which regions are linked: ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED,
SPECIFIED_REGIONS (the listed ones) or NO_REGIONS (nothing flows).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.regions import region_from_arn
from residency.rule_ids import transfer_rule_id

AGGREGATOR = "AWS::SecurityHub::FindingAggregator"
RULE = transfer_rule_id(Vector.SECURITY_HUB_AGGREGATOR)

PERMISSIONS = {
    "ListFindingAggregators": "securityhub:ListFindingAggregators",
    "GetFindingAggregator": "securityhub:GetFindingAggregator",
}


def discover(api: Api) -> list[Any]:
    found = api.items(
        "list_finding_aggregators",
        "FindingAggregators",
        rule=RULE,
        resource=api.arn("securityhub", "finding-aggregator/*"),
        # A region where Security Hub is not enabled has no aggregator (its API answers this code).
        absent=("InvalidAccessException",),
    )
    return [a["FindingAggregatorArn"] for a in found or []]


def linked(mode: str, regions: list[str]) -> str | None:
    """Which regions send findings, in words; None when none do."""
    if mode == "ALL_REGIONS":
        return "every region"
    if mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
        return f"every region except {', '.join(regions)}" if regions else "every region"
    if mode == "SPECIFIED_REGIONS":
        return ", ".join(regions) or None
    if mode == "NO_REGIONS":
        return None
    return f"regions linked in an unrecognised mode {mode!r}"  # reported: an unknown mode is not "nothing"


def inspect(api: Api, arn: str) -> list[Fact]:
    # ListFindingAggregators answers in every region, but GetFindingAggregator only in the aggregation
    # region, which the ARN names. Each listing region reads it there; the identical facts are merged.
    home = api.in_region(region_from_arn(arn) or api.region)
    answer = home.call("get_finding_aggregator", rule=RULE, resource=arn, FindingAggregatorArn=arn)
    if answer is None:
        return []
    region = answer.get("FindingAggregationRegion") or home.region
    facts: list[Fact] = [Placement(arn, AGGREGATOR, region)]
    regions = sorted(answer.get("Regions", []))
    what = linked(str(answer.get("RegionLinkingMode", "")), regions)
    if what is None:
        return facts
    source = regions[0] if answer.get("RegionLinkingMode") == "SPECIFIED_REGIONS" and len(regions) == 1 else None
    facts.append(
        Transfer(
            Vector.SECURITY_HUB_AGGREGATOR,
            arn,
            AGGREGATOR,
            source,
            Destination(f"Security Hub finding aggregator (collects from {what})", region),
        )
    )
    return facts


# moto 5.2 does not serve the finding-aggregator API (HTTP 404): tests use Stubber.
SCANNER = ServiceScanner(
    name="securityhub",
    client_name="securityhub",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    discovery_rule=RULE,
)
