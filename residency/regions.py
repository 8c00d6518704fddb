"""The AWS commercial-partition regions this product knows about.

A catalogue entry naming a region that is not listed here is rejected at load time: a typo in a region
code must never silently widen or narrow a jurisdiction. The list is botocore's endpoint data for the
commercial partition, written out so that the core does not import botocore;
tests/residency/test_regions_botocore.py fails when the two differ (a region AWS adds in a botocore upgrade).
"""

from __future__ import annotations

from collections.abc import Mapping
from string import ascii_lowercase
from typing import Any

from residency.arns import is_arn, parse_arn

AWS_COMMERCIAL_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)


def is_known_region(region: str) -> bool:
    return region in AWS_COMMERCIAL_REGIONS


def region_from_arn(arn: str) -> str | None:
    """The region field of an ARN, or None when the ARN carries none (S3, IAM) or is not an ARN.

    An empty region field means a global or region-less ARN, which says nothing about where the data lives.
    """
    parsed = parse_arn(arn)
    return (parsed.region or None) if parsed else None


def account_from_arn(arn: str) -> str | None:
    parsed = parse_arn(arn)
    return (parsed.account or None) if parsed else None


def region_of(reference: str, default: str | None) -> str | None:
    """The region an ARN names, or ``default`` when ``reference`` is not an ARN.

    AWS resolves a bare id or alias (a KMS key id, ``alias/x``, a DB identifier) in the caller's own region,
    and some APIs answer with a region name where others give an ARN: the caller says which ``default``
    applies. An ARN without a region field gives None (nothing known), never ``default``.
    """
    return region_from_arn(reference) if is_arn(reference) else default


def effective_region(
    props: Mapping[str, Any], provider_props: Mapping[str, Any] | None, stack_region: str | None
) -> str | None:
    """The region a pulumi-aws v7 resource is created in (the pack, the offline run and its mocks all ask here).

    Its own ``region`` input wins, then its explicit provider's ``region``, then the stack's ``aws:region``.
    An explicit provider without ``region`` does not read the stack's ``aws:region`` (it takes the
    deployer's environment), so a resource on it has no determinable region: None, never the stack's.
    """
    own = props.get("region")
    if isinstance(own, str) and own:
        return own
    if provider_props is not None:
        prov = provider_props.get("region")
        return prov if isinstance(prov, str) and prov else None
    return stack_region or None


def zone_region(zone: str) -> str | None:
    """The region of an AWS zone name: ``eu-west-1a`` -> ``eu-west-1``; None when unknown.

    Local Zones (``us-west-2-lax-1a``) belong to their parent region. Zone ids (``euw1-az1``) are not
    names and give None.
    """
    for region in sorted(AWS_COMMERCIAL_REGIONS, key=len, reverse=True):
        rest = zone[len(region) :]
        if zone.startswith(region) and rest and ((rest.isalpha() and len(rest) == 1) or rest.startswith("-")):
            return region
    return None


def is_availability_zone_of(zone: str, region: str) -> bool:
    """Whether ``zone`` is one of ``region``'s Availability Zones: the region and one lowercase letter
    (``eu-west-1a``), not a Local or Wavelength Zone, whose data may sit in another city."""
    suffix = zone[len(region) :]
    return zone.startswith(region) and len(suffix) == 1 and suffix in ascii_lowercase
