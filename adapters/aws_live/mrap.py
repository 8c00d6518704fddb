"""S3 Multi-Region Access Points -> Transfer facts, one per region of the access point's buckets.

An access point routes requests to (and, with replication, spans) buckets in several regions. Its
control plane is S3 Control in us-west-2, and every S3 Control call names the account. The list call
has a NextToken but no boto3 paginator, so this module follows the token itself.

Each bucket's region is read with GetBucketLocation, the bucket's own answer (as for S3 replication
destinations); when that cannot be read (a bucket of another account) the region the access point
reports is used, and without either the region is unknown and the rule cannot pass it.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.s3 import normalise_location
from residency.model import Destination, Fact, Transfer, Vector
from residency.rule_ids import transfer_rule_id

ACCESS_POINT = "AWS::S3::MultiRegionAccessPoint"
RULE = transfer_rule_id(Vector.S3_MULTI_REGION_ACCESS_POINT)
CONTROL_PLANE_REGION = "us-west-2"

PERMISSIONS = {"ListMultiRegionAccessPoints": "s3:ListMultiRegionAccessPoints"}


def discover(api: Api) -> list[Any]:
    found: list[Any] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"AccountId": api.account, **({"NextToken": token} if token else {})}
        page = api.call(
            "list_multi_region_access_points", rule=RULE, resource=f"arn:aws:s3::{api.account}:accesspoint/*", **params
        )
        if page is None:
            return found  # recorded as an ERROR; the access points already listed are still judged
        found.extend(page.get("AccessPoints", []))
        token = page.get("NextToken")
        if not token:
            return found


def inspect(api: Api, point: dict[str, Any]) -> list[Fact]:
    arn = f"arn:aws:s3::{api.account}:accesspoint/{point.get('Alias') or point.get('Name')}"
    facts: list[Fact] = []
    for entry in point.get("Regions", []):
        bucket = entry.get("Bucket", "?")
        region = _bucket_region(api, bucket) or entry.get("Region") or None
        facts.append(
            Transfer(
                Vector.S3_MULTI_REGION_ACCESS_POINT,
                arn,
                ACCESS_POINT,
                None,  # the access point itself has no region
                Destination(f"bucket {bucket}", region, entry.get("BucketAccountId")),
            )
        )
    return facts


def _bucket_region(api: Api, bucket: str) -> str | None:
    s3 = api.using("s3", "us-east-1")
    answer = s3.call("get_bucket_location", rule=RULE, resource=f"arn:aws:s3:::{bucket}", quiet=True, Bucket=bucket)
    return None if answer is None else normalise_location(answer.get("LocationConstraint"))


SCANNER = ServiceScanner(
    name="mrap",
    client_name="s3control",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    is_global=True,
    discovery_rule=RULE,
    fixed_region=CONTROL_PLANE_REGION,
    other_clients={"s3": {"GetBucketLocation": "s3:GetBucketLocation"}},
)
