"""The enclave's IAM principals, named deterministically so key and bucket policies can name them first.

Key policies and bucket policies name the roles by ARN (through ``aws:PrincipalArn`` conditions), and the
roles' own policies name the keys and buckets: fixed role names break that cycle without a second pass.
Each enclave has its own account, so the names are unique where they need to be.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from residency.data_tags import records_bucket_name_pattern
from residency.identity import IDENTITY_ADMIN_ROLE_NAME, JURISDICTION_TAG

OPERATOR, ENGINEER, AUDITOR, BREAK_GLASS = "operator", "engineer", "auditor", "break-glass"
ROLE_PURPOSES = (OPERATOR, ENGINEER, AUDITOR, BREAK_GLASS)
# Roles of the de-identification pipeline (components/test_data.py), assumed by AWS services, not people.
PIPELINE, KEY_ROTATION, PIPELINE_SCHEDULER = "deidentify", "pseudonym-rotation", "deidentify-scheduler"
SERVICE_ROLE_PURPOSES = (PIPELINE, KEY_ROTATION, PIPELINE_SCHEDULER)
# Oversight roles that are not people of the enclave: the continuous audit's functions (AWS Config rules, the
# daily evidence run) and the configured third-party auditor (components/continuous_audit.py, external_auditor.py).
CONTINUOUS_AUDITOR, EXTERNAL_AUDITOR = "continuous-auditor", "external-auditor"
OVERSIGHT_PURPOSES = (CONTINUOUS_AUDITOR, EXTERNAL_AUDITOR)
# Roles that read every region (the live auditor's calls); their names all match AUDITOR_ROLE_ARN_PATTERN.
AUDITING_PURPOSES = (AUDITOR, CONTINUOUS_AUDITOR, EXTERNAL_AUDITOR)
# Every enclave's auditor role, in any account: the region guards exempt it so it can find strays elsewhere.
AUDITOR_ROLE_ARN_PATTERN = f"arn:aws:iam::*:role/enclave-*-{AUDITOR}"
# The principal tag that admits people, and the one role that may set it: the core's (residency/identity.py).
__all__ = ["IDENTITY_ADMIN_ROLE_NAME", "JURISDICTION_TAG"]


def role_name(jurisdiction_id: str, purpose: str) -> str:
    if purpose not in (*ROLE_PURPOSES, *SERVICE_ROLE_PURPOSES, *OVERSIGHT_PURPOSES):
        allowed = ", ".join((*ROLE_PURPOSES, *SERVICE_ROLE_PURPOSES, *OVERSIGHT_PURPOSES))
        raise ValueError(f"unknown role purpose {purpose!r}; allowed: {allowed}")
    return f"enclave-{jurisdiction_id}-{purpose}"


def role_arn(account_id: str, jurisdiction_id: str, purpose: str) -> str:
    return f"arn:aws:iam::{account_id}:role/{role_name(jurisdiction_id, purpose)}"


@dataclass(frozen=True)
class EnclavePrincipals:
    account_id: str
    jurisdiction_id: str
    deploy_role_name: str
    # The named people (IAM users or roles in this account) who may assume the break-glass role.
    break_glass_principals: tuple[str, ...] = field(default=())

    @property
    def account_root(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    @property
    def deploy_role_arn(self) -> str:
        """The role that runs `pulumi up` for this enclave; the only principal that administers keys."""
        return f"arn:aws:iam::{self.account_id}:role/{self.deploy_role_name}"

    @property
    def macie_role_arn(self) -> str:
        """Amazon Macie's service-linked role: it reads the test-data bucket to look for personal data."""
        return f"arn:aws:iam::{self.account_id}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie"

    def role_name(self, purpose: str) -> str:
        return role_name(self.jurisdiction_id, purpose)

    def role_arn(self, purpose: str) -> str:
        return role_arn(self.account_id, self.jurisdiction_id, purpose)

    def role_arns(self, *purposes: str) -> list[str]:
        return [self.role_arn(p) for p in purposes]

    @property
    def all_arns(self) -> list[str]:
        """The enclave's roles, the de-identification pipeline's role and the deploy role: the only
        principals an enclave bucket admits."""
        return [*self.role_arns(*ROLE_PURPOSES, *OVERSIGHT_PURPOSES, PIPELINE), self.deploy_role_arn]


def boundary_policy_name(jurisdiction_id: str) -> str:
    """The fixed name of the people's boundary: the deploy role's boundary requires it on every role it creates."""
    return f"enclave-{jurisdiction_id}-boundary"


def service_boundary_policy_name(jurisdiction_id: str) -> str:
    """The fixed name of the boundary the enclave's AWS-service roles (EKS cluster, nodes, EBS CSI) carry."""
    return f"enclave-{jurisdiction_id}-service-boundary"


def policy_arn(account_id: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:policy/{name}"


def records_bucket_arn_pattern(jurisdiction_id: str) -> str:
    """The user-record bucket (auto-named ``enclave-<jid>-storage-records-<suffix>``), objects included."""
    return f"arn:aws:s3:::{records_bucket_name_pattern(jurisdiction_id)}"


def records_access_point_name(jurisdiction_id: str) -> str:
    """The records bucket's access point: one per jurisdiction, a fixed name (S3: 3-50 characters, lower case,
    unique in the account and region), so its ARN is known before it exists."""
    return f"enclave-{jurisdiction_id}-records"


def records_access_point_objects_pattern(jurisdiction_id: str) -> str:
    """Objects read through the records bucket's access point, in any region of any of the jurisdiction's
    accounts: IAM and SCPs judge a request through an access point against the access point's ARN."""
    return f"arn:aws:s3:*:*:accesspoint/{records_access_point_name(jurisdiction_id)}/object/*"


def trail_name(jurisdiction_id: str) -> str:
    """The enclave trail's fixed name: the audit key's policy and the trail bucket's policy name its ARN."""
    return f"enclave-{jurisdiction_id}-trail"


def trail_arn(region: str, account_id: str, jurisdiction_id: str) -> str:
    return f"arn:aws:cloudtrail:{region}:{account_id}:trail/{trail_name(jurisdiction_id)}"


def alarm_rule_arn_pattern(region: str, account_id: str, jurisdiction_id: str) -> str:
    """Every alarm rule of the enclave (``enclave-<jid>-<kind>``, named in components/access.py)."""
    return f"arn:aws:events:{region}:{account_id}:rule/enclave-{jurisdiction_id}-*"
