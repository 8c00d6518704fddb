"""`enclave audit`: audit a live AWS account against one jurisdiction with the shared residency rules.

Exit codes: 0 clean, 1 any FAIL or ERROR finding, 2 usage or credential error (one line, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from adapters.aws_live import SCANNERS, iam_policy
from enclave.audit import AuditRequest, AuditSetupError, run_audit
from enclave.audit.report import FORMATS, render
from enclave.audit.scanner import validate_request
from enclave.commands.output_files import check_writable, write_text
from enclave.commands.terminal import console, progress
from enclave.errors import UsageError
from residency.assessments import load_registry
from residency.exemptions import load_exemptions
from residency.jurisdictions import default_catalogue
from residency.rules import RULE_VECTORS

GOVERNANCE = Path(__file__).resolve().parents[2] / "governance"


def _csv(value: str) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    if not items:
        raise argparse.ArgumentTypeError(f"{value!r} is not a comma-separated list")
    return items


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="audit a live AWS account for residency violations",
        description=(
            "Scan a live AWS account through the standard credential chain and judge every resource with the "
            "same residency rules as the policy pack. By default every commercial region enabled in the "
            "account is scanned, because resources outside the jurisdiction are, by definition, elsewhere."
        ),
    )
    parser.add_argument(
        "--jurisdiction",
        action="append",
        help="jurisdiction id from residency/catalogue.toml (required for one account; with --organization, "
        "repeatable, only the accounts of these jurisdictions)",
    )
    parser.add_argument(
        "--organization",
        action="store_true",
        help="audit every member account of the AWS Organization (list, map to jurisdiction, assume the auditor role)",
    )
    parser.add_argument(
        "--max-accounts-in-flight",
        type=int,
        default=4,
        help="with --organization: accounts audited at once (default: 4), each with --max-workers workers",
    )
    parser.add_argument(
        "--role-name",
        default="enclave-{jurisdiction}-auditor",
        help="with --organization: the role assumed in each account (default: enclave-{jurisdiction}-auditor)",
    )
    parser.add_argument(
        "--project-dir", type=Path, help="with --organization: the project whose enclave stacks map accounts"
    )
    parser.add_argument("--profile", help="AWS profile (default: the standard credential chain)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--regions", type=_csv, help="only these regions (comma-separated), e.g. eu-west-1,us-east-1")
    where.add_argument("--all-regions", action="store_true", help="every commercial region, enabled or not")
    parser.add_argument("--services", type=_csv, default=tuple(SCANNERS), help=f"subset of: {','.join(SCANNERS)}")
    parser.add_argument("--endpoint-url", help="send every API call here (an emulator such as moto)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="report format (default: table)")
    parser.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument("--max-workers", type=int, default=8, help="parallel API workers (default: 8)")
    parser.add_argument(
        "--max-retries", type=int, default=5, help="retries per API call, adaptive backoff (default: 5)"
    )
    parser.add_argument(
        "--assessments",
        type=Path,
        default=GOVERNANCE / "transfer-assessments.toml",
        help="transfer risk assessments (default: governance/transfer-assessments.toml)",
    )
    parser.add_argument(
        "--exemptions",
        type=Path,
        default=GOVERNANCE / "exemptions.toml",
        help="exemptions (default: governance/exemptions.toml)",
    )
    parser.add_argument(
        "--print-iam-policy", action="store_true", help="print the read-only IAM policy the audit needs, and exit"
    )
    parser.set_defaults(func=run)


def _session(profile: str | None) -> object:
    import boto3
    from botocore.exceptions import BotoCoreError

    try:
        return boto3.Session(profile_name=profile)
    except BotoCoreError as err:  # ProfileNotFound and friends
        raise AuditSetupError(str(err)) from None


class _Usage(Exception):
    pass


def _fail(message: str) -> int:
    # Reported here rather than raised to enclave.cli, so that the message and exit code are the same
    # however the CLI module was loaded (console script or `python -m enclave.cli`).
    print(f"enclave audit: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except (AuditSetupError, _Usage, UsageError) as err:
        return _fail(str(err))


def _run(args: argparse.Namespace) -> int:
    if args.print_iam_policy:
        print(json.dumps(iam_policy(), indent=2))
        return 0
    catalogue = default_catalogue()
    if args.organization:
        jurisdiction = catalogue.get((args.jurisdiction or [catalogue.ids()[0]])[0])
    elif not args.jurisdiction:
        raise _Usage("--jurisdiction is required (one of: " + ", ".join(catalogue.ids()) + ")")
    elif len(args.jurisdiction) != 1:
        raise _Usage("--jurisdiction is given more than once; one account has one jurisdiction (or use --organization)")
    else:
        jurisdiction = catalogue.get(args.jurisdiction[0])
    if not 0 <= args.max_retries <= 20:
        raise _Usage(f"--max-retries {args.max_retries} must be between 0 and 20")
    request = AuditRequest(
        # With --organization each account is audited for its own jurisdiction; this one is replaced.
        jurisdiction=jurisdiction,
        regions=args.regions,
        all_regions=args.all_regions,
        services=args.services,
        endpoint_url=args.endpoint_url,
        max_workers=args.max_workers,
        max_retries=args.max_retries,
    )
    validate_request(request)
    if args.output is not None:
        check_writable(args.output, "--output")  # before the scan, which can take minutes
    # On a terminal the table takes its width and colours; in a file or a pipe it is plain text.
    terminal = args.output is None and sys.stdout.isatty()
    width = console().width if terminal else None
    if args.organization:
        from enclave.commands import audit_org

        org_report = audit_org.run_organization(args, _session(args.profile), request)
        text, counts = audit_org.render(org_report, args.format, width or 160, terminal)
        return _write(args, text, counts, org_report.exit_code)
    assessments = load_registry(args.assessments, catalogue)
    exemptions = load_exemptions(args.exemptions, RULE_VECTORS, assessments)
    with progress(f"audit {jurisdiction.id}", 0) as update:
        report = run_audit(
            _session(args.profile),
            request,
            catalogue,
            assessments,
            exemptions,
            date.today(),
            lambda done, total: update("API work", done, total),
        )
    text = render(report, args.format, width=width, color=terminal)
    return _write(args, text, report.counts(), report.exit_code)


def _write(args: argparse.Namespace, text: str, counts: dict[str, int], exit_code: int) -> int:
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_text(args.output, text, "--output")
        print(
            f"wrote {args.output}: {counts['FAIL']} FAIL, {counts['ERROR']} ERROR, {counts['PASS']} PASS",
            file=sys.stderr,
        )
    return exit_code
