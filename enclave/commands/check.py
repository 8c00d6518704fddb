"""`enclave check`: the offline residency gate for CI and security review.

    enclave check [STACK ... | --all] [--format ...] [--output FILE] [--no-checkov]
    enclave check --program DIR --jurisdiction J [--config KEY=VALUE ...] [--stack NAME] [...]
    enclave check ... --stack-outputs NAME=FILE   (the outputs of a stack the program references)

Exit codes: 0 no blocking finding, 1 a mandatory policy violation or a failed checkov check, 2 a usage,
config or program error (one line on stderr).
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from enclave.commands.output_files import check_writable, write_text
from enclave.commands.terminal import console
from enclave.gate.pipeline import Target, program_target, run_gate, stack_targets
from enclave.gate.program_process import DEFAULT_TIMEOUT
from enclave.gate.report_json import render_json
from enclave.gate.report_junit import render_junit
from enclave.gate.report_markdown import render_markdown
from enclave.gate.report_sarif import render_sarif
from enclave.gate.report_table import render_table
from enclave.gate.results import TargetResult, exit_code
from enclave.gate.stack_outputs import load_stack_outputs
from enclave.offline.stack_files import find_project_dir, load_project
from residency.jurisdictions import default_catalogue

FORMATS = ("table", "json", "sarif", "junit", "markdown")
RENDERERS = {"json": render_json, "sarif": render_sarif, "junit": render_junit, "markdown": render_markdown}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="the offline residency gate: residency pack + checkov, no credentials needed")
    p.add_argument("stacks", nargs="*", metavar="STACK", help="shipped stacks to check (stacks/Pulumi.<STACK>.yaml)")
    p.add_argument("--all", action="store_true", help="every shipped stack")
    p.add_argument("--program", type=Path, metavar="DIR", help="check any Pulumi Python program instead of stacks")
    p.add_argument("--jurisdiction", metavar="J", help="jurisdiction the program is judged for (with --program)")
    p.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="program config, as `pulumi config set` (unqualified keys belong to the program's project)",
    )
    p.add_argument(
        "--stack", default="dev", metavar="NAME", help="stack name for --program (reads its Pulumi.NAME.yaml)"
    )
    p.add_argument(
        "--stack-outputs",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="outputs of a stack the program references (StackReference NAME), from "
        "`pulumi stack output --json --show-secrets`; without them its values cannot be verified; repeatable",
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    p.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write a report in FORMAT (json, sarif, junit, markdown) to FILE; repeatable (one run, many reports)",
    )
    p.add_argument("--no-checkov", action="store_true", help="skip the checkov scan (residency pack only)")
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"how long a program and every process it starts may run (default: {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--project-dir", type=Path, help="the Pulumi project with the stacks (default: nearest Pulumi.yaml)")
    p.set_defaults(func=run)


def parse_reports(items: list[str]) -> list[tuple[str, Path]]:
    from enclave.cli import UsageError

    reports = []
    for item in items:
        fmt, sep, path = item.partition("=")
        if not sep or fmt not in RENDERERS or not path:
            raise UsageError(f"--report {item!r}: expected FORMAT=FILE with FORMAT one of {', '.join(RENDERERS)}")
        reports.append((fmt, Path(path)))
    return reports


def targets_from_args(args: argparse.Namespace) -> list[Target]:
    from enclave.cli import UsageError
    from enclave.commands.plan import selected_stacks

    if args.program is not None:
        if args.stacks or args.all:
            raise UsageError("give --program or stack names/--all, not both")
        if not args.jurisdiction:
            raise UsageError(f"--program needs --jurisdiction (allowed: {', '.join(default_catalogue().ids())})")
        default_catalogue().get(args.jurisdiction)  # one line naming the allowed ids if unknown
        if not args.program.is_dir():
            raise UsageError(f"--program {args.program}: not a directory")
        return [program_target(args.program, args.jurisdiction, args.config, args.stack, label=str(args.program))]
    if args.jurisdiction or args.config:
        raise UsageError("--jurisdiction and --config apply to --program; stacks take theirs from stacks/")
    project_dir = args.project_dir.resolve() if args.project_dir else find_project_dir()
    stacks = selected_stacks(args.stacks, args.all, load_project(project_dir).stacks())
    return stack_targets(project_dir, stacks)


def _run_with_progress(targets: list[Target], with_checkov: bool, console: Console) -> list[TargetResult]:
    if len(targets) < 2 or not console.is_terminal:
        return run_gate(targets, with_checkov)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    # Refreshed on each step, not by rich's refresh thread: the gate forks its program workers, and a fork
    # must not copy a lock (the terminal's) that another thread holds.
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("enclave check", total=len(targets) + (1 if with_checkov else 0))

        def update(label: str, phase: str) -> None:
            progress.update(task, description=f"{label}: {phase}")
            if phase in ("judged", "done"):
                progress.advance(task)
            progress.refresh()

        return run_gate(targets, with_checkov, update)


def run(args: argparse.Namespace) -> int:
    from enclave.cli import UsageError

    reports = parse_reports(args.report)
    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout:g}: must be a number of seconds above 0")
    stack_outputs = load_stack_outputs(args.stack_outputs)
    targets = [replace(t, timeout=args.timeout, stack_outputs=stack_outputs) for t in targets_from_args(args)]
    if args.output:
        check_writable(args.output, "--output")
    for _fmt, path in reports:
        check_writable(path, "--report")
    err_console = Console(stderr=True)
    results = _run_with_progress(targets, not args.no_checkov, err_console)
    # An error is said once: the table on the terminal shows it, any other report leaves it to stderr.
    table_on_terminal = args.format == "table" and not args.output
    for r in results:
        if r.error:
            if not table_on_terminal:
                print(f"enclave check: error: {r.target}: {r.error}", file=sys.stderr)
            if r.error_detail:
                print(r.error_detail, file=sys.stderr, end="")
    if args.format == "table":
        if args.output:
            buffer = io.StringIO()
            render_table(results, console(buffer))
            write_text(args.output, buffer.getvalue(), "--output")
        else:
            render_table(results, console())
    else:
        text = RENDERERS[args.format](results)
        if args.output:
            write_text(args.output, text, "--output")
        else:
            sys.stdout.write(text)
    for fmt, path in reports:
        write_text(path, RENDERERS[fmt](results), "--report")
    return exit_code(results)
