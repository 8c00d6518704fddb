"""One evidence report for an organisation-wide audit: a summary across accounts, then a section per account.

Each account's section carries the same record as a single-account report (scope, summary, findings, API
errors, exemptions and assessments used); an account that could not be audited carries its named ERROR.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from html import escape
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from enclave.audit.organization import ACCOUNT_ERROR, AUDITED, AccountOutcome, OrgAuditReport
from enclave.audit.report import _CSS, STATUS_STYLE, _html_table, _md, _scope_rows, _summary

FORMATS = ("table", "json", "html", "markdown")


def render_org(report: OrgAuditReport, fmt: str, *, width: int = 160, color: bool = False) -> str:
    renderers = {"json": render_json, "markdown": render_markdown, "html": render_html}
    if fmt == "table":
        return render_table(report, width=width, color=color)
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; allowed: {', '.join(FORMATS)}")
    return renderers[fmt](report)


def account_states(report: OrgAuditReport) -> dict[str, int]:
    counts = Counter(o.state for o in report.outcomes)
    return {state: counts.get(state, 0) for state in sorted({o.state for o in report.outcomes} | {AUDITED})}


def verdict(report: OrgAuditReport) -> str:
    counts = report.counts()
    accounts = account_states(report)
    clean = "clean" if report.exit_code == 0 else "NOT clean"
    return (
        f"{len(report.outcomes)} accounts: {accounts.get(AUDITED, 0)} audited, {accounts.get(ACCOUNT_ERROR, 0)} "
        f"could not be audited; {counts['FAIL']} FAIL, {counts['ERROR']} ERROR, {counts['PASS']} PASS: {clean}"
    )


def _account_row(o: AccountOutcome) -> dict[str, Any]:
    counts = o.report.counts() if o.report else {"PASS": 0, "FAIL": 0, "ERROR": 0}
    if o.error:
        counts = {**counts, "ERROR": counts["ERROR"] + 1}
    return {
        "account": o.account.id,
        "name": o.account.name,
        "status": o.account.status,
        "jurisdiction": o.account.jurisdiction,
        "jurisdiction_source": o.account.source,
        "state": o.state,
        "error": o.error,
        "counts": counts,
    }


def as_dict(report: OrgAuditReport) -> dict[str, Any]:
    return {
        "organization": {
            "caller_account": report.caller_account,
            "started_at": report.started_at.isoformat(),
            "finished_at": report.finished_at.isoformat(),
            "tool_version": report.tool_version,
            "jurisdictions": list(report.request.jurisdictions or []),
            "role_name": report.request.role_name,
            "max_accounts_in_flight": report.request.max_accounts_in_flight,
        },
        "summary": {"accounts": account_states(report), "findings": report.counts(), "verdict": verdict(report)},
        "accounts": [{**_account_row(o), "report": o.report.as_dict() if o.report else None} for o in report.outcomes],
    }


def render_json(report: OrgAuditReport) -> str:
    return json.dumps(as_dict(report), indent=2) + "\n"


_SUMMARY_HEADERS = ["Account", "Name", "Jurisdiction", "From", "State", "FAIL", "ERROR", "PASS"]


def _summary_rows(report: OrgAuditReport) -> list[list[str]]:
    rows = []
    for o in report.outcomes:
        r = _account_row(o)
        rows.append(
            [r["account"], r["name"], r["jurisdiction"] or "-", r["jurisdiction_source"] or "-", r["state"]]
            + [str(r["counts"][k]) for k in ("FAIL", "ERROR", "PASS")]
        )
    return rows


def render_markdown(report: OrgAuditReport) -> str:
    out = ["# Residency audit evidence: organisation", "", "## Summary across accounts", "", verdict(report), ""]
    out += ["| " + " | ".join(_SUMMARY_HEADERS) + " |", "|" + "---|" * len(_SUMMARY_HEADERS)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in _summary_rows(report)]
    for o in report.outcomes:
        out += ["", f"## Account {o.account.id} ({_md(o.account.name)}): {o.state}", ""]
        if o.error:
            out += [f"ERROR: {_md(o.error)}"]
        if o.report is None:
            continue
        out += ["| | |", "|---|---|"] + [f"| {_md(k)} | {_md(v)} |" for k, v in _scope_rows(o.report)]
        out += ["", _summary(o.report), "", "| Status | Rule | Resource | Region | Message |", "|---|---|---|---|---|"]
        out += [
            f"| {f.status} | {_md(f.rule)} | {_md(f.resource)} | {_md(f.region or '-')} | {_md(f.message)} |"
            for f in o.report.findings
        ]
        used = [f"exemption {e['id']}" for e in o.report.exemptions_used]
        used += [f"assessment {a['id']} ({a['state']})" for a in o.report.assessments_used]
        out += ["", "Relied on: " + (", ".join(used) or "no exemption or assessment")]
    return "\n".join(out) + "\n"


def _html_account(o: AccountOutcome) -> str:
    parts = [f"<h2>Account {escape(o.account.id)} ({escape(o.account.name)}): {escape(o.state)}</h2>"]
    if o.error:
        parts.append(f'<p class="ERROR">ERROR: {escape(o.error)}</p>')
    if o.report is not None:
        r = o.report
        parts.append(_html_table(["Field", "Value"], [[k, str(v)] for k, v in _scope_rows(r)]))
        parts.append(f"<p>{escape(_summary(r))}</p>")
        parts.append(
            _html_table(
                ["Status", "Rule", "Resource", "Region", "Message"],
                [[f.status, f.rule, f.resource, f.region or "-", f.message] for f in r.findings],
                status_col=0,
            )
        )
        used = [[e["id"], "exemption", e["reason"]] for e in r.exemptions_used]
        used += [[a["id"], "transfer assessment", a["state"]] for a in r.assessments_used]
        parts.append("<h3>Relied on</h3>" + _html_table(["Id", "Kind", "Detail"], used))
    return "".join(parts)


def render_html(report: OrgAuditReport) -> str:
    """One self-contained page (inline CSS, no scripts); every value is escaped."""
    title = f"Residency audit: organisation (caller {report.caller_account})"
    summary = _html_table(_SUMMARY_HEADERS, _summary_rows(report), status_col=None)
    meta = as_dict(report)["organization"]
    scope = _html_table(["Field", "Value"], [[k, str(v)] for k, v in meta.items()])
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{scope}<h2>Summary across accounts</h2><p>{escape(verdict(report))}</p>{summary}"
        + "".join(_html_account(o) for o in report.outcomes)
        + "</body></html>\n"
    )


def render_table(report: OrgAuditReport, *, width: int = 160, color: bool = False) -> str:
    table = Table(title="Residency audit of the organisation", expand=False)
    for column in _SUMMARY_HEADERS:
        table.add_column(column, overflow="fold")
    for row in _summary_rows(report):
        style = "bold yellow" if row[4] == ACCOUNT_ERROR else ""
        table.add_row(*[Text(c, style=style) for c in row])
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color)
    console.print(table)
    for o in report.outcomes:
        if o.error:
            console.print(Text(f"account {o.account.id}: ERROR: {o.error}", style=STATUS_STYLE["ERROR"]))
        for f in o.report.findings if o.report else []:
            if f.status != "PASS":
                line = f"account {o.account.id}: {f.status} [{f.rule}] {f.resource} ({f.region or '-'}): {f.message}"
                console.print(Text(line, style=STATUS_STYLE[f.status]))
    console.print(verdict(report), markup=False, highlight=False)
    return buffer.getvalue()
