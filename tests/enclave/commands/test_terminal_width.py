"""Every command reads well at 80 columns: no line is wider than the terminal and nothing a reader needs
(rule ids, stack names, verdicts, ARNs) is cut with an ellipsis or folded mid-word."""

from __future__ import annotations

from pathlib import Path

import pytest

from enclave.audit.report import render
from enclave.cli import main
from residency.resource_types import default_type_catalogue
from residency.rules import RULES
from tests.enclave.audit.test_findings import report as audit_report

ROOT = Path(__file__).resolve().parents[3]
BREACH = ROOT / "tests" / "enclave" / "gate" / "programs" / "breach"


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # Output captured by pytest is not a terminal, so rich takes its width from COLUMNS, as in a terminal.
    monkeypatch.setenv("COLUMNS", "80")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr().out
    widest = max(len(line) for line in out.splitlines())
    assert widest <= 80, f"a line of {widest} columns"
    assert "…" not in out  # nothing a reader needs is cut off
    return code, out


def test_rules_lists_every_id_whole(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "rules")
    lines = {line.strip() for line in out.splitlines()}
    assert code == 0 and {r.id for r in RULES} <= lines
    # The resource-type catalogue's coverage: each package, then its counts by class on their own line.
    types = len([t for t in default_type_catalogue().entries if t.startswith("aws:")])
    assert any(line.startswith(f"aws: {types} types, ") and line.endswith(" reviewed") for line in lines)
    assert any(line.startswith("holds-data ") and "control-plane" in line for line in lines)


def test_transfers_lists_records(capsys: pytest.CaptureFixture[str]) -> None:
    examples = str(ROOT / "governance" / "examples")
    code, out = run(capsys, "transfers", "--governance-dir", examples, "--today", "2026-06-01")
    assert code == 0
    assert "TRA-EU-2026-001\n" in out and "    review by: 2027-01-15" in out and "EX-2026-001\n" in out


def test_plan_names_every_type(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "plan", "uk-london")
    assert code == 0
    assert "uk-london" in out and "home eu-west-2" in out and "aws:kms/key:Key" in out


def test_check_without_checkov_has_no_checkov_column_or_caption(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", "uk-london", "--no-checkov")
    assert code == 0
    assert "checkov" not in out
    assert "uk-london" in out and "pass" in out


def test_check_lists_violations_in_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", "--program", str(BREACH), "--jurisdiction", "eu", "--no-checkov")
    assert code == 1
    assert "mandatory  residency-location  records" in out
    assert "    [residency-location violated] aws:s3/bucket:Bucket is in us-east-1" in out


def test_audit_table_at_80_columns_keeps_rule_ids_and_arns_whole() -> None:
    text = render(audit_report(), "table", width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "ERROR transfer-s3-replication  eu-west-1" in text
    assert 'arn:aws:s3:::<script>alert("x")</script>|[bold]' in text
    assert "2 FAIL, 1 ERROR, 1 PASS: NOT clean" in text
