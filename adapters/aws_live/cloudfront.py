"""CloudFront distributions -> Transfer facts: a distribution caches its origins' data at edge locations
worldwide, so every distribution is a ``cloudfront`` transfer with a worldwide destination, exactly as
the policy pack treats every declared distribution (adapters/pulumi/aws_transfers.py).

The transfer's source region is the one region named in the origins' domains (an S3 REST or website endpoint,
an ELB, API Gateway or other regional endpoint), or None when they name none or several (a custom
domain, a legacy global S3 endpoint). CloudFront is global: it is called once, from us-east-1.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Transfer, Vector
from residency.regions import AWS_COMMERCIAL_REGIONS
from residency.rule_ids import transfer_rule_id

DISTRIBUTION = "AWS::CloudFront::Distribution"
RULE = transfer_rule_id(Vector.CLOUDFRONT)

PERMISSIONS = {"ListDistributions": "cloudfront:ListDistributions"}

# A region code between dots or dashes: "b.s3.eu-west-1.amazonaws.com", "b.s3-website-eu-west-1.amazonaws.com".
_REGION_IN_DOMAIN = re.compile(r"(?:^|[.-])([a-z]{2}(?:-gov)?-[a-z]+-\d)(?=\.)")


def origin_region(domain: str) -> str | None:
    for match in _REGION_IN_DOMAIN.finditer(domain.lower()):
        if match.group(1) in AWS_COMMERCIAL_REGIONS:
            return match.group(1)
    return None


def discover(api: Api) -> list[Any]:
    pages = api.pages("list_distributions", rule=RULE, resource=f"arn:aws:cloudfront::{api.account}:distribution/*")
    return [item for page in pages or [] for item in page.get("DistributionList", {}).get("Items", [])]


def inspect(api: Api, distribution: dict[str, Any]) -> list[Fact]:
    arn = distribution.get("ARN") or f"arn:aws:cloudfront::{api.account}:distribution/{distribution.get('Id')}"
    domains = [o.get("DomainName", "") for o in distribution.get("Origins", {}).get("Items", [])]
    regions = {origin_region(d) for d in domains}
    # One finding per distribution: its source region is its origins' one region, else unknown (None).
    source = regions.pop() if len(regions) == 1 else None
    origins = ", ".join(domains) or "no origin"
    return [
        Transfer(
            Vector.CLOUDFRONT,
            arn,
            DISTRIBUTION,
            source,
            Destination(f"CloudFront edge caches of origin {origins}", None, worldwide=True),
        )
    ]


SCANNER = ServiceScanner(
    name="cloudfront",
    client_name="cloudfront",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    is_global=True,
    discovery_rule=RULE,
    fixed_region="us-east-1",
)
