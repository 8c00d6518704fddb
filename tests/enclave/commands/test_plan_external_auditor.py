"""`enclave plan` says, for every enclave stack, whether a third party can audit it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enclave.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_plan_names_the_external_auditor_or_says_there_is_none(tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    assert main(["plan", "--project-dir", str(ROOT), "eu-dublin", "uk-london", "--output", str(out)]) == 0
    text = " ".join(out.read_text().split())  # the terminal report folds long lines
    assert (
        "external auditor: account 999999999901 through role enclave-eu-external-auditor (ExternalId required)" in text
    )
    assert "external auditor: none configured, no independent third party can audit this enclave" in text


def test_plan_json_carries_the_external_auditor(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(ROOT), "eu-dublin", "uk-london", "--format", "json"]) == 0
    stacks = {s["stack"]: s for s in json.loads(capsys.readouterr().out)["stacks"]}
    assert stacks["eu-dublin"]["external_auditor"] == {
        "account_id": "999999999901",
        "role": "enclave-eu-external-auditor",
    }
    assert stacks["uk-london"]["external_auditor"] is None
