"""`enclave audit --organization`: every enclave account of the organisation in one run, one report."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from enclave.audit import AuditRequest, tool_version
from enclave.audit.org_report import render_org
from enclave.audit.organization import OrgAuditReport, OrgAuditRequest, audit_organization
from enclave.offline.stack_files import load_project, load_stack_config
from residency.assessments import load_registry
from residency.exemptions import load_exemptions
from residency.jurisdictions import default_catalogue
from residency.rules import RULE_VECTORS

PROJECT_DIR = Path(__file__).resolve().parents[2]


def stack_accounts(project_dir: Path) -> dict[str, tuple[str, str]]:
    """account id -> (jurisdiction, stack) for every enclave stack of the project that names both."""
    project = load_project(project_dir)
    accounts: dict[str, tuple[str, str]] = {}
    for stack in project.stacks():
        config, _ = load_stack_config(project, stack)
        if config.get("enclave:stackKind", "enclave") != "enclave":
            continue
        account, jurisdiction = config.get("enclave:accountId"), config.get("enclave:jurisdiction")
        if account and jurisdiction:
            accounts[account] = (jurisdiction, stack)
    return accounts


def organization_request(args: argparse.Namespace, per_account: AuditRequest) -> OrgAuditRequest:
    return OrgAuditRequest(
        per_account=per_account,
        jurisdictions=tuple(args.jurisdiction) if args.jurisdiction else None,
        max_accounts_in_flight=args.max_accounts_in_flight,
        role_name=args.role_name,
        stack_accounts=stack_accounts(args.project_dir or PROJECT_DIR),
    )


def run_organization(args: argparse.Namespace, session: Any, per_account: AuditRequest) -> OrgAuditReport:
    catalogue = default_catalogue()
    for jid in args.jurisdiction or ():
        catalogue.get(jid)
    assessments = load_registry(args.assessments, catalogue)
    return audit_organization(
        session,
        organization_request(args, per_account),
        catalogue,
        assessments,
        load_exemptions(args.exemptions, RULE_VECTORS, assessments),
        date.today(),
        tool_version(),
    )


def render(report: OrgAuditReport, fmt: str, width: int, color: bool) -> tuple[str, dict[str, int]]:
    return render_org(report, fmt, width=width, color=color), report.counts()
