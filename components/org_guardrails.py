"""Organisation guardrails: per-jurisdiction service control policies, generated from the catalogue.

Each jurisdiction's organisational unit (OU) gets three SCPs (with AWS's FullAWSAccess, four of the five an
OU may carry):

- ``enclave-<jid>-region-guard``: deny every request outside the jurisdiction's regions
  (``aws:RequestedRegion``), except the global services listed in ``GLOBAL_SERVICE_ACTIONS`` and requests
  by the enclave auditor role of the OU's enclave accounts (read-only), which must scan every region for
  strays. STS is not exempt: the global endpoint (us-east-1) is refused outside the US, so every
  assumption is recorded in the jurisdiction (docs/access-model.md);
- ``enclave-<jid>-data-guard``: deny stopping or deleting CloudTrail, deleting or weakening the audit
  bucket, disabling or scheduling deletion of KMS keys, and any replication-configuration change except by
  the deployment role;
- ``enclave-<jid>-identity-guard``: deny setting the ``jurisdiction`` tag except by the identity administration role; the
  deploy role reading user records or assuming the people's roles; and creating or changing the deploy,
  identity administration and auditor roles except by the principal that owns each.

Every exemption names exact role ARNs in the OU's enclave accounts (read from the shipped enclave stacks),
never a name pattern in any account: a look-alike role elsewhere gets nothing.

SCPs cap what any principal in the OU's accounts can do, even an administrator: they back up the policy
pack (before deployment) and the live auditor (after) with a control AWS itself enforces. Three documents per
OU keep each under the 5,120-character SCP limit (tests check every generated document).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.deploy_role import DeployRoles, DeployRolesArgs, EnclaveStackRef
from components.policy import OBJECT_DATA_ACTIONS, deny_jurisdiction_tag
from components.principals import (
    AUDITOR,
    BREAK_GLASS,
    ENGINEER,
    IDENTITY_ADMIN_ROLE_NAME,
    JURISDICTION_TAG,
    OPERATOR,
    records_access_point_objects_pattern,
    records_bucket_arn_pattern,
    role_arn,
)
from residency.arns import is_account_id
from residency.errors import ConfigError
from residency.jurisdictions import Catalogue, Jurisdiction, default_catalogue
from residency.regions import is_known_region
from residency.stack_config import ACCOUNT_ID, JURISDICTION, REGION

SCP_MAX_CHARS = 5120
DEFAULT_DEPLOY_ROLE_NAME = "enclave-deploy"
DEFAULT_BOOTSTRAP_ROLE_NAME = "OrganizationAccountAccessRole"
ENCLAVE_ACCOUNTS_KEY = "stacks/Pulumi.<stack>.yaml enclave:accountId"
# The enclave audit bucket is the SecureBucket "<enclave>-oversight-audit-logs" (auto-named with a suffix).
DEFAULT_AUDIT_BUCKET_PATTERN = "enclave-*-audit-logs-*"
OU_KEY = "enclave:organizationalUnits"
REPOSITORY_KEY = "enclave:ciRepository"
_REPOSITORY_RE = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
_OU_RE = re.compile(r"^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$")

# Actions exempt from the region deny, each with why. Only control planes that AWS serves from one
# global endpoint (us-east-1) are listed: without them nobody could manage identities or support cases.
# Deliberately NOT exempt: kms (keys are regional; a key elsewhere breaks key custody), cloudfront (edge
# caches copy data worldwide: enclave accounts must not create distributions), s3 data operations.
GLOBAL_SERVICE_ACTIONS: dict[str, str] = {
    "iam:*": "IAM is global; roles and policies have no region",
    "organizations:*": "AWS Organizations is global (management of the org itself)",
    "route53:*": "Route 53 public/private hosted zones are global (names, not data)",
    "route53domains:*": "domain registration is served from us-east-1",
    "support:*": "AWS Support is a global service (us-east-1)",
    "budgets:*": "budgets are account-level, served from us-east-1",
    "ce:*": "Cost Explorer is served from us-east-1",
    "health:*": "the AWS Health API's global endpoint is us-east-1",
    "account:*": "account settings (contacts, region opt-in) are global",
    "s3:GetAccountPublicAccessBlock": "the account-level S3 public access block is global",
    "s3:PutAccountPublicAccessBlock": "the account-level S3 public access block is global",
    "s3:ListAllMyBuckets": "listing buckets is an account-level call",
}

REPLICATION_ACTIONS = (
    "s3:PutReplicationConfiguration",  # also covers deleting a bucket's replication configuration
    "s3:CreateMultiRegionAccessPoint",
    "ecr:PutReplicationConfiguration",
    "elasticfilesystem:CreateReplicationConfiguration",
    "dynamodb:CreateTableReplica",
    "secretsmanager:ReplicateSecretToRegions",
    "kms:ReplicateKey",
    "rds:StartDBInstanceAutomatedBackupsReplication",
    "rds:CreateGlobalCluster",
)


@dataclass(frozen=True)
class OrgGuardrailsArgs:
    organizational_units: Mapping[str, str]  # jurisdiction id -> OU id (or the root id)
    # The Organizations management account and the region its API calls go to: the provider refuses
    # credentials for any other account.
    account_id: str = ""
    region: str = ""
    deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME
    audit_bucket_pattern: str = DEFAULT_AUDIT_BUCKET_PATTERN
    # jurisdiction id -> the enclave account ids of its OU (from the shipped enclave stacks).
    enclave_accounts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    identity_admin_role_name: str = IDENTITY_ADMIN_ROLE_NAME
    # The role the org stack uses in each enclave account to create the deploy role (Organizations' default).
    bootstrap_role_name: str = DEFAULT_BOOTSTRAP_ROLE_NAME

    def accounts(self, jurisdiction_id: str) -> tuple[str, ...]:
        accounts = self.enclave_accounts.get(jurisdiction_id, ())
        if not accounts:
            raise ConfigError(
                ENCLAVE_ACCOUNTS_KEY,
                f"no enclave stack of jurisdiction {jurisdiction_id!r}: its SCP exemptions would name nobody",
            )
        return accounts

    def role_arns(self, jurisdiction_id: str, role_name: str) -> list[str]:
        return [f"arn:aws:iam::{account}:role/{role_name}" for account in self.accounts(jurisdiction_id)]


def _document(statements: list[dict[str, Any]]) -> str:
    # Minified: AWS counts every character of the document against the 5,120 limit.
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def region_guard(jurisdiction: Jurisdiction, args: OrgGuardrailsArgs) -> str:
    return _document(
        [
            {
                "Sid": "DenyOutsideJurisdiction",
                "Effect": "Deny",
                "NotAction": sorted(GLOBAL_SERVICE_ACTIONS),
                "Resource": "*",
                # Conditions are ANDed: denied outside the regions unless the caller is an enclave auditor role.
                # The live auditor must read every region to find strays outside the jurisdiction; its
                # identity policy is read-only and its boundary caps it, so the exemption grants only reads.
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": jurisdiction.sorted_regions()},
                    "ArnNotEquals": {"aws:PrincipalARN": _auditors(jurisdiction.id, args)},
                },
            }
        ]
    )


def _auditors(jurisdiction_id: str, args: OrgGuardrailsArgs) -> list[str]:
    return [role_arn(account, jurisdiction_id, AUDITOR) for account in args.accounts(jurisdiction_id)]


def data_guard(jurisdiction: Jurisdiction, args: OrgGuardrailsArgs) -> str:
    not_deployer = {"ArnNotEquals": {"aws:PrincipalARN": args.role_arns(jurisdiction.id, args.deploy_role_name)}}
    audit = [f"arn:aws:s3:::{args.audit_bucket_pattern}", f"arn:aws:s3:::{args.audit_bucket_pattern}/*"]
    return _document(
        [
            # Nobody, not even the deployer, can silence the audit trail: that needs the SCP detached.
            {
                "Sid": "DenyStopTrail",
                "Effect": "Deny",
                "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
                "Resource": "*",
            },
            {
                "Sid": "DenyChangeTrail",
                "Effect": "Deny",
                "Action": ["cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"],
                "Resource": "*",
                "Condition": not_deployer,
            },
            {
                "Sid": "DenyDeleteAudit",
                "Effect": "Deny",
                "Action": ["s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                "Resource": audit,
            },
            {
                "Sid": "DenyWeakenAudit",
                "Effect": "Deny",
                "Action": [
                    "s3:PutBucketPolicy",
                    "s3:PutLifecycleConfiguration",
                    "s3:PutBucketObjectLockConfiguration",
                    "s3:PutBucketVersioning",
                ],
                "Resource": audit,
                "Condition": not_deployer,
            },
            # Enclave accounts hold only enclave data: every key there is an enclave key.
            {
                "Sid": "DenyKeyDestruction",
                "Effect": "Deny",
                "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
                "Resource": "*",
            },
            {
                "Sid": "DenyReplication",
                "Effect": "Deny",
                "Action": list(REPLICATION_ACTIONS),
                "Resource": "*",
                "Condition": not_deployer,
            },
        ]
    )


def identity_guard(jurisdiction: Jurisdiction, args: OrgGuardrailsArgs) -> str:
    jid = jurisdiction.id
    deployers = args.role_arns(jid, args.deploy_role_name)
    people = [role_arn(account, jid, p) for account in args.accounts(jid) for p in (OPERATOR, BREAK_GLASS, ENGINEER)]
    return _document(
        [
            # The tag that admits people: only the identity administration role sets or removes it.
            deny_jurisdiction_tag(JURISDICTION_TAG, args.role_arns(jid, args.identity_admin_role_name)),
            # The deploy role never touches user records, whatever a key or bucket policy it wrote says.
            {
                "Sid": "DenyDeployerRecords",
                "Effect": "Deny",
                "Action": [*OBJECT_DATA_ACTIONS, "s3:PutReplicationConfiguration"],
                "Resource": [records_bucket_arn_pattern(jid), records_access_point_objects_pattern(jid)],
                "Condition": {"ArnEquals": {"aws:PrincipalARN": deployers}},
            },
            {
                "Sid": "DenyDeployerRecordKeys",
                "Effect": "Deny",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant"],
                "Resource": "*",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalARN": deployers},
                    "ForAnyValue:StringLike": {"kms:ResourceAliases": f"alias/enclave-{jid}-records"},
                },
            },
            {
                "Sid": "DenyDeployerAsPeople",
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Resource": people,
                "Condition": {"ArnEquals": {"aws:PrincipalARN": deployers}},
            },
            # The exemptions above trust these names in these accounts: nobody else creates or changes them.
            _deny_role_changes(
                "DenyDeployRoleChanges",
                [
                    f"arn:aws:iam::*:role/{args.deploy_role_name}",
                    f"arn:aws:iam::*:role/{args.identity_admin_role_name}",
                ],
                args.role_arns(jid, args.bootstrap_role_name),
            ),
            _deny_role_changes("DenyAuditorRoleChanges", ["arn:aws:iam::*:role/enclave-*-auditor"], deployers),
        ]
    )


ROLE_CHANGE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
)


def _deny_role_changes(sid: str, roles: list[str], owners: list[str]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Action": list(ROLE_CHANGE_ACTIONS),
        "Resource": roles,
        "Condition": {"ArnNotEquals": {"aws:PrincipalARN": owners}},
    }


def scp_documents(jurisdiction: Jurisdiction, args: OrgGuardrailsArgs) -> dict[str, str]:
    """The SCPs for one jurisdiction's OU, by kind; each is checked against the 5,120-character limit."""
    docs = {
        "region-guard": region_guard(jurisdiction, args),
        "data-guard": data_guard(jurisdiction, args),
        "identity-guard": identity_guard(jurisdiction, args),
    }
    for kind, doc in docs.items():
        if len(doc) > SCP_MAX_CHARS:
            raise ValueError(f"SCP enclave-{jurisdiction.id}-{kind} is {len(doc)} characters, over {SCP_MAX_CHARS}")
    return docs


def parse_organizational_units(raw: Any, catalogue: Catalogue) -> dict[str, str]:
    """``{jurisdiction id: OU id}``; a ConfigError names the bad key or value and what is allowed."""
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(OU_KEY, "must map jurisdiction ids to OU ids, e.g. {eu: ou-ab12-cdef3456}")
    units: dict[str, str] = {}
    for jid, ou in raw.items():
        if jid not in catalogue.jurisdictions:
            raise ConfigError(OU_KEY, f"unknown jurisdiction {jid!r}; allowed: {', '.join(catalogue.ids())}")
        if not isinstance(ou, str) or not _OU_RE.match(ou):
            raise ConfigError(OU_KEY, f"{jid}: {ou!r} is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)")
        units[jid] = ou
    return units


class OrgGuardrails(pulumi.ComponentResource):
    """Per-jurisdiction SCPs attached to each jurisdiction's OU. SCPs are protected: removing one is a decision."""

    def __init__(self, name: str, args: OrgGuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:OrgGuardrails", name, None, opts)
        catalogue = default_catalogue()
        self.provider = aws.Provider(
            f"{name}-aws",
            region=args.region,
            sts_region=args.region,
            allowed_account_ids=[args.account_id],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.policies: dict[str, aws.organizations.Policy] = {}
        for jid, ou in sorted(args.organizational_units.items()):
            jurisdiction = catalogue.get(jid)
            for kind, document in scp_documents(jurisdiction, args).items():
                policy = aws.organizations.Policy(
                    f"{name}-{jid}-{kind}",
                    name=f"enclave-{jid}-{kind}",
                    type="SERVICE_CONTROL_POLICY",
                    description=f"Residency guardrail ({kind}) for the {jurisdiction.name} enclave OU",
                    content=document,
                    opts=pulumi.ResourceOptions(parent=self, provider=self.provider, protect=True),
                )
                aws.organizations.PolicyAttachment(
                    f"{name}-{jid}-{kind}-attachment",
                    policy_id=policy.id,
                    target_id=ou,
                    opts=pulumi.ResourceOptions(parent=policy, provider=self.provider, protect=True),
                )
                self.policies[f"{jid}-{kind}"] = policy
        self.register_outputs({"policyIds": {k: p.id for k, p in self.policies.items()}})


def enclave_refs(stack_configs: Mapping[str, Mapping[str, str]], catalogue: Catalogue) -> list[EnclaveStackRef]:
    """The shipped enclave stacks (stack name -> its config), checked against the catalogue."""
    refs = []
    for stack, config in sorted(stack_configs.items()):
        jid, account = config.get(JURISDICTION, ""), config.get(ACCOUNT_ID, "")
        if jid not in catalogue.jurisdictions or not is_account_id(account):
            raise ConfigError(
                ENCLAVE_ACCOUNTS_KEY, f"stack {stack!r}: jurisdiction {jid!r} or account {account!r} is not valid"
            )
        jurisdiction = catalogue.get(jid)
        refs.append(EnclaveStackRef(stack, jurisdiction, account, config.get(REGION) or jurisdiction.home_region))
    return refs


def deploy_org_guardrails(stack_configs: Mapping[str, Mapping[str, str]]) -> None:
    """The `org` stack: read its config, create the guardrails and the enclaves' deploy roles, export their ids."""
    catalogue = default_catalogue()
    config = pulumi.Config("enclave")
    try:
        raw = config.get_object("organizationalUnits")
    except ValueError:
        raise ConfigError(OU_KEY, "is not a YAML/JSON object of jurisdiction id -> OU id") from None
    units = parse_organizational_units(raw, catalogue)
    account = config.get("accountId") or ""
    if not is_account_id(account):
        raise ConfigError(ACCOUNT_ID, f"{account!r} is not the management account's 12-digit id")
    region = pulumi.Config("aws").get("region") or ""
    if not is_known_region(region):
        raise ConfigError(REGION, f"{region!r} is not a known AWS region (the Organizations API calls go there)")
    repository = config.get("ciRepository") or ""
    if not _REPOSITORY_RE.fullmatch(repository):
        raise ConfigError(
            REPOSITORY_KEY,
            f"{repository!r} is not a GitHub repository; allowed: <org>/<repo>, e.g. example-org/regional-enclaves",
        )
    refs = enclave_refs(stack_configs, catalogue)
    accounts: dict[str, set[str]] = {}
    for ref in refs:
        accounts.setdefault(ref.jurisdiction.id, set()).add(ref.account_id)
    args = OrgGuardrailsArgs(
        organizational_units=units,
        account_id=account,
        region=region,
        deploy_role_name=config.get("deployRoleName") or DEFAULT_DEPLOY_ROLE_NAME,
        audit_bucket_pattern=config.get("auditBucketPattern") or DEFAULT_AUDIT_BUCKET_PATTERN,
        enclave_accounts={jid: tuple(sorted(ids)) for jid, ids in accounts.items()},
    )
    guardrails = OrgGuardrails("org-guardrails", args)
    deploy = DeployRoles(
        "deploy-roles",
        DeployRolesArgs(
            enclaves=refs,
            repository=repository,
            region=region,
            deploy_role_name=args.deploy_role_name,
            bootstrap_role_name=args.bootstrap_role_name,
        ),
    )
    pulumi.export("scpIds", {k: p.id for k, p in guardrails.policies.items()})
    pulumi.export("deployRoleArns", {stack: r.arn for stack, r in deploy.roles.items()})
