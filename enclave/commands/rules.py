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

from enclave.commands.terminal import console
from residency.rules import RULES
from residency.rules.base import Rule
from residency_pack.policies import CONTEXT_POLICY, EXCEPTIONS_POLICY, EXCEPTIONS_STACK_POLICY, STACK_RULE_IDS

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
        "scope": "stack" if rule.id in STACK_RULE_IDS else "resource",
        "vector": rule.vector.value if rule.vector else None,
        "remediation": list(rule.remediation),
        "references": list(rule.references),
    }


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
                },
                indent=2,
            )
        )
    elif args.format == "markdown":
        print(markdown(rows))
    else:
        print_table(rows, console())
    return 0
