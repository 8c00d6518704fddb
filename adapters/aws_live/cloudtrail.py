"""CloudTrail trails -> Placement (home region), KeyReference and ControlState (validation, logging, scope).

DescribeTrails with includeShadowTrails=False lists only trails whose home region is the queried region,
so a multi-region trail is judged once, in its home region, where its configuration (and its logs'
destination) is controlled.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import ControlState, Fact, KeyReference, Placement
from residency.regions import region_of
from residency.rule_ids import LOCATION, TRAIL_COVERS_GLOBAL_EVENTS, TRAIL_LOG_VALIDATION, TRAIL_LOGGING
from residency.rules.hardening import trail_scope_gaps

TRAIL = "AWS::CloudTrail::Trail"

PERMISSIONS = {
    "DescribeTrails": "cloudtrail:DescribeTrails",
    "GetTrailStatus": "cloudtrail:GetTrailStatus",
}


def discover(api: Api) -> list[Any]:
    trails = api.items(
        "describe_trails",
        "trailList",
        rule=LOCATION,
        resource=api.arn("cloudtrail", "trail/*"),
        includeShadowTrails=False,
    )
    return [t for t in trails or [] if t.get("HomeRegion", api.region) == api.region]


def inspect(api: Api, trail: dict[str, Any]) -> list[Fact]:
    arn = trail.get("TrailARN") or api.arn("cloudtrail", f"trail/{trail.get('Name')}")
    home = trail.get("HomeRegion", api.region)
    scope = "multi-region trail" if trail.get("IsMultiRegionTrail") else "single-region trail"
    facts: list[Fact] = [
        Placement(arn, TRAIL, home),
        ControlState(TRAIL_LOG_VALIDATION, arn, TRAIL, home, bool(trail.get("LogFileValidationEnabled")), scope),
        _global_events(arn, home, trail),
    ]
    key = trail.get("KmsKeyId")
    if key:
        facts.append(KeyReference(arn, TRAIL, "trail log encryption", key, region_of(key, home)))
    status = api.call("get_trail_status", rule=TRAIL_LOGGING, resource=arn, Name=arn)
    if status is not None:
        logging = bool(status.get("IsLogging"))
        facts.append(
            ControlState(TRAIL_LOGGING, arn, TRAIL, home, logging, "logging" if logging else "logging stopped")
        )
    return facts


SCANNER = ServiceScanner(
    name="cloudtrail", client_name="cloudtrail", permissions=PERMISSIONS, discover=discover, inspect=inspect
)


def _global_events(arn: str, home: str, trail: dict[str, Any]) -> ControlState:
    """DescribeTrails shows both settings; a field it leaves out is unreadable, so UNKNOWN."""
    if "IsMultiRegionTrail" not in trail or "IncludeGlobalServiceEvents" not in trail:
        return ControlState(TRAIL_COVERS_GLOBAL_EVENTS, arn, TRAIL, home, None, "DescribeTrails did not say")
    gaps = trail_scope_gaps(trail["IsMultiRegionTrail"], trail["IncludeGlobalServiceEvents"])
    return ControlState(
        TRAIL_COVERS_GLOBAL_EVENTS, arn, TRAIL, home, not gaps, "; ".join(gaps) or "multi-Region, global events"
    )
