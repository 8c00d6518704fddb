"""A rich table for people at a terminal: one summary row per target, then what needs action."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from enclave.commands.terminal import WIDE
from enclave.gate.results import TargetResult


def _verdict(r: TargetResult) -> str:
    if r.error:
        return "[yellow]error[/]"
    return "[red]blocked[/]" if r.blocking else "[green]pass[/]"


def render_table(results: list[TargetResult], console: Console) -> None:
    scanned = any(r.checkov is not None for r in results)
    # The checkov column and its caption only when checkov ran (not with --no-checkov).
    summary = Table(title="enclave check", caption="checkov: passed/failed/skipped" if scanned else None)
    summary.add_column("target", overflow="fold")
    columns = ["jur.", "res.", "blocking", "advisory", "exempt", *(["checkov"] if scanned else []), "verdict"]
    for col in columns:
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
            *([ck] if scanned else []),
            _verdict(r),
        )
    console.print(summary)
    for r in results:
        if r.error:
            console.print(f"[yellow]{escape(r.target)}[/]: {escape(r.error)}", highlight=False)
        if r.violations:
            _violations(r, console)
        for e in r.exemptions:
            console.print(
                f"{escape(r.target)}: exemption [bold]{escape(e.id)}[/] waives {e.policy} on {escape(where(r, e.urn))} ({escape(e.reason)})"
            )
        if r.checkov and r.checkov.findings:
            table = Table(title=f"{r.target}: checkov failures", title_justify="left")
            for col in ("check", "resource", "message"):
                table.add_column(col, overflow="fold")
            for f in r.checkov.findings:
                table.add_row(f.check_id, escape(where(r, f.urn)), escape(f.message))
            console.print(table)
        if r.unmapped_types:
            console.print(
                escape(f"{r.target}: not scanned by checkov (no Terraform type): {', '.join(r.unmapped_types)}")
            )


def _violations(r: TargetResult, console: Console) -> None:
    """A table on a wide terminal; on a narrow one a block per violation (policy ids and names whole)."""
    rows = [
        (Text(v.enforcement_level, style="red" if v.blocking else "yellow"), v.policy, where(r, v.urn), v.message)
        for v in r.violations
    ]
    if console.width >= WIDE:
        table = Table(title=f"{r.target}: policy violations", title_justify="left")
        for col in ("level", "policy", "resource", "message"):
            table.add_column(col, overflow="fold")
        for level, policy, resource, message in rows:
            table.add_row(level, Text(policy), Text(resource), Text(message))
        console.print(table)
        return
    console.print(Text(f"{r.target}: policy violations", style="bold"))
    for v, (level, policy, _resource, message) in zip(r.violations, rows, strict=True):
        console.print(Text.assemble(level, "  ", (policy, "bold"), "  ", v.urn.rsplit("::", 1)[-1]))
        declared = r.locations.get(v.urn)
        if declared:
            console.print(Padding(Text(f"at {declared.describe()}", style="dim"), (0, 0, 0, 4)))
        console.print(Padding(Text(message), (0, 0, 1, 4)))


def where(r: TargetResult, urn: str) -> str:
    """The resource's name, and the file and line that declare it when that is known."""
    declared = r.locations.get(urn)
    name = urn.rsplit("::", 1)[-1]
    return f"{name} ({declared.file}:{declared.line})" if declared else name
