"""A rich table for people at a terminal: one summary row per target, then what needs action."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from enclave.gate.results import TargetResult


def _verdict(r: TargetResult) -> str:
    if r.error:
        return "[yellow]error[/]"
    return "[red]blocked[/]" if r.blocking else "[green]pass[/]"


def render_table(results: list[TargetResult], console: Console) -> None:
    summary = Table(title="enclave check", caption="checkov: passed/failed/skipped", show_lines=False)
    summary.add_column("target", overflow="fold")
    for col in ("jur.", "res.", "blocking", "advisory", "exempt", "checkov", "verdict"):
        summary.add_column(col, justify="left" if col in ("jur.", "verdict") else "right")
    for r in results:
        ck = "off" if r.checkov is None else f"{r.checkov.passed}/{r.checkov.failed}/{r.checkov.skipped}"
        summary.add_row(
            escape(r.target),
            r.jurisdiction or "?",
            str(r.resource_count),
            str(len(r.blocking_violations)),
            str(len(r.violations) - len(r.blocking_violations)),
            str(len(r.exemptions)),
            ck,
            _verdict(r),
        )
    console.print(summary)
    for r in results:
        if r.error:
            console.print(f"[yellow]{escape(r.target)}[/]: {escape(r.error)}", highlight=False)
        if r.violations:
            table = Table(title=f"{r.target}: policy violations", title_justify="left")
            for col in ("level", "policy", "resource", "message"):
                table.add_column(col, overflow="fold")
            for v in r.violations:
                style = "red" if v.blocking else "yellow"
                table.add_row(
                    f"[{style}]{v.enforcement_level}[/]", v.policy, escape(v.urn.rsplit("::", 1)[-1]), escape(v.message)
                )
            console.print(table)
        for e in r.exemptions:
            console.print(
                f"{escape(r.target)}: exemption [bold]{escape(e.id)}[/] waives {e.policy} on {escape(e.urn)} ({escape(e.reason)})"
            )
        if r.checkov and r.checkov.findings:
            table = Table(title=f"{r.target}: checkov failures", title_justify="left")
            for col in ("check", "resource", "message"):
                table.add_column(col, overflow="fold")
            for f in r.checkov.findings:
                table.add_row(f.check_id, escape(f.urn.rsplit("::", 1)[-1]), escape(f.message))
            console.print(table)
        if r.unmapped_types:
            console.print(
                escape(f"{r.target}: not scanned by checkov (no Terraform type): {', '.join(r.unmapped_types)}")
            )
