"""`enclave rules`: the rule catalogue, as the policy pack and the live auditor run it.

``--format markdown`` is the generated table embedded in docs/policy.md.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from adapters.aws_live.coverage import UNSCANNED
from enclave.commands.terminal import console
from residency.resource_types import TypeClass, default_type_catalogue
from residency.rules import RULES
from residency.rules.base import Rule, Scope
from residency_pack.policies import CONTEXT_POLICY, EXCEPTIONS_POLICY, EXCEPTIONS_STACK_POLICY

PACK_POLICIES = (
    (
        CONTEXT_POLICY,
        "mandatory",
        "The stack's jurisdiction is declared (or pinned) and known, and the registries are valid.",
    ),
    (EXCEPTIONS_POLICY, "advisory", "Lists exemptions and transfer assessments used on each resource (never blocks)."),
    (EXCEPTIONS_STACK_POLICY, "advisory", "The same for stack-level rules (never blocks)."),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="print the residency rule catalogue")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    p.set_defaults(func=run)


def rule_row(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "description": rule.description,
        "category": rule.category.value,
        "severity": rule.severity.value,
        "enforcement": "mandatory" if rule.mandatory else "advisory",
        "advisory_reason": rule.advisory_reason,
        "scope": "stack" if rule.scope == Scope.PROGRAM else "resource",
        "vector": rule.vector.value if rule.vector else None,
        "remediation": list(rule.remediation),
        "references": list(rule.references),
    }


def coverage() -> list[dict[str, Any]]:
    """Per package of the resource-type catalogue: how many types it classifies, by class, and how many a
    person reviewed. A type missing from it is UNKNOWN to the gate (transfer-data-path blocks it)."""
    catalogue = default_type_catalogue()
    rows = []
    for package in catalogue.packages():
        entries = [e for t, e in catalogue.entries.items() if t.startswith(f"{package}:")]
        counts = {c.value: sum(1 for e in entries if e.type_class == c) for c in TypeClass}
        rows.append({"package": package, "types": len(entries), "reviewed": sum(e.reviewed for e in entries), **counts})
    return rows


def whole_packages() -> list[dict[str, Any]]:
    """The packages classified as a whole (``packages.toml``); a package in neither place blocks."""
    entries = default_type_catalogue().package_entries
    return [{"package": p, "class": e.type_class.value, "why": e.reason} for p, e in sorted(entries.items())]


def coverage_markdown(rows: list[dict[str, Any]]) -> str:
    classes = [c.value for c in TypeClass]
    lines = [
        "| Package | Types classified | " + " | ".join(classes) + " | Reviewed by a person |",
        "|---|---|" + "---|" * len(classes) + "---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['package']}` | {r['types']} | " + " | ".join(str(r[c]) for c in classes) + f" | {r['reviewed']} |"
        )
    return "\n".join(lines)


def markdown(rows: list[dict[str, Any]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| Policy (rule id) | What must hold | Category | Severity | Level | Scope | Remediation | References |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        level = r["enforcement"] + (f" ({r['advisory_reason']})" if r["advisory_reason"] else "")
        lines.append(
            f"| `{r['id']}` | {cell(r['description'])} | {r['category']} | {r['severity']} | {level} | {r['scope']} "
            f"| {cell(' '.join(r['remediation']))} | {cell('; '.join(r['references']))} |"
        )
    lines += ["", "Pack-only policies:", "", "| Policy | Level | Purpose |", "|---|---|---|"]
    lines += [f"| `{name}` | {level} | {purpose} |" for name, level, purpose in PACK_POLICIES]
    lines += ["", "Resource-type catalogue (`residency/resource_types/`):", "", coverage_markdown(coverage())]
    lines += ["", "Whole packages (`residency/resource_types/packages.toml`; any other package is UNKNOWN):", ""]
    lines += ["| Package | Class | Why |", "|---|---|---|"]
    lines += [f"| `{r['package']}` | {r['class']} | {r['why']} |" for r in whole_packages()]
    lines += ["", "Data paths the live auditor does not read yet (judged by the pack only):", ""]
    lines += ["| Data path | Why |", "|---|---|"] + [f"| {what} | {why} |" for what, why in UNSCANNED]
    return "\n".join(lines)


def print_table(rows: list[dict[str, Any]], out: Console) -> None:
    """Wide terminals: one row per rule. Narrow ones (80 columns): the id whole on its own line, then its
    classification and title, so that no rule id is cut or folded."""
    title = f"Residency rules ({len(rows)})"
    if out.width >= 120:
        table = Table(title=title)
        for column in ("id", "category", "severity", "level", "scope", "title"):
            table.add_column(column, no_wrap=column == "id")
        for r in rows:
            table.add_row(r["id"], r["category"], r["severity"], r["enforcement"], r["scope"], r["title"])
        out.print(table)
        return
    out.print(Text(title, style="bold"))
    for r in rows:
        out.print(Text(r["id"], style="bold"), highlight=False)
        detail = f"{r['category']}, {r['severity']}, {r['enforcement']}, {r['scope']}: {r['title']}"
        out.print(Padding(Text(detail), (0, 0, 0, 4)), highlight=False)


def print_coverage(rows: list[dict[str, Any]], out: Console) -> None:
    """Wide terminals: one table row per package. Narrow ones: the package and its counts on two lines, so
    that no class name is cut."""
    title = "Resource-type catalogue (a type not listed is UNKNOWN, which blocks)"
    classes = [c.value for c in TypeClass]
    if out.width >= 120:
        table = Table(title=title)
        for column in ("package", "types", *classes, "reviewed"):
            table.add_column(column)
        for r in rows:
            table.add_row(*(str(r[k]) for k in ("package", "types", *classes, "reviewed")))
        out.print(table)
        return
    out.print(Text(title, style="bold"))
    for r in rows:
        out.print(Text(f"{r['package']}: {r['types']} types, {r['reviewed']} reviewed", style="bold"), highlight=False)
        counts = ", ".join(f"{c} {r[c]}" for c in classes)
        out.print(Padding(Text(counts), (0, 0, 0, 4)), highlight=False)


def print_unscanned(out: Console) -> None:
    table = Table(title="Data paths the live auditor does not read yet (judged by the pack only)")
    table.add_column("data path")
    table.add_column("why")
    for what, why in UNSCANNED:
        table.add_row(what, why)
    out.print(table)


def run(args: argparse.Namespace) -> int:
    rows = [rule_row(r) for r in RULES]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "rules": rows,
                    "pack_policies": [
                        dict(zip(("id", "enforcement", "purpose"), p, strict=True)) for p in PACK_POLICIES
                    ],
                    "type_catalogue": coverage(),
                    "type_catalogue_packages": whole_packages(),
                    "not_scanned_live": [{"data_path": what, "reason": why} for what, why in UNSCANNED],
                },
                indent=2,
            )
        )
    elif args.format == "markdown":
        print(markdown(rows))
    else:
        out = console()
        print_table(rows, out)
        print_coverage(coverage(), out)
        out.print(Text("Whole packages (packages.toml; any other package is UNKNOWN, which blocks)", style="bold"))
        for r in whole_packages():
            out.print(Text(f"{r['package']}: {r['class']}"), Padding(Text(r["why"]), (0, 0, 0, 4)), highlight=False)
        print_unscanned(out)
    return 0
