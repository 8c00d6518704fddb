import pytest

from residency.errors import CatalogueError
from residency.jurisdictions import default_catalogue, parse_catalogue
from residency.regions import account_from_arn, region_from_arn

EU_MEMBER_REGIONS = {"eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2"}


def entry(regions: list[str], home: str | None = None) -> dict[str, object]:
    return {"name": "X", "home_region": home or regions[0], "regions": regions, "legal_references": ["law"]}


def test_shipped_catalogue_region_sets_are_exact() -> None:
    c = default_catalogue()
    assert c.get("eu").regions == EU_MEMBER_REGIONS
    assert c.get("uk").regions == {"eu-west-2"}
    assert c.get("us").regions == {"us-east-1", "us-east-2", "us-west-1", "us-west-2"}
    assert c.get("in").regions == {"ap-south-1", "ap-south-2"}
    assert c.get("eu").home_region == "eu-west-1"
    # London is the UK and Zurich is Switzerland: neither is EU.
    assert not c.get("eu").allows("eu-west-2")
    assert not c.get("eu").allows("eu-central-2")
    owner = c.owner_of("eu-central-2")
    assert owner is not None and owner.id == "ch"


def test_every_jurisdiction_has_legal_references_and_home_in_regions() -> None:
    c = default_catalogue()
    assert len(c.ids()) >= 6
    for j in c.jurisdictions.values():
        assert j.legal_references
        assert j.home_region in j.regions


def test_unknown_region_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="unknown AWS region 'eu-west-9'"):
        parse_catalogue({"eu": entry(["eu-west-9"])})


def test_region_claimed_twice_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="'eu-west-2' is claimed by both 'uk' and 'eu'"):
        parse_catalogue({"uk": entry(["eu-west-2"]), "eu": entry(["eu-west-1", "eu-west-2"])})


def test_home_region_outside_regions_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="home_region 'eu-west-2' is not in its regions"):
        parse_catalogue({"eu": entry(["eu-west-1"], home="eu-west-2")})


@pytest.mark.parametrize("bad_id", ["EU", "e-u", ""])
def test_bad_jurisdiction_ids_are_rejected(bad_id: str) -> None:
    with pytest.raises(CatalogueError, match="must be lowercase"):
        parse_catalogue({bad_id: entry(["eu-west-1"])})


def test_missing_fields_are_named() -> None:
    with pytest.raises(CatalogueError, match="missing legal_references"):
        parse_catalogue({"eu": {"name": "EU", "home_region": "eu-west-1", "regions": ["eu-west-1"]}})


def test_empty_catalogue_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="defines no jurisdiction"):
        parse_catalogue({})


def test_unknown_jurisdiction_lookup_names_allowed_ids() -> None:
    with pytest.raises(CatalogueError, match=r"unknown jurisdiction 'xx'; allowed: au, br, ca"):
        default_catalogue().get("xx")


def test_arn_parsing() -> None:
    assert region_from_arn("arn:aws:kms:eu-west-1:111122223333:key/abc") == "eu-west-1"
    assert region_from_arn("arn:aws:s3:::bucket") is None
    assert region_from_arn("not-an-arn") is None
    assert account_from_arn("arn:aws:kms:eu-west-1:111122223333:key/abc") == "111122223333"
    assert account_from_arn("arn:aws:s3:::bucket") is None


def test_region_of_a_reference() -> None:
    from residency.regions import region_of

    assert region_of("arn:aws:kms:eu-west-1:111122223333:key/abc", "us-east-1") == "eu-west-1"
    assert region_of("alias/records", "eu-central-1") == "eu-central-1"  # resolved in the caller's region
    assert region_of("arn:aws:s3:::bucket", "eu-west-1") is None  # an ARN without a region says nothing
