"""The hand-written region list (residency/regions.py) is botocore's: the core stays free of boto3, and this
test proves the two agree, so a region AWS adds (in a botocore upgrade) fails here until it is listed."""

from __future__ import annotations

import botocore.session

from residency.jurisdictions import default_catalogue
from residency.regions import AWS_COMMERCIAL_REGIONS


def botocore_commercial_regions() -> set[str]:
    endpoints = botocore.session.get_session().get_data("endpoints")
    [aws] = [p for p in endpoints["partitions"] if p["partition"] == "aws"]
    return set(aws["regions"])


def test_hand_list_is_botocores_commercial_partition() -> None:
    botocore_regions = botocore_commercial_regions()
    assert sorted(botocore_regions - AWS_COMMERCIAL_REGIONS) == [], "add these to residency/regions.py"
    assert sorted(AWS_COMMERCIAL_REGIONS - botocore_regions) == [], "botocore does not know these regions"


def test_every_catalogue_region_is_a_botocore_region() -> None:
    botocore_regions = botocore_commercial_regions()
    for jurisdiction in default_catalogue().jurisdictions.values():
        assert set(jurisdiction.sorted_regions()) <= botocore_regions, jurisdiction.id
