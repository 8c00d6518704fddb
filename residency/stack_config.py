"""A stack's configuration, validated into a typed ``EnclaveConfig`` before any resource is registered.

Pure: no pulumi, no boto3. Values arrive as Pulumi passes them, as strings (``"true"``, ``"365"``).
Every defect is a ``ConfigError(key, message)`` whose message names the bad value and what is allowed.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from residency.arns import is_account_id
from residency.errors import ConfigError
from residency.jurisdictions import Catalogue, Jurisdiction, default_catalogue
from residency.regions import is_availability_zone_of, is_known_region

JURISDICTION = "enclave:jurisdiction"
REGION = "aws:region"
ACCOUNT_ID = "enclave:accountId"
# The default AWS provider's allowed accounts (a JSON list in stack config): where the stack deploys.
ALLOWED_ACCOUNT_IDS = "aws:allowedAccountIds"
# pulumi-aws-native reads its own region key; the pack places aws-native resources by it.
NATIVE_REGION = "aws-native:region"
VPC_CIDR = "enclave:vpcCidr"
AUDIT_RETENTION_DAYS = "enclave:auditRetentionDays"
KUBERNETES = "enclave:kubernetes"
# The de-identification pipeline, its guard and the research workgroup; on by default (the pack requires them).
TEST_DATA_PIPELINE = "enclave:testDataPipeline"
STACK_KIND = "enclave:stackKind"
AVAILABILITY_ZONES = "enclave:availabilityZones"
DEPLOY_ROLE_NAME = "enclave:deployRoleName"
BREAK_GLASS_PRINCIPALS = "enclave:breakGlassPrincipals"

STACK_KINDS = ("enclave", "org")
MIN_PREFIX, MAX_PREFIX = 16, 24
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 1, 3650
DEFAULT_RETENTION_DAYS = 365
# The network ring gives each zone a quarter of the VPC CIDR.
MAX_ZONES = 4
DEFAULT_DEPLOY_ROLE_NAME = "enclave-deploy"
# RFC 1918: an enclave VPC is never addressed from public space.
PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_ROLE_NAME_RE = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")
# An IAM user or role ARN (with an optional path); the account is checked against the enclave's separately.
_PRINCIPAL_ARN_RE = re.compile(r"arn:aws:iam::([0-9]{12}):(user|role)/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}")
MAX_BREAK_GLASS_PRINCIPALS = 10


@dataclass(frozen=True)
class EnclaveConfig:
    """Everything an enclave stack needs, already checked against the jurisdiction catalogue."""

    jurisdiction: Jurisdiction
    region: str
    account_id: str
    vpc_cidr: str
    audit_retention_days: int
    kubernetes: bool
    availability_zones: tuple[str, ...]
    deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME
    test_data_pipeline: bool = True
    # The named people who may assume break-glass (IAM users or roles of the enclave account).
    break_glass_principals: tuple[str, ...] = ()


def _declared_keys(key: str, project: str | None) -> tuple[str, ...]:
    # ``enclave:<name>``, then the same name in the program's own namespace: how a program that is not this
    # project (``enclave check --program``) declares its enclave to the pack and the offline run.
    name = key.split(":", 1)[1]
    return (key, f"{project}:{name}") if project and project != key.split(":", 1)[0] else (key,)


def declared_jurisdiction(config: Mapping[str, str], project: str | None) -> str | None:
    """The jurisdiction a stack declares (``enclave:jurisdiction`` or ``<project>:jurisdiction``), unchecked."""
    return next((config[k] for k in _declared_keys(JURISDICTION, project) if config.get(k)), None)


def jurisdiction_declarations(config: Mapping[str, str], project: str | None) -> dict[str, str]:
    """Every jurisdiction the stack's config declares, by key: a program may read either key, so two that
    disagree are a problem, not a choice."""
    return {k: config[k] for k in _declared_keys(JURISDICTION, project) if config.get(k)}


def declared_account(config: Mapping[str, str], project: str | None) -> str | None:
    """The enclave account a stack declares (``enclave:accountId`` or ``<project>:accountId``), when it is
    an account id; anything else is no declaration."""
    return next((config[k] for k in _declared_keys(ACCOUNT_ID, project) if is_account_id(config.get(k) or "")), None)


def declared_accounts(config: Mapping[str, str], project: str | None) -> tuple[dict[str, str], list[str]]:
    """Every AWS account the stack's config says it deploys into, by where it is said (the enclave account,
    each of the default AWS provider's allowed accounts), and one problem per value that is not an account."""
    accounts: dict[str, str] = {}
    problems: list[str] = []
    for key in _declared_keys(ACCOUNT_ID, project):
        value = config.get(key)
        if value and is_account_id(value):
            accounts[key] = value
        elif value:
            problems.append(f"{key} = {value!r} is not an AWS account id; allowed: exactly 12 digits")
    raw = config.get(ALLOWED_ACCOUNT_IDS)
    if raw:
        try:
            listed = json.loads(raw)
        except ValueError:
            listed = None
        if not isinstance(listed, list) or not all(isinstance(a, str) and is_account_id(a) for a in listed):
            problems.append(
                f"{ALLOWED_ACCOUNT_IDS} = {raw!r} is not a list of AWS account ids; allowed: a JSON list of "
                '12-digit strings, e.g. ["111111111101"]'
            )
        else:
            accounts.update({f"{ALLOWED_ACCOUNT_IDS}[{i}]": a for i, a in enumerate(listed)})
    return accounts, problems


def account_jurisdiction_problems(
    config: Mapping[str, str], project: str | None, jurisdiction: Jurisdiction, catalogue: Catalogue
) -> list[str]:
    """Where the stack's accounts disagree with its jurisdiction: an account the catalogue lists as an
    enclave account of another jurisdiction (``accounts`` in residency/catalogue.toml), or a value that is
    not an account. An account the catalogue does not list is no evidence either way."""
    accounts, problems = declared_accounts(config, project)
    for key, account in accounts.items():
        owner = catalogue.account_owner(account)
        if owner is not None and owner.id != jurisdiction.id:
            problems.append(
                f"{key} = {account} is an enclave account of {owner.name} ({owner.id}), but the stack's "
                f"jurisdiction is {jurisdiction.id!r}; deploy it with an account of {jurisdiction.name}"
            )
    return problems


def parse_stack_kind(config: Mapping[str, str]) -> str:
    """``enclave`` (default) or ``org``."""
    kind = config.get(STACK_KIND, "enclave")
    if kind not in STACK_KINDS:
        raise ConfigError(STACK_KIND, f"{kind!r} is not a stack kind; allowed: {', '.join(STACK_KINDS)}")
    return kind


def parse_enclave_config(
    config: Mapping[str, str],
    other_stack_cidrs: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> EnclaveConfig:
    """Validate an enclave stack's config. ``other_stack_cidrs`` maps each other shipped stack to its CIDR."""
    catalogue = catalogue or default_catalogue()
    jurisdiction = _jurisdiction(config, catalogue)
    region = _region(config, jurisdiction, catalogue)
    cidr = parse_vpc_cidr(config.get(VPC_CIDR))
    check_cidr_overlap(cidr, other_stack_cidrs or {})
    account_id = _account_id(config)
    return EnclaveConfig(
        jurisdiction=jurisdiction,
        region=region,
        account_id=account_id,
        vpc_cidr=str(cidr),
        audit_retention_days=_retention(config),
        kubernetes=_boolean(config, KUBERNETES, default=False),
        availability_zones=_availability_zones(config, region),
        deploy_role_name=_deploy_role_name(config),
        test_data_pipeline=_boolean(config, TEST_DATA_PIPELINE, default=True),
        break_glass_principals=parse_break_glass_principals(config.get(BREAK_GLASS_PRINCIPALS), account_id),
    )


def _jurisdiction(config: Mapping[str, str], catalogue: Catalogue) -> Jurisdiction:
    jid = config.get(JURISDICTION)
    allowed = ", ".join(catalogue.ids())
    if not jid:
        raise ConfigError(JURISDICTION, f"is required; allowed: {allowed}")
    if jid not in catalogue.jurisdictions:
        raise ConfigError(JURISDICTION, f"unknown jurisdiction {jid!r}; allowed: {allowed}")
    return catalogue.get(jid)


def _region(config: Mapping[str, str], jurisdiction: Jurisdiction, catalogue: Catalogue) -> str:
    region = config.get(REGION) or jurisdiction.home_region
    allowed = ", ".join(jurisdiction.sorted_regions())
    if not is_known_region(region):
        raise ConfigError(REGION, f"unknown AWS region {region!r}; allowed for {jurisdiction.id}: {allowed}")
    if not jurisdiction.allows(region):
        owner = catalogue.owner_of(region)
        where = f" (it is in {owner.name})" if owner else ""
        raise ConfigError(
            REGION, f"region {region!r} is outside {jurisdiction.name}{where}; allowed for {jurisdiction.id}: {allowed}"
        )
    return region


def parse_vpc_cidr(value: str | None) -> ipaddress.IPv4Network:
    """A private IPv4 network between /16 and /24, written in canonical form (no host bits)."""
    allowed = f"a private IPv4 CIDR from /{MIN_PREFIX} to /{MAX_PREFIX}, e.g. 10.20.0.0/16"
    if not value:
        raise ConfigError(VPC_CIDR, f"is required; allowed: {allowed}")
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise ConfigError(VPC_CIDR, f"malformed CIDR {value!r}; allowed: {allowed}") from None
    if "/" not in value or not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise ConfigError(VPC_CIDR, f"prefix of {value!r} is outside /{MIN_PREFIX}../{MAX_PREFIX}; allowed: {allowed}")
    if not any(network.subnet_of(private) for private in PRIVATE_RANGES):
        raise ConfigError(VPC_CIDR, f"{value!r} is not in a private (RFC 1918) range; allowed: {allowed}")
    return network


def check_cidr_overlap(cidr: ipaddress.IPv4Network, other_stack_cidrs: Mapping[str, str]) -> None:
    """Enclaves never share address space, so they can never be peered or routed into each other by accident."""
    for stack in sorted(other_stack_cidrs):
        try:
            other = ipaddress.IPv4Network(other_stack_cidrs[stack], strict=False)
        except ValueError:
            continue  # that stack's own validation reports it
        if cidr.overlaps(other):
            raise ConfigError(
                VPC_CIDR, f"{cidr} overlaps stack {stack!r} ({other}); allowed: a CIDR that no other enclave uses"
            )


def _account_id(config: Mapping[str, str]) -> str:
    value = config.get(ACCOUNT_ID)
    if not value:
        raise ConfigError(ACCOUNT_ID, "is required; allowed: the enclave's 12-digit AWS account id")
    if not is_account_id(value):
        raise ConfigError(ACCOUNT_ID, f"malformed account id {value!r}; allowed: exactly 12 digits")
    return value


def _retention(config: Mapping[str, str]) -> int:
    raw = config.get(AUDIT_RETENTION_DAYS)
    if raw is None or raw == "":
        return DEFAULT_RETENTION_DAYS
    allowed = f"a whole number of days from {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS}"
    try:
        days = int(str(raw).strip())
    except ValueError:
        raise ConfigError(AUDIT_RETENTION_DAYS, f"{raw!r} is not a number; allowed: {allowed}") from None
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise ConfigError(AUDIT_RETENTION_DAYS, f"{days} is out of range; allowed: {allowed}")
    return days


def _boolean(config: Mapping[str, str], key: str, *, default: bool) -> bool:
    raw = config.get(key)
    if raw is None or raw == "":
        return default
    lowered = str(raw).strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ConfigError(key, f"{raw!r} is not a boolean; allowed: true, false")


def _availability_zones(config: Mapping[str, str], region: str) -> tuple[str, ...]:
    """Comma-separated AZ names of the enclave region; default ``<region>a,<region>b``.

    AZ names are given, not looked up, so the program never depends on an account-specific invoke.
    """
    raw = config.get(AVAILABILITY_ZONES)
    if not raw:
        return (f"{region}a", f"{region}b")
    zones = tuple(z.strip() for z in raw.split(",") if z.strip())
    allowed = f"2 to {MAX_ZONES} distinct zones of {region}, e.g. {region}a,{region}b"
    for zone in zones:
        if not is_availability_zone_of(zone, region):
            raise ConfigError(AVAILABILITY_ZONES, f"zone {zone!r} is not in {region}; allowed: {allowed}")
    if not 2 <= len(set(zones)) <= MAX_ZONES or len(set(zones)) != len(zones):
        raise ConfigError(AVAILABILITY_ZONES, f"{raw!r} does not name distinct zones; allowed: {allowed}")
    return zones


def _deploy_role_name(config: Mapping[str, str]) -> str:
    name = config.get(DEPLOY_ROLE_NAME) or DEFAULT_DEPLOY_ROLE_NAME
    if not _ROLE_NAME_RE.fullmatch(name):
        raise ConfigError(DEPLOY_ROLE_NAME, f"{name!r} is not an IAM role name; allowed: 1-64 of A-Z a-z 0-9 +=,.@_-")
    return name


def parse_break_glass_principals(raw: str | None, account_id: str) -> tuple[str, ...]:
    """The named people who may assume break-glass: 1 to 10 IAM user or role ARNs of the enclave's account.

    Pulumi passes a YAML list as a JSON string. Required: a break-glass role that anyone in the account could
    assume is the hole this list closes, so there is no default.
    """
    allowed = (
        f"a list of 1 to {MAX_BREAK_GLASS_PRINCIPALS} IAM user or role ARNs in account {account_id}, "
        f"e.g. [arn:aws:iam::{account_id}:user/break-glass/responder-1]"
    )
    if raw is None or raw == "":
        raise ConfigError(BREAK_GLASS_PRINCIPALS, f"is required; allowed: {allowed}")
    try:
        value = json.loads(raw)
    except ValueError:
        raise ConfigError(BREAK_GLASS_PRINCIPALS, f"{raw!r} is not a list; allowed: {allowed}") from None
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_BREAK_GLASS_PRINCIPALS:
        raise ConfigError(BREAK_GLASS_PRINCIPALS, f"{raw!r} is not a list of 1 to 10 ARNs; allowed: {allowed}")
    for arn in value:
        match = _PRINCIPAL_ARN_RE.fullmatch(arn) if isinstance(arn, str) else None
        if match is None:
            raise ConfigError(BREAK_GLASS_PRINCIPALS, f"{arn!r} is not an IAM user or role ARN; allowed: {allowed}")
        if match.group(1) != account_id:
            raise ConfigError(
                BREAK_GLASS_PRINCIPALS, f"{arn!r} is in another account than the enclave's; allowed: {allowed}"
            )
    if len(set(value)) != len(value):
        raise ConfigError(BREAK_GLASS_PRINCIPALS, f"{raw!r} names a principal twice; allowed: {allowed}")
    return tuple(value)
