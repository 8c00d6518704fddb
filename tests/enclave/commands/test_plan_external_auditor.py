"""`enclave plan` says, for every enclave stack, whether a third party can audit it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from enclave.cli import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with uk-london's external auditor removed (every shipped enclave configures one)."""
    root = tmp_path_factory.mktemp("project")
    for entry in ROOT.iterdir():
        if entry.name not in {"stacks", ".git"}:
            (root / entry.name).symlink_to(entry)
    (root / "stacks").mkdir()
    for stack in (ROOT / "stacks").glob("Pulumi.*.yaml"):
        data = yaml.safe_load(stack.read_text())
        if stack.name == "Pulumi.uk-london.yaml":
            del data["config"]["enclave:externalAuditor"]
        (root / "stacks" / stack.name).write_text(yaml.safe_dump(data))
    return root


def test_plan_names_the_external_auditor_or_says_there_is_none(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    assert main(["plan", "--project-dir", str(project), "eu-dublin", "uk-london", "--output", str(out)]) == 0
    text = " ".join(out.read_text().split())  # the terminal report folds long lines
    assert (
        "external auditor: account 999999999901 through role enclave-eu-external-auditor (ExternalId required)" in text
    )
    assert "external auditor: none configured, no independent third party can audit this enclave" in text


def test_plan_json_carries_the_external_auditor(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(project), "eu-dublin", "uk-london", "--format", "json"]) == 0
    stacks = {s["stack"]: s for s in json.loads(capsys.readouterr().out)["stacks"]}
    assert stacks["eu-dublin"]["external_auditor"] == {
        "account_id": "999999999901",
        "role": "enclave-eu-external-auditor",
    }
    assert stacks["uk-london"]["external_auditor"] is None
