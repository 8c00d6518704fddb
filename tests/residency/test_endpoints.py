"""Endpoint overrides are placed by the region their AWS host names; anything else cannot be placed."""

from __future__ import annotations

import pytest

from residency.endpoints import endpoint_overrides, place_endpoint


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://s3.eu-west-1.amazonaws.com", "eu-west-1"),
        ("https://kms-fips.eu-central-1.amazonaws.com/", "eu-central-1"),
        ("https://sts.eu-west-2.api.aws", "eu-west-2"),
        ("https://vpce-0a1b2c3d.s3.eu-west-1.vpce.amazonaws.com", "eu-west-1"),
        ("s3.us-east-1.amazonaws.com", "us-east-1"),
        ("https://dynamodb.cn-north-1.amazonaws.com.cn", None),  # not a region this product knows
        ("https://sts.amazonaws.com", None),  # the global endpoint names no region
        ("http://localhost:4566", None),
        ("https://s3.eu-west-1.amazonaws.com.evil.example", None),
        ("https://minio.internal.example.com", None),
    ],
)
def test_an_endpoint_is_placed_only_by_an_aws_host_naming_one_region(url: str, region: str | None) -> None:
    placed = place_endpoint("s3", url)
    assert placed.region == region and bool(placed.why) == (region is None)


def test_the_wire_forms_are_read_and_anything_unreadable_is_one_unplaceable_override() -> None:
    assert [o.region for o in endpoint_overrides('[{"s3": "https://s3.eu-west-1.amazonaws.com", "kms": null}]')] == [
        "eu-west-1"
    ]
    assert [o.service for o in endpoint_overrides([{"s3": "https://x.example"}, {"kms": "https://y.example"}])] == [
        "s3",
        "kms",
    ]
    assert endpoint_overrides(None) == [] and endpoint_overrides("[]") == []
    [broken] = endpoint_overrides("not json")
    assert broken.region is None and "not readable" in broken.why
    [scalar] = endpoint_overrides([{"s3": 7}])
    assert scalar.region is None
