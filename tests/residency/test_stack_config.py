"""Every bad-config path of residency.stack_config gives one exact line naming the key, value and what is allowed."""

from __future__ import annotations

import pytest

from residency.errors import ConfigError
from residency.jurisdictions import default_catalogue
from residency.stack_config import (
    EnclaveConfig,
    account_jurisdiction_problems,
    check_cidr_overlap,
    parse_enclave_config,
    parse_stack_kind,
    parse_vpc_cidr,
)

GOOD = {
    "enclave:jurisdiction": "eu",
    "aws:region": "eu-west-1",
    "enclave:accountId": "111111111101",
    "enclave:vpcCidr": "10.10.0.0/16",
    "enclave:breakGlassPrincipals": '["arn:aws:iam::111111111101:user/break-glass/eu-responder-1"]',
}
EU_REGIONS = "eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3"


def with_(**changes: str | None) -> dict[str, str]:
    config = dict(GOOD)
    for key, value in changes.items():
        full = key.replace("__", ":")
        if value is None:
            config.pop(full, None)
        else:
            config[full] = value
    return config


def error_of(config: dict[str, str], others: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        parse_enclave_config(config, others)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_good_config_is_typed_with_defaults() -> None:
    cfg = parse_enclave_config(GOOD)
    assert isinstance(cfg, EnclaveConfig)
    assert (cfg.jurisdiction.id, cfg.region, cfg.account_id, cfg.vpc_cidr) == (
        "eu",
        "eu-west-1",
        "111111111101",
        "10.10.0.0/16",
    )
    assert cfg.audit_retention_days == 365
    assert cfg.kubernetes is False
    assert cfg.availability_zones == ("eu-west-1a", "eu-west-1b")
    assert cfg.deploy_role_name == "enclave-deploy"
    assert cfg.break_glass_principals == ("arn:aws:iam::111111111101:user/break-glass/eu-responder-1",)


def test_strings_become_typed_values() -> None:
    cfg = parse_enclave_config(
        with_(
            enclave__auditRetentionDays="2555",
            enclave__kubernetes="true",
            enclave__availabilityZones="eu-west-1a, eu-west-1b, eu-west-1c",
        )
    )
    assert cfg.audit_retention_days == 2555
    assert cfg.kubernetes is True
    assert cfg.availability_zones == ("eu-west-1a", "eu-west-1b", "eu-west-1c")


def test_missing_region_defaults_to_home_region() -> None:
    assert parse_enclave_config(with_(aws__region=None)).region == "eu-west-1"


def test_other_region_of_the_jurisdiction_is_allowed() -> None:
    cfg = parse_enclave_config(with_(aws__region="eu-central-1"))
    assert cfg.region == "eu-central-1"
    assert cfg.availability_zones == ("eu-central-1a", "eu-central-1b")


def test_unknown_jurisdiction() -> None:
    assert error_of(with_(enclave__jurisdiction="xx")) == (
        "enclave:jurisdiction: unknown jurisdiction 'xx'; allowed: au, br, ca, ch, eu, in, jp, sg, uk, us"
    )


def test_missing_jurisdiction() -> None:
    assert error_of(with_(enclave__jurisdiction=None)) == (
        "enclave:jurisdiction: is required; allowed: au, br, ca, ch, eu, in, jp, sg, uk, us"
    )


def test_region_outside_jurisdiction_names_its_owner() -> None:
    assert error_of(with_(aws__region="eu-west-2")) == (
        f"aws:region: region 'eu-west-2' is outside European Union (it is in United Kingdom); allowed for eu: {EU_REGIONS}"
    )


def test_switzerland_is_not_the_eu() -> None:
    assert "outside European Union (it is in Switzerland)" in error_of(with_(aws__region="eu-central-2"))


def test_unknown_region() -> None:
    assert error_of(with_(aws__region="eu-west-9")) == (
        f"aws:region: unknown AWS region 'eu-west-9'; allowed for eu: {EU_REGIONS}"
    )


@pytest.mark.parametrize("cidr", ["10.10.0.0/33", "10.10.0/16", "banana", "10.10.0.1/16", "10.256.0.0/16"])
def test_malformed_cidr(cidr: str) -> None:
    assert error_of(with_(enclave__vpcCidr=cidr)) == (
        f"enclave:vpcCidr: malformed CIDR {cidr!r}; allowed: a private IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16"
    )


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "10.10.0.0/25", "10.10.0.0"])
def test_cidr_prefix_out_of_range(cidr: str) -> None:
    assert error_of(with_(enclave__vpcCidr=cidr)) == (
        f"enclave:vpcCidr: prefix of {cidr!r} is outside /16../24; "
        "allowed: a private IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16"
    )


def test_public_cidr() -> None:
    assert error_of(with_(enclave__vpcCidr="8.8.0.0/16")) == (
        "enclave:vpcCidr: '8.8.0.0/16' is not in a private (RFC 1918) range; "
        "allowed: a private IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16"
    )


def test_missing_cidr() -> None:
    assert error_of(with_(enclave__vpcCidr=None)) == (
        "enclave:vpcCidr: is required; allowed: a private IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16"
    )


def test_overlapping_cidr_names_the_other_stack() -> None:
    others = {"uk-london": "10.11.0.0/16", "us-virginia": "10.12.0.0/16"}
    assert error_of(with_(enclave__vpcCidr="10.11.128.0/20"), others) == (
        "enclave:vpcCidr: 10.11.128.0/20 overlaps stack 'uk-london' (10.11.0.0/16); "
        "allowed: a CIDR that no other enclave uses"
    )


def test_adjacent_cidrs_do_not_overlap() -> None:
    check_cidr_overlap(parse_vpc_cidr("10.10.0.0/16"), {"uk-london": "10.11.0.0/16"})


def test_missing_account_id() -> None:
    assert error_of(with_(enclave__accountId=None)) == (
        "enclave:accountId: is required; allowed: the enclave's 12-digit AWS account id"
    )


@pytest.mark.parametrize("account", ["12345678901", "1234567890123", "12345678901a"])
def test_malformed_account_id(account: str) -> None:
    assert error_of(with_(enclave__accountId=account)) == (
        f"enclave:accountId: malformed account id {account!r}; allowed: exactly 12 digits"
    )


def test_retention_not_a_number() -> None:
    assert error_of(with_(enclave__auditRetentionDays="a year")) == (
        "enclave:auditRetentionDays: 'a year' is not a number; allowed: a whole number of days from 1 to 3650"
    )


@pytest.mark.parametrize("days", ["0", "3651", "-5"])
def test_retention_out_of_range(days: str) -> None:
    assert error_of(with_(enclave__auditRetentionDays=days)) == (
        f"enclave:auditRetentionDays: {int(days)} is out of range; allowed: a whole number of days from 1 to 3650"
    )


def test_bad_boolean() -> None:
    assert error_of(with_(enclave__kubernetes="yes")) == (
        "enclave:kubernetes: 'yes' is not a boolean; allowed: true, false"
    )


def test_zone_outside_region() -> None:
    assert error_of(with_(enclave__availabilityZones="eu-west-1a,eu-west-2b")) == (
        "enclave:availabilityZones: zone 'eu-west-2b' is not in eu-west-1; "
        "allowed: 2 to 4 distinct zones of eu-west-1, e.g. eu-west-1a,eu-west-1b"
    )


@pytest.mark.parametrize(
    "zones", ["eu-west-1a", "eu-west-1a,eu-west-1a", "eu-west-1a,eu-west-1b,eu-west-1c,eu-west-1d,eu-west-1e"]
)
def test_fewer_than_two_distinct_zones(zones: str) -> None:
    assert error_of(with_(enclave__availabilityZones=zones)) == (
        f"enclave:availabilityZones: {zones!r} does not name distinct zones; "
        "allowed: 2 to 4 distinct zones of eu-west-1, e.g. eu-west-1a,eu-west-1b"
    )


def test_bad_deploy_role_name() -> None:
    assert error_of(with_(enclave__deployRoleName="deploy role")) == (
        "enclave:deployRoleName: 'deploy role' is not an IAM role name; allowed: 1-64 of A-Z a-z 0-9 +=,.@_-"
    )


def test_stack_kind() -> None:
    assert parse_stack_kind({}) == "enclave"
    assert parse_stack_kind({"enclave:stackKind": "org"}) == "org"
    with pytest.raises(ConfigError) as info:
        parse_stack_kind({"enclave:stackKind": "cluster"})
    assert str(info.value) == "enclave:stackKind: 'cluster' is not a stack kind; allowed: enclave, org"


def test_each_zone_gets_a_quarter_of_the_vpc() -> None:
    from components.network import subnet_cidrs

    assert subnet_cidrs("10.10.0.0/24", 4) == ["10.10.0.0/26", "10.10.0.64/26", "10.10.0.128/26", "10.10.0.192/26"]
    assert subnet_cidrs("10.10.0.0/16", 2) == ["10.10.0.0/18", "10.10.64.0/18"]


def test_a_stack_declares_its_enclave_under_enclave_or_its_own_project() -> None:
    from residency.stack_config import declared_account, declared_jurisdiction

    assert declared_jurisdiction({"enclave:jurisdiction": "eu", "app:jurisdiction": "uk"}, "app") == "eu"
    assert declared_jurisdiction({"app:jurisdiction": "uk"}, "app") == "uk"
    assert declared_jurisdiction({"other:jurisdiction": "uk"}, "app") is None
    assert declared_account({"app:accountId": "111122223333"}, "app") == "111122223333"
    # Only an account id declares an account: a malformed one is skipped, never used.
    assert declared_account({"enclave:accountId": "1111", "app:accountId": "111122223333"}, "app") == "111122223333"
    assert declared_account({"enclave:accountId": "11112222333x"}, None) is None


_BREAK_GLASS_ALLOWED = (
    "allowed: a list of 1 to 10 IAM user or role ARNs in account 111111111101, "
    "e.g. [arn:aws:iam::111111111101:user/break-glass/responder-1]"
)


def test_break_glass_principals_are_required() -> None:
    assert error_of(with_(enclave__breakGlassPrincipals=None)) == (
        f"enclave:breakGlassPrincipals: is required; {_BREAK_GLASS_ALLOWED}"
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("not json", "'not json' is not a list"),
        ("[]", "'[]' is not a list of 1 to 10 ARNs"),
        ('"arn:aws:iam::111111111101:user/a"', "'\"arn:aws:iam::111111111101:user/a\"' is not a list of 1 to 10 ARNs"),
        ('["arn:aws:iam::111111111101:root"]', "'arn:aws:iam::111111111101:root' is not an IAM user or role ARN"),
        ('["arn:aws:iam::*:user/a"]', "'arn:aws:iam::*:user/a' is not an IAM user or role ARN"),
        ('["arn:aws:iam::222222222222:user/a"]', "'arn:aws:iam::222222222222:user/a' is in another account"),
        ('["arn:aws:iam::111111111101:user/a", "arn:aws:iam::111111111101:user/a"]', "names a principal twice"),
    ],
)
def test_bad_break_glass_principals(raw: str, problem: str) -> None:
    message = error_of(with_(enclave__breakGlassPrincipals=raw))
    assert message.startswith("enclave:breakGlassPrincipals: ") and problem in message
    assert message.endswith(_BREAK_GLASS_ALLOWED)


def test_account_jurisdiction_problems_read_the_catalogue_account_map() -> None:
    catalogue = default_catalogue()
    eu = catalogue.get("eu")
    own = {"enclave:accountId": "111111111101", "aws:allowedAccountIds": '["111111111100"]'}
    assert account_jurisdiction_problems(own, None, eu, catalogue) == []
    [problem] = account_jurisdiction_problems({"app:accountId": "111111111103"}, "app", eu, catalogue)
    assert problem.startswith("app:accountId = 111111111103 is an enclave account of United States (us)")
