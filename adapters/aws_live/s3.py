"""S3 buckets -> Placement, KeyReference, Transfer (replication) and ControlState facts.

Buckets are listed once per account (ListBuckets is global); each bucket is then described in its own
region. ListBuckets returns each bucket's ``BucketRegion`` only when the request carries a parameter, so
it is paginated with ``MaxBuckets``: the region then costs no call. Where an endpoint does not return it
(moto 5.2 does not), the bucket's region is read with GetBucketLocation. GetBucketLocation quirks: ``None`` (or "") means us-east-1 and the legacy ``"EU"`` means eu-west-1.

Public access: like the policy pack (adapters/pulumi/aws_program.py), an account-level public access
block with all four settings on makes every bucket compliant whatever its own block says; otherwise the
bucket's own block must have all four. The account block is read once, with the bucket list.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.arns import parse_arn
from residency.data_tags import is_records_bucket_name
from residency.kms_keys import is_aws_managed_key
from residency.model import ControlState, Destination, Fact, KeyReference, Placement, Transfer, Vector
from residency.policy_documents import parse_document
from residency.records_network import AccessPoint, access_point_arns, records_network
from residency.regions import region_of
from residency.rule_ids import (
    LOCATION,
    RECORDS_SOURCE_VPCE,
    S3_ENCRYPTION_KMS,
    S3_PUBLIC_ACCESS_BLOCKED,
    transfer_rule_id,
)
from residency.s3_controls import EncryptionRule, judge_default_encryption, public_access_settings_off

RESOURCE_TYPE = "AWS::S3::Bucket"

PERMISSIONS = {
    "ListBuckets": "s3:ListAllMyBuckets",
    "GetBucketLocation": "s3:GetBucketLocation",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "GetBucketReplication": "s3:GetReplicationConfiguration",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "GetBucketPolicy": "s3:GetBucketPolicy",
}
# The account-level block lives in S3 Control, whose GetPublicAccessBlock needs another IAM action.
# The records bucket's access points (network origin, VPC, bucket) are S3 Control's GetAccessPoint.
S3CONTROL_PERMISSIONS = {
    "GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    "GetAccessPoint": "s3:GetAccessPoint",
}

# What the account-level block says: all four on, not (fully) set, or unreadable (the call failed).
ACCOUNT_BLOCKED, ACCOUNT_OPEN, ACCOUNT_UNREADABLE = "blocked", "open", "unreadable"


def normalise_location(constraint: str | None) -> str:
    """The region code for a GetBucketLocation answer."""
    if not constraint:
        return "us-east-1"
    if constraint == "EU":
        return "eu-west-1"
    return constraint


def bucket_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


# ListBuckets' largest page. Any MaxBuckets makes AWS return BucketRegion; the paginator follows
# ContinuationToken, so accounts above 10,000 buckets are listed in full.
LIST_PAGE_SIZE = 10_000


def discover(api: Api) -> list[Any]:
    buckets = api.items(
        "list_buckets",
        "Buckets",
        rule=LOCATION,
        resource="arn:aws:s3:::*",
        PaginationConfig={"PageSize": LIST_PAGE_SIZE},
    )
    if not buckets:
        return []
    account_block = _account_block(api)
    return [(b["Name"], account_block, b.get("BucketRegion") or None) for b in buckets]


def _account_block(api: Api) -> str:
    answer = api.using("s3control").call(
        "get_public_access_block",
        rule=S3_PUBLIC_ACCESS_BLOCKED,
        resource=f"arn:aws:s3::{api.account}:account-public-access-block",
        absent=("NoSuchPublicAccessBlockConfiguration",),
        AccountId=api.account,
    )
    if answer is None:
        return ACCOUNT_UNREADABLE  # recorded as an ERROR naming s3:GetAccountPublicAccessBlock
    settings = answer.get("PublicAccessBlockConfiguration", {})
    return ACCOUNT_BLOCKED if next(public_access_settings_off(settings.get), None) is None else ACCOUNT_OPEN


def inspect(api: Api, item: tuple[str, str, str | None]) -> list[Fact]:
    name, account_block, listed_region = item
    arn = bucket_arn(name)
    region = listed_region or _bucket_region(api, arn, name)
    if region is None:
        return []  # recorded as an ERROR: without a region nothing else about the bucket can be judged
    regional = api.in_region(region)
    facts: list[Fact] = [Placement(arn, RESOURCE_TYPE, region)]
    facts.extend(_encryption(regional, arn, name, region))
    facts.extend(_replication(regional, arn, name, region))
    facts.extend(_public_access(regional, arn, name, region, account_block))
    facts.extend(_records_network(regional, arn, name, region))
    return facts


def _bucket_region(api: Api, arn: str, name: str) -> str | None:
    """The fallback where ListBuckets gave no BucketRegion: one GetBucketLocation call."""
    located = api.call("get_bucket_location", rule=LOCATION, resource=arn, Bucket=name)
    if located is None:
        return None
    return normalise_location(located.get("LocationConstraint"))


def _encryption(api: Api, arn: str, name: str, region: str) -> list[Fact]:
    answer = api.call(
        "get_bucket_encryption",
        rule=S3_ENCRYPTION_KMS,
        resource=arn,
        absent=("ServerSideEncryptionConfigurationNotFoundError",),
        Bucket=name,
    )
    if answer is None:
        return []
    rules = answer.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    defaults = [r.get("ApplyServerSideEncryptionByDefault", {}) for r in rules]
    read = [EncryptionRule(d.get("SSEAlgorithm"), d.get("KMSMasterKeyID")) for d in defaults]
    satisfied, detail = judge_default_encryption(read)
    facts: list[Fact] = [ControlState(S3_ENCRYPTION_KMS, arn, RESOURCE_TYPE, region, satisfied, detail)]
    # Every customer-managed key the bucket names must also be held in the jurisdiction (key custody).
    for rule in read:
        if rule.key and not is_aws_managed_key(rule.key):
            facts.append(KeyReference(arn, RESOURCE_TYPE, "default encryption", rule.key, region_of(rule.key, region)))
    return facts


def _replication(api: Api, arn: str, name: str, region: str) -> list[Fact]:
    answer = api.call(
        "get_bucket_replication",
        rule=transfer_rule_id(Vector.S3_REPLICATION),
        resource=arn,
        absent=("ReplicationConfigurationNotFoundError",),
        Bucket=name,
    )
    if not answer:
        return []
    facts: list[Fact] = []
    # Disabled rules are reported too: they move no data today but can be switched on without review.
    for rule in answer.get("ReplicationConfiguration", {}).get("Rules", []):
        destination = rule.get("Destination", {})
        dest_arn = str(destination.get("Bucket", ""))
        parsed = parse_arn(dest_arn)
        dest_name = parsed.resource if parsed else dest_arn
        dest_region = _destination_region(api, dest_name)
        facts.append(
            Transfer(
                Vector.S3_REPLICATION,
                arn,
                RESOURCE_TYPE,
                region,
                Destination(f"bucket {dest_name}", dest_region, destination.get("Account")),
            )
        )
    return facts


def _destination_region(api: Api, name: str) -> str | None:
    # A destination in another account is usually not readable: its region is then unknown (the rule
    # reports UNKNOWN), which is the honest answer rather than an API error of the audited account.
    answer = api.call(
        "get_bucket_location", rule=transfer_rule_id(Vector.S3_REPLICATION), resource=name, quiet=True, Bucket=name
    )
    if answer is None:
        return None
    return normalise_location(answer.get("LocationConstraint"))


def _public_access(api: Api, arn: str, name: str, region: str, account_block: str) -> list[Fact]:
    answer = api.call(
        "get_public_access_block",
        rule=S3_PUBLIC_ACCESS_BLOCKED,
        resource=arn,
        absent=("NoSuchPublicAccessBlockConfiguration",),
        Bucket=name,
    )
    if answer is None:
        return []
    settings = answer.get("PublicAccessBlockConfiguration", {})
    off = list(public_access_settings_off(settings.get))
    if not off:
        return [ControlState(S3_PUBLIC_ACCESS_BLOCKED, arn, RESOURCE_TYPE, region, True, "all four settings on")]
    own = f"bucket block off: {', '.join(off)}" if answer else "no bucket public access block"
    if account_block == ACCOUNT_BLOCKED:
        detail = f"{own}, but the account-level public access block has all four settings on (as in the policy pack)"
        return [ControlState(S3_PUBLIC_ACCESS_BLOCKED, arn, RESOURCE_TYPE, region, True, detail)]
    if account_block == ACCOUNT_UNREADABLE:
        # The account block might cover the bucket: without it the rule cannot decide (UNKNOWN, never PASS).
        detail = f"{own}, and the account-level public access block could not be read"
        return [ControlState(S3_PUBLIC_ACCESS_BLOCKED, arn, RESOURCE_TYPE, region, None, detail)]
    return [
        ControlState(S3_PUBLIC_ACCESS_BLOCKED, arn, RESOURCE_TYPE, region, False, f"{own}; no full account-level block")
    ]


def _records_network(api: Api, arn: str, name: str, region: str) -> list[Fact]:
    """The records bucket (found by its name, residency/data_tags.py) serves objects only through the
    enclave's network: its policy, and the access points the policy names, judged by residency/records_network."""
    if not is_records_bucket_name(name):
        return []
    answer = api.call(
        "get_bucket_policy", rule=RECORDS_SOURCE_VPCE, resource=arn, absent=("NoSuchBucketPolicy",), Bucket=name
    )
    if answer is None:
        return []  # recorded as an ERROR naming s3:GetBucketPolicy
    raw = answer.get("Policy")
    document = parse_document(raw) if raw else None
    if raw and document is None:
        return [ControlState(RECORDS_SOURCE_VPCE, arn, RESOURCE_TYPE, region, None, "the bucket policy is unreadable")]
    points = _access_points(api, access_point_arns(document))
    verdict = records_network(document, name, points)
    return [ControlState(RECORDS_SOURCE_VPCE, arn, RESOURCE_TYPE, region, verdict.satisfied, verdict.detail)]


ACCESS_POINT_PREFIX = "accesspoint/"


def _access_points(api: Api, arns: list[str]) -> dict[str, AccessPoint | None]:
    """The access points of this account that ``arns`` name, read with s3control GetAccessPoint in their
    region: None for one whose answer failed (recorded as an ERROR: the rule is then UNKNOWN). An ARN that is
    not an access point of this account, or that S3 does not know (NoSuchAccessPoint), is left out: the rule
    then fails, because the policy admits a door the enclave does not own."""
    found: dict[str, AccessPoint | None] = {}
    for ap_arn in arns:
        parsed = parse_arn(ap_arn)
        if parsed is None or parsed.service != "s3" or parsed.account != api.account or not parsed.region:
            continue
        if not parsed.resource.startswith(ACCESS_POINT_PREFIX):
            continue
        answer = api.using("s3control", parsed.region).call(
            "get_access_point",
            rule=RECORDS_SOURCE_VPCE,
            resource=ap_arn,
            absent=("NoSuchAccessPoint",),
            AccountId=parsed.account,
            Name=parsed.resource.removeprefix(ACCESS_POINT_PREFIX),
        )
        if answer is None:
            found[ap_arn] = None
        elif answer:
            vpc = (answer.get("VpcConfiguration") or {}).get("VpcId")
            found[ap_arn] = AccessPoint(ap_arn, answer.get("Bucket"), answer.get("NetworkOrigin"), vpc)
    return found


SCANNER = ServiceScanner(
    name="s3",
    client_name="s3",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    is_global=True,
    other_clients={"s3control": S3CONTROL_PERMISSIONS},
)
