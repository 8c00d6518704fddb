"""Evidence reports for third-party auditors: JSON, Markdown, self-contained HTML, and a terminal table.

Every format carries the same record: scope (account, jurisdiction, regions, services, endpoint), time,
tool version, summary counts, every finding, the API errors, and the exemptions and transfer
assessments the run relied on.
"""

from __future__ import annotations

import io
import json
from html import escape
from typing import Any

from enclave.audit.findings import AuditReport

FORMATS = ("table", "json", "html", "markdown")
STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "ERROR": "bold yellow"}


def render(report: AuditReport, fmt: str, *, width: int = 160, color: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "table":
        return render_table(report, width=width, color=color)
    raise ValueError(f"unknown report format {fmt!r}; allowed: {', '.join(FORMATS)}")


def render_json(report: AuditReport) -> str:
    return json.dumps(report.as_dict(), indent=2, sort_keys=False) + "\n"


def _scope_rows(report: AuditReport) -> list[tuple[str, str]]:
    scope = report.scope()
    return [
        ("Account", scope["account"]),
        ("Jurisdiction", f"{scope['jurisdiction']} ({scope['jurisdiction_name']})"),
        ("Allowed regions", ", ".join(scope["allowed_regions"])),
        ("Regions scanned", f"{', '.join(scope['regions'])} ({scope['region_source']})"),
        ("Services", ", ".join(scope["services"])),
        ("Started", scope["started_at"]),
        ("Finished", scope["finished_at"]),
        ("Tool version", scope["tool_version"]),
        ("Endpoint", scope["endpoint"] or "AWS (default endpoints)"),
    ]


def _summary(report: AuditReport) -> str:
    counts = report.counts()
    verdict = "clean" if report.exit_code == 0 else "NOT clean"
    return f"{counts['FAIL']} FAIL, {counts['ERROR']} ERROR, {counts['PASS']} PASS: {verdict}"


def _md(text: Any) -> str:
    # Markdown table cells: escape the pipe and keep one line.
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: AuditReport) -> str:
    out = ["# Residency audit evidence", "", "## Scope", "", "| | |", "|---|---|"]
    out += [f"| {_md(k)} | {_md(v)} |" for k, v in _scope_rows(report)]
    out += ["", "## Summary", "", _summary(report), "", "## Findings", ""]
    out += ["| Status | Rule | Resource | Region | Message |", "|---|---|---|---|---|"]
    out += [
        f"| {f.status} | {_md(f.rule)} | {_md(f.resource)} | {_md(f.region or '-')} | {_md(f.message)} |"
        for f in report.findings
    ]
    out += ["", "## Exemptions used", ""]
    out += [
        f"- {_md(e['id'])}: {_md(e['rule'])} on {_md(e['resource'])}, owner {_md(e['owner'])}, "
        f"expires {e['expires']}: {_md(e['reason'])}"
        for e in report.exemptions_used
    ] or ["None."]
    out += ["", "## Transfer assessments used", ""]
    out += [
        f"- {_md(a['id'])}: {_md(a['source'])} to {_md(a['destination'])} ({_md(a['vectors'])}), "
        f"{_md(a['legal_mechanism'])}, approved by {_md(a['approver'])}, review by {a['review_by']} ({a['state']})"
        for a in report.assessments_used
    ] or ["None."]
    out += ["", "## API errors", ""]
    out += [f"- {_md(e['message'])}" for e in report.as_dict()["errors"]] or ["None."]
    return "\n".join(out) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}"
    "th{background:#f3f3f3}.PASS{color:#176f2c}.FAIL{color:#b00020;font-weight:bold}"
    ".ERROR{color:#8a5a00;font-weight:bold}.nowrap{white-space:nowrap}"
)


def _html_table(headers: list[str], rows: list[list[str]], status_col: int | None = None) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == status_col:
                cls = f' class="{escape(cell)} nowrap"'
            elif headers[i] == "Region":
                cls = ' class="nowrap"'
            else:
                cls = ""
            cells.append(f"<td{cls}>{escape(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: AuditReport) -> str:
    """One self-contained page (inline CSS, no scripts, no external assets); every value is escaped."""
    scope = _html_table(["Field", "Value"], [[k, str(v)] for k, v in _scope_rows(report)])
    findings = _html_table(
        ["Status", "Rule", "Resource", "Region", "Message"],
        [[f.status, f.rule, f.resource, f.region or "-", f.message] for f in report.findings],
        status_col=0,
    )
    exemptions = _html_table(
        ["Id", "Rule", "Resource", "Owner", "Expires", "Reason"],
        [[e["id"], e["rule"], e["resource"], e["owner"], e["expires"], e["reason"]] for e in report.exemptions_used],
    )
    assessments = _html_table(
        ["Id", "Source", "Destination", "Vectors", "Legal mechanism", "Approver", "Review by", "State"],
        [
            [
                a["id"],
                a["source"],
                a["destination"],
                a["vectors"],
                a["legal_mechanism"],
                a["approver"],
                a["review_by"],
                a["state"],
            ]
            for a in report.assessments_used
        ],
    )
    errors = _html_table(
        ["Service", "Region", "Operation", "IAM permission", "Code", "Resource"],
        [
            [e["service"], e["region"], e["operation"], e["permission"], e["code"], e["resource"]]
            for e in report.as_dict()["errors"]
        ],
    )
    title = f"Residency audit: account {report.scan.account}, jurisdiction {report.jurisdiction.id}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><h2>Scope</h2>{scope}"
        f"<h2>Summary</h2><p>{escape(_summary(report))}</p>"
        f"<h2>Findings</h2>{findings}<h2>Exemptions used</h2>{exemptions}"
        f"<h2>Transfer assessments used</h2>{assessments}<h2>API errors</h2>{errors}"
        "</body></html>\n"
    )


def render_table(report: AuditReport, *, width: int = 160, color: bool = False) -> str:
    """The rich table for terminals: failures and errors first, then passes."""
    # Imported here: the scheduled Lambda renders JSON and HTML only, and its runtime has no rich.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Residency audit of {report.scan.account} for {report.jurisdiction.name}", expand=False)
    for column in ("Status", "Rule", "Resource", "Region", "Message"):
        table.add_column(column, overflow="fold")
    for f in report.findings:
        # Text cells, not markup: resource names and messages may contain "[...]".
        table.add_row(
            Text(f.status, style=STATUS_STYLE[f.status]),
            Text(f.rule),
            Text(f.resource),
            Text(f.region or "-"),
            Text(f.message),
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color)
    console.print(table)
    scope = report.scope()
    lines = [
        f"account {scope['account']}, jurisdiction {scope['jurisdiction']}, regions {', '.join(scope['regions'])}",
        f"services {', '.join(scope['services'])}; {scope['started_at']} to {scope['finished_at']}; "
        f"enclave {scope['tool_version']}",
        _summary(report),
    ]
    lines += [
        f"exemption used: {e['id']} ({e['rule']} on {e['resource']}, expires {e['expires']})"
        for e in report.exemptions_used
    ]
    lines += [
        f"transfer assessment used: {a['id']} ({a['destination']}, review by {a['review_by']}, {a['state']})"
        for a in report.assessments_used
    ]
    lines += [f"API error: {e['message']}" for e in report.as_dict()["errors"]]
    for line in lines:
        console.print(line, markup=False, highlight=False)
    return buffer.getvalue()
