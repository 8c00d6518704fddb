"""Evidence reports for third-party auditors: JSON, Markdown, self-contained HTML, and a terminal table.

Every format carries the same record: scope (account, jurisdiction, regions, services, endpoint), time,
tool version, summary counts, every finding, the API errors, and the exemptions and transfer
assessments the run relied on.
"""

from __future__ import annotations

import io
import json
from html import escape
from typing import TYPE_CHECKING, Any

from enclave.audit.findings import AuditReport

if TYPE_CHECKING:
    from rich.table import Table

FORMATS = ("table", "json", "html", "markdown")
STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "ERROR": "bold yellow"}


def render(report: AuditReport, fmt: str, *, width: int | None = None, color: bool = False) -> str:
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
    """The evidence page (enclave.audit.report_html, a Jinja2 template). Imported when used: the scheduled
    Lambda bundles jinja2 for it, and rich is not needed for it."""
    from enclave.audit.report_html import render_html as render_page

    return render_page(report)


# Below this many columns five table columns fold rule ids and ARNs mid-word: one block per finding instead.
WIDE = 120


def _narrow_table(report: AuditReport, title: str) -> Table:
    """One finding per block: status, then rule and region on one line, the resource, and the message."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=None, show_header=False, padding=(0, 1, 1, 0), expand=False)
    table.add_column("status", no_wrap=True)
    table.add_column("finding", overflow="fold")
    for f in report.findings:
        detail = Text.assemble((f.rule, "bold"), f"  {f.region or '-'}\n", f.resource, "\n", f.message)
        table.add_row(Text(f.status, style=STATUS_STYLE[f.status]), detail)
    return table


def render_table(report: AuditReport, *, width: int | None = None, color: bool = False) -> str:
    """The rich table for terminals: failures and errors first, then passes.

    ``width``: the terminal's. None (a file or a pipe): the table's own width, so that no ARN or message is
    folded across lines and the file can be searched.
    """
    # Imported here: the scheduled Lambda renders JSON and HTML only, and its runtime has no rich.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    title = f"Residency audit of {report.scan.account} for {report.jurisdiction.name}"
    if width is not None and width < WIDE:
        table = _narrow_table(report, title)
    else:
        table = Table(title=title, expand=False)
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
    console = Console(file=buffer, width=width or 80, force_terminal=color, no_color=not color)
    if width is None:
        console.width = max(80, console.measure(table, options=console.options.update(max_width=10_000)).maximum)
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
