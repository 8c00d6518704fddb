"""Audit every enclave account of an AWS Organization: list the members, map each to its jurisdiction,
assume its auditor role and run the single-account auditor there, a bounded number of accounts at once.

Where an account's jurisdiction comes from:
- the account's ``jurisdiction`` tag in AWS Organizations (``organizations:ListTagsForResource``), the
  organisation's own record; the value ``none`` declares an account that holds no enclave;
- else the project's enclave stacks (``enclave:accountId`` -> ``enclave:jurisdiction``).
Both present and different, unknown to the catalogue, or neither present: the account is an ERROR that names
why. So is an account whose auditor role cannot be assumed. No account of the organisation is left out
silently: every one is in the report, audited, out of scope (another jurisdiction), declared as no enclave,
or an ERROR.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws_live.api import client_config
from enclave.audit.findings import ERROR, AuditFinding, AuditReport, judge
from enclave.audit.scanner import AuditRequest, AuditSetupError, scan
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import Catalogue

JURISDICTION_TAG = "jurisdiction"
NO_ENCLAVE = "none"
# The auditor role every enclave creates (components/principals.py names it enclave-<jurisdiction>-auditor).
DEFAULT_ROLE_NAME = "enclave-{jurisdiction}-auditor"
SESSION_NAME = "enclave-org-audit"
# Calls the organisation-wide audit makes from the caller's (management or delegated-admin) account.
ORGANIZATION_PERMISSIONS = {
    ("organizations", "ListAccounts"): "organizations:ListAccounts",
    ("organizations", "ListTagsForResource"): "organizations:ListTagsForResource",
    ("sts", "AssumeRole"): "sts:AssumeRole",
}
# AWS Organizations' control plane.
ORGANIZATIONS_REGION = "us-east-1"

AUDITED, OUT_OF_SCOPE, NOT_AN_ENCLAVE, ACCOUNT_ERROR = "audited", "out of scope", "no enclave (tagged)", "ERROR"


@dataclass(frozen=True)
class MemberAccount:
    id: str
    name: str
    status: str
    jurisdiction: str | None
    # Where the jurisdiction came from ("tag", "stack <name>"), or why there is none.
    source: str
    problem: str | None = None


@dataclass(frozen=True)
class OrgAuditRequest:
    """One organisation-wide audit. ``per_account`` is the single-account request each account runs with
    (its jurisdiction is replaced by the account's own)."""

    per_account: AuditRequest
    jurisdictions: tuple[str, ...] | None = None
    max_accounts_in_flight: int = 4
    role_name: str = DEFAULT_ROLE_NAME
    # account id -> (jurisdiction id, stack name), from the project's enclave stacks.
    stack_accounts: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class AccountOutcome:
    account: MemberAccount
    state: str
    report: AuditReport | None = None
    error: str | None = None

    def findings(self) -> list[AuditFinding]:
        if self.error is not None:
            return [AuditFinding("organization-account", ERROR, f"account:{self.account.id}", None, self.error)]
        return self.report.findings if self.report else []


@dataclass
class OrgAuditReport:
    caller_account: str
    started_at: datetime
    finished_at: datetime
    tool_version: str
    request: OrgAuditRequest
    outcomes: list[AccountOutcome]

    def counts(self) -> dict[str, int]:
        counts = {"PASS": 0, "FAIL": 0, "ERROR": 0}
        for outcome in self.outcomes:
            for finding in outcome.findings():
                counts[finding.status] += 1
        return counts

    @property
    def exit_code(self) -> int:
        return 1 if any(f.status != "PASS" for o in self.outcomes for f in o.findings()) else 0


_ROLE_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")


def check_role_name(template: str) -> None:
    """The role-name template may use ``{jurisdiction}`` and must give an IAM role name."""
    allowed = (
        "an IAM role name (A-Z a-z 0-9 +=,.@_-), optionally with {jurisdiction}, e.g. enclave-{jurisdiction}-auditor"
    )
    try:
        name = template.format(jurisdiction="eu")
    except (KeyError, IndexError, ValueError):
        raise AuditSetupError(f"--role-name {template!r} is not valid; allowed: {allowed}") from None
    if not _ROLE_NAME.fullmatch(name):
        raise AuditSetupError(f"--role-name {template!r} is not valid; allowed: {allowed}")


def _error_text(err: Exception) -> str:
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        code, message = str(error.get("Code", "Unknown")), str(error.get("Message", ""))
    else:
        code, message = type(err).__name__, str(err)
    first = message.strip().splitlines()[0] if message.strip() else ""
    return f"{code}: {first}" if first else code


def list_member_accounts(
    session: Any, request: OrgAuditRequest, catalogue: Catalogue, config: Any
) -> list[MemberAccount]:
    """Every account of the organisation (ListAccounts, paginated), each mapped to its jurisdiction."""
    endpoint = request.per_account.endpoint_url
    try:
        org = session.client("organizations", region_name=ORGANIZATIONS_REGION, endpoint_url=endpoint, config=config)
        listed = [a for page in org.get_paginator("list_accounts").paginate() for a in page.get("Accounts", [])]
    except (ClientError, BotoCoreError) as err:
        raise AuditSetupError(
            f"cannot list the organisation's accounts ({_error_text(err)}); the caller needs "
            "organizations:ListAccounts in the management or a delegated administrator account"
        ) from None
    return [_map_account(org, account, request, catalogue) for account in sorted(listed, key=lambda a: a["Id"])]


def _map_account(org: Any, account: Mapping[str, Any], request: OrgAuditRequest, catalogue: Catalogue) -> MemberAccount:
    account_id, name, status = str(account["Id"]), str(account.get("Name", "")), str(account.get("Status", "UNKNOWN"))
    base = MemberAccount(account_id, name, status, None, "")
    try:
        tags = {
            t["Key"]: t["Value"]
            for page in org.get_paginator("list_tags_for_resource").paginate(ResourceId=account_id)
            for t in page.get("Tags", [])
        }
    except (ClientError, BotoCoreError) as err:
        return replace(
            base,
            problem=f"cannot read the account's tags ({_error_text(err)}); needs organizations:ListTagsForResource",
        )
    tagged = tags.get(JURISDICTION_TAG)
    stack = request.stack_accounts.get(account_id)
    if tagged == NO_ENCLAVE and stack is None:
        return replace(base, source=f"tag {JURISDICTION_TAG}={NO_ENCLAVE}")
    if tagged is not None and stack is not None and tagged != stack[0]:
        return replace(
            base,
            problem=f"tag {JURISDICTION_TAG}={tagged!r} contradicts stack {stack[1]} (jurisdiction {stack[0]!r})",
        )
    jurisdiction, source = (
        (tagged, "tag") if tagged is not None else (stack[0], f"stack {stack[1]}") if stack else (None, "")
    )
    if jurisdiction is None:
        return replace(
            base,
            problem=f"no jurisdiction: tag the account {JURISDICTION_TAG}=<id> (or {NO_ENCLAVE}) or name it in an "
            "enclave stack's enclave:accountId",
        )
    if jurisdiction not in catalogue.jurisdictions:
        return replace(
            base,
            source=source,
            problem=f"unknown jurisdiction {jurisdiction!r} ({source}); allowed: {', '.join(catalogue.ids())}",
        )
    if status != "ACTIVE":
        return replace(base, jurisdiction=jurisdiction, source=source, problem=f"account is {status}, not ACTIVE")
    return replace(base, jurisdiction=jurisdiction, source=source)


SessionFactory = Callable[[Mapping[str, str], str], Any]


def assumed_session(credentials: Mapping[str, str], region: str) -> Any:
    import boto3

    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def _audit_account(
    session: Any,
    account: MemberAccount,
    request: OrgAuditRequest,
    catalogue: Catalogue,
    judge_with: Callable[[Any, Any], AuditReport],
    make_session: SessionFactory,
) -> AccountOutcome:
    assert account.jurisdiction is not None
    jurisdiction = catalogue.get(account.jurisdiction)
    role_arn = f"arn:aws:iam::{account.id}:role/{request.role_name.format(jurisdiction=jurisdiction.id)}"
    per = request.per_account
    config = client_config(1, per.connect_timeout, per.read_timeout)
    try:
        # STS in the jurisdiction's home region: the credentials for its enclave are issued there.
        sts = session.client("sts", region_name=jurisdiction.home_region, endpoint_url=per.endpoint_url, config=config)
        credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
    except (ClientError, BotoCoreError) as err:
        return AccountOutcome(
            account, ACCOUNT_ERROR, error=f"cannot assume {role_arn} ({_error_text(err)}); account not audited"
        )
    try:
        result = scan(make_session(credentials, jurisdiction.home_region), replace(per, jurisdiction=jurisdiction))
    except AuditSetupError as err:
        return AccountOutcome(account, ACCOUNT_ERROR, error=f"audit of account {account.id} could not start: {err}")
    if result.account != account.id:
        # The role answered for another account: its evidence would be filed under the wrong name.
        return AccountOutcome(
            account, ACCOUNT_ERROR, error=f"{role_arn} returned credentials for account {result.account}"
        )
    return AccountOutcome(account, AUDITED, report=judge_with(result, jurisdiction))


def audit_organization(
    session: Any,
    request: OrgAuditRequest,
    catalogue: Catalogue,
    assessments: AssessmentRegistry,
    exemptions: ExemptionRegistry,
    today: date,
    tool_version: str,
    make_session: SessionFactory = assumed_session,
) -> OrgAuditReport:
    """List, map and audit every account; raises AuditSetupError only when the organisation cannot be listed."""
    if not 1 <= request.max_accounts_in_flight <= 64:
        raise AuditSetupError(f"--max-accounts-in-flight {request.max_accounts_in_flight} must be between 1 and 64")
    for jid in request.jurisdictions or ():
        catalogue.get(jid)  # raises the catalogue's one-line error for an unknown id
    check_role_name(request.role_name)
    started = datetime.now(UTC).replace(microsecond=0)
    per = request.per_account
    config = client_config(per.max_retries, per.connect_timeout, per.read_timeout)
    caller = _caller(session, per, config)
    accounts = list_member_accounts(session, request, catalogue, config)

    def judge_with(result: Any, jurisdiction: Any) -> AuditReport:
        return judge(result, jurisdiction, catalogue, assessments, exemptions, today, tool_version)

    outcomes: dict[str, AccountOutcome] = {}
    to_audit: list[MemberAccount] = []
    for account in accounts:
        if account.problem is not None:
            outcomes[account.id] = AccountOutcome(account, ACCOUNT_ERROR, error=account.problem)
        elif account.jurisdiction is None:
            outcomes[account.id] = AccountOutcome(account, NOT_AN_ENCLAVE)
        elif request.jurisdictions and account.jurisdiction not in request.jurisdictions:
            outcomes[account.id] = AccountOutcome(account, OUT_OF_SCOPE)
        else:
            to_audit.append(account)
    with ThreadPoolExecutor(max_workers=request.max_accounts_in_flight, thread_name_prefix="org-audit") as pool:
        futures = {
            a.id: pool.submit(_audit_account, session, a, request, catalogue, judge_with, make_session)
            for a in to_audit
        }
        for account in to_audit:
            try:
                outcomes[account.id] = futures[account.id].result()
            except Exception as err:  # a bug in one account's audit must not hide the others, nor itself
                outcomes[account.id] = AccountOutcome(
                    account, ACCOUNT_ERROR, error=f"audit of account {account.id} crashed: {_error_text(err)}"
                )
    return OrgAuditReport(
        caller_account=caller,
        started_at=started,
        finished_at=datetime.now(UTC).replace(microsecond=0),
        tool_version=tool_version,
        request=request,
        outcomes=[outcomes[a.id] for a in accounts],
    )


def _caller(session: Any, per: AuditRequest, config: Any) -> str:
    try:
        sts = session.client("sts", region_name=ORGANIZATIONS_REGION, endpoint_url=per.endpoint_url, config=config)
        return str(sts.get_caller_identity()["Account"])
    except (ClientError, BotoCoreError, ValueError) as err:
        raise AuditSetupError(f"cannot identify the calling account ({_error_text(err)})") from None
