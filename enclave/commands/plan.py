"""`enclave plan`: what each stack would deploy, computed offline under Pulumi's mock runtime."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from enclave.commands.output_files import check_writable, write_text
from enclave.commands.terminal import console, progress
from enclave.errors import UsageError
from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import find_project_dir, load_project, load_stack_config
from residency.jurisdictions import default_catalogue
from residency.stack_config import declared_jurisdiction


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plan", help="show what stacks would deploy, offline (no credentials, no CLI)")
    p.add_argument("stacks", nargs="*", metavar="STACK", help="stack names (stacks/Pulumi.<STACK>.yaml)")
    p.add_argument("--all", action="store_true", help="every stack in the project's stack config directory")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--output", type=Path, help="write the report here instead of stdout")
    p.add_argument("--project-dir", type=Path, help="the Pulumi project (default: nearest Pulumi.yaml)")
    p.set_defaults(func=run)


def selected_stacks(stacks: list[str], all_stacks: bool, available: list[str]) -> list[str]:
    if all_stacks and stacks:
        raise UsageError("give stack names or --all, not both")
    if all_stacks:
        if not available:
            raise UsageError("--all found no stack files (Pulumi.<stack>.yaml) in the stack config directory")
        return available
    if not stacks:
        raise UsageError(f"name at least one stack or pass --all; stacks: {', '.join(available)}")
    unknown = [s for s in stacks if s not in available]
    if unknown:
        raise UsageError(f"unknown stack {unknown[0]!r}; stacks: {', '.join(available)}")
    return stacks


def plan_stacks(project_dir: Path, stacks: list[str]) -> list[ProgramRun]:
    project = load_project(project_dir)
    runs = []
    with progress("enclave plan", len(stacks)) as update:
        for done, stack in enumerate(stacks):
            update(stack, done, len(stacks))
            config, secret_keys = load_stack_config(project, stack)
            runs.append(run_program(project_dir, stack, config, secret_keys=secret_keys))
    return runs


def external_auditor(run: ProgramRun) -> dict[str, str] | None:
    """The stack's third-party auditor (``enclave:externalAuditor``) as the program validated it, or None."""
    role = next(
        (
            r
            for r in run.resources
            if r.type == "aws:iam/role:Role" and str(r.inputs.get("name", "")).endswith("-external-auditor")
        ),
        None,
    )
    if role is None:
        return None
    raw = run.config.get(f"{run.project}:externalAuditor", "{}")
    value = json.loads(raw) if raw.startswith("{") else {}
    return {"account_id": str(value.get("accountId", "")), "role": str(role.inputs["name"])}


def external_auditor_line(run: ProgramRun) -> str | None:
    """What `enclave plan` says about the third party's door (None for stacks that are not enclaves)."""
    if not any(r.type == "enclave:components:RegionalEnclave" for r in run.resources):
        return None
    auditor = external_auditor(run)
    if auditor is None:
        return "external auditor: none configured, no independent third party can audit this enclave (set enclave:externalAuditor)"
    return f"external auditor: account {auditor['account_id']} through role {auditor['role']} (ExternalId required)"


def plan_document(runs: list[ProgramRun]) -> dict[str, Any]:
    """The `enclave plan --format json` contract (see README)."""
    catalogue = default_catalogue()
    out = []
    for run in runs:
        jid = declared_jurisdiction(run.config, run.project)
        home = catalogue.jurisdictions[jid].home_region if jid and jid in catalogue.jurisdictions else None
        out.append(
            {
                "stack": run.stack,
                "jurisdiction": jid,
                "home_region": home,
                "external_auditor": external_auditor(run),
                "resources": [
                    {
                        "urn": r.urn,
                        "type": r.type,
                        "name": r.name,
                        "region": r.region,
                        "parent": r.parent,
                        "provider": r.provider,
                        "protect": r.protect,
                        "retain_on_delete": r.retain_on_delete,
                        "inputs": r.inputs,
                    }
                    for r in sorted(run.resources, key=lambda r: r.urn)
                ],
            }
        )
    return {"stacks": out}


def render_table(runs: list[ProgramRun], console: Console) -> None:
    doc = plan_document(runs)
    for run, stack in zip(runs, doc["stacks"], strict=True):
        resources = stack["resources"]
        regions = sorted({r["region"] for r in resources if r["region"]})
        console.rule(f"[bold]{stack['stack']}[/]")
        console.print(
            f"jurisdiction {stack['jurisdiction']} · home {stack['home_region']} · {len(resources)} resources"
            f" · regions: {', '.join(regions) or '-'}",
            markup=False,
            highlight=False,
        )
        by_type = Counter(r["type"] for r in resources)
        protected = Counter(r["type"] for r in resources if r["protect"])
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("type", overflow="fold")
        table.add_column("count", justify="right")
        table.add_column("protected", justify="right")
        table.add_column("regions", overflow="fold")
        for type_, count in sorted(by_type.items()):
            type_regions = sorted({r["region"] for r in resources if r["type"] == type_ and r["region"]})
            table.add_row(type_, str(count), str(protected.get(type_, "")), ", ".join(type_regions))
        console.print(table)
        line = external_auditor_line(run)
        if line:
            console.print(line, markup=False, highlight=False)


def run(args: argparse.Namespace) -> int:
    project_dir = args.project_dir.resolve() if args.project_dir else find_project_dir()
    project = load_project(project_dir)
    stacks = selected_stacks(args.stacks, args.all, project.stacks())
    if args.output:
        check_writable(args.output, "--output")
    runs = plan_stacks(project_dir, stacks)
    failed = [r for r in runs if r.error]
    for r in failed:
        print(f"enclave plan: error: stack {r.stack}: {r.error}", file=sys.stderr)
        if r.error_detail:
            print(r.error_detail, file=sys.stderr, end="")
    if failed:
        return 2
    if args.format == "json":
        text = json.dumps(plan_document(runs), indent=2, sort_keys=False)
        if args.output:
            write_text(args.output, text + "\n", "--output")
        else:
            print(text)
    elif args.output:
        buffer = io.StringIO()
        render_table(runs, console(buffer))
        write_text(args.output, buffer.getvalue(), "--output")
    else:
        render_table(runs, console())
    return 0
