"""The AWS commercial-partition regions this product knows about.

A catalogue entry naming a region that is not listed here is rejected at load time: a typo in a region
code must never silently widen or narrow a jurisdiction. The list is botocore's endpoint data for the
commercial partition, written out so that the core does not import botocore;
tests/residency/test_regions_botocore.py fails when the two differ (a region AWS adds in a botocore upgrade).
"""

from __future__ import annotations

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

    ``arn:partition:service:region:account:resource``. An empty region field means a global or
    region-less ARN, which says nothing about where the data lives.
    """
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    return parts[3] or None


def account_from_arn(arn: str) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    return parts[4] or None


def region_of(reference: str, default: str | None) -> str | None:
    """The region an ARN names, or ``default`` when ``reference`` is not an ARN.

    AWS resolves a bare id or alias (a KMS key id, ``alias/x``, a DB identifier) in the caller's own region,
    and some APIs answer with a region name where others give an ARN: the caller says which ``default``
    applies. An ARN without a region field gives None (nothing known), never ``default``.
    """
    return region_from_arn(reference) if reference.startswith("arn:") else default
