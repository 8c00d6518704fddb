"""`enclave transfers`: list the transfer risk assessments (and exemptions) and check they are valid.

Exit codes: 0 listed (and, with --check, nothing expired); 1 a registry is invalid, or --check found an
expired assessment or exemption; 2 a registry cannot be read (missing file, not TOML).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from enclave.commands.terminal import console, print_records
from enclave.offline.stack_files import find_project_dir
from residency.assessments import AssessmentRegistry, TransferAssessment, parse_registry
from residency.errors import RegistryError
from residency.exemptions import Exemption, ExemptionRegistry, parse_exemptions
from residency.jurisdictions import default_catalogue
from residency.registry_fields import only_tables
from residency.rules import RULE_VECTORS

ASSESSMENTS_FILE = "transfer-assessments.toml"
EXEMPTIONS_FILE = "exemptions.toml"
EXPIRING_SOON_DAYS = 30


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("transfers", help="list transfer risk assessments and exemptions; --check fails on expired ones")
    p.add_argument("--check", action="store_true", help="exit 1 if any assessment or exemption has expired")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--governance-dir", type=Path, help="directory holding the registries (default: <project>/governance)"
    )
    p.add_argument("--today", type=_date_arg, default=None, help="judge expiry as of this date (YYYY-MM-DD)")
    p.set_defaults(func=run)


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Unreadable(Exception):
    """A registry file cannot be read at all (exit 2)."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Unreadable(f"{path} does not exist") from None
    except OSError as err:
        raise Unreadable(f"cannot read {path}: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise Unreadable(f"{path} is not valid TOML: {err}") from None


def load(directory: Path, today: date) -> tuple[AssessmentRegistry, ExemptionRegistry]:
    """Both registries; ``Unreadable`` (exit 2) or ``RegistryError`` (invalid, exit 1)."""
    path = directory / ASSESSMENTS_FILE
    assessments = parse_registry(only_tables(_read_toml(path), "assessment", path), default_catalogue(), today)
    exemptions_path = directory / EXEMPTIONS_FILE
    raw = only_tables(_read_toml(exemptions_path), "exemption", exemptions_path) if exemptions_path.exists() else []
    return assessments, parse_exemptions(raw, RULE_VECTORS, assessments)


def status(expires: date, today: date) -> str:
    if today > expires:
        return "expired"
    if (expires - today).days <= EXPIRING_SOON_DAYS:
        return f"expires in {(expires - today).days} days"
    return "valid"


def assessment_row(a: TransferAssessment, today: date) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "destination": a.destination.describe(),
        "vectors": sorted(v.value for v in a.vectors),
        "resources": list(a.resources),
        "data_categories": list(a.data_categories),
        "special_categories": a.special_categories,
        "purpose": a.purpose,
        "legal_mechanism": a.legal_mechanism.value,
        "supplementary_measures": list(a.supplementary_measures),
        "residual_risk": a.residual_risk.value,
        "approver": a.approver,
        "approved_on": a.approved_on.isoformat(),
        "review_by": a.review_by.isoformat(),
        "status": status(a.review_by, today),
    }


def exemption_row(e: Exemption, today: date) -> dict[str, Any]:
    return {
        "id": e.id,
        "rule": e.rule,
        "resource": e.resource,
        "jurisdiction": e.jurisdiction or "any",
        "assessment": e.assessment,
        "reason": e.reason,
        "owner": e.owner,
        "expires": e.expires.isoformat(),
        "status": status(e.expires, today),
    }


def _tables(doc: dict[str, Any], out: Console) -> None:
    if doc["assessments"]:
        print_records(
            out,
            "Transfer risk assessments",
            ("id", "flow", "vectors", "legal mechanism", "approver", "review by", "status"),
            [
                (a["id"], f"{a['source']} -> {a['destination']}", ", ".join(a["vectors"]), a["legal_mechanism"],
                 a["approver"], a["review_by"], a["status"])
                for a in doc["assessments"]
            ],
            [_style(a["status"]) for a in doc["assessments"]],
        )  # fmt: skip
    else:
        out.print("No transfer assessments: no data may leave any jurisdiction.")
    if doc["exemptions"]:
        print_records(
            out,
            "Exemptions",
            ("id", "rule", "resource", "owner", "expires", "status", "reason"),
            [
                (e["id"], e["rule"], e["resource"], e["owner"], e["expires"], e["status"], e["reason"])
                for e in doc["exemptions"]
            ],
            [_style(e["status"]) for e in doc["exemptions"]],
        )
    else:
        out.print("No exemptions.")


def _style(state: str) -> str:
    return "red" if state == "expired" else ("yellow" if state != "valid" else "")


def run(args: argparse.Namespace) -> int:
    directory = args.governance_dir or find_project_dir() / "governance"
    today = args.today or date.today()
    try:
        assessments, exemptions = load(directory, today)
    except Unreadable as err:
        print(f"enclave transfers: error: {err}", file=sys.stderr)
        return 2
    except RegistryError as err:
        print(f"enclave transfers: invalid registry in {directory}: {err}", file=sys.stderr)
        return 1
    assessment_rows = [assessment_row(a, today) for a in assessments.assessments]
    exemption_rows = [exemption_row(e, today) for e in exemptions.exemptions]
    doc = {
        "governance_dir": str(directory),
        "today": today.isoformat(),
        "assessments": assessment_rows,
        "exemptions": exemption_rows,
    }
    if args.format == "json":
        print(json.dumps(doc, indent=2))
    else:
        _tables(doc, console())
    expired = [r["id"] for r in assessment_rows + exemption_rows if r["status"] == "expired"]
    if args.check and expired:
        print(f"enclave transfers: expired: {', '.join(expired)} (re-review and extend, or remove)", file=sys.stderr)
        return 1
    return 0
