import json
from pathlib import Path

import pytest

from enclave.cli import main
from enclave.commands import plan

DEMO = Path(__file__).parents[1] / "offline" / "programs" / "demo"
RESOURCE_KEYS = {"urn", "type", "name", "region", "parent", "provider", "protect", "retain_on_delete", "inputs"}


def test_plan_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(DEMO), "dev", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [stack] = doc["stacks"]
    assert set(stack) == {"stack", "jurisdiction", "home_region", "external_auditor", "resources"}
    assert stack["external_auditor"] is None  # not an enclave program
    assert (stack["stack"], stack["jurisdiction"], stack["home_region"]) == ("dev", "eu", "eu-west-1")
    for r in stack["resources"]:
        assert set(r) == RESOURCE_KEYS
    key = next(r for r in stack["resources"] if r["name"] == "key")
    assert key["type"] == "aws:kms/key:Key" and key["protect"] is True
    assert key["inputs"]["enableKeyRotation"] is True  # camelCase wire names
    assert key["region"] == "eu-west-1"
    assert key["provider"].endswith("pulumi:providers:aws::pinned")
    assert [r["urn"] for r in stack["resources"]] == sorted(r["urn"] for r in stack["resources"])


def test_plan_table_to_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    assert main(["plan", "--project-dir", str(DEMO), "--all", "--output", str(out)]) == 0
    text = out.read_text()
    assert "jurisdiction eu · home eu-west-1" in text and "aws:kms/key:Key" in text
    assert "─ dev ─" in text


def test_plan_unknown_stack_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(DEMO), "prod"]) == 2
    assert capsys.readouterr().err.strip() == "enclave plan: error: unknown stack 'prod'; stacks: dev"


def test_plan_needs_stacks_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(DEMO)]) == 2
    assert "name at least one stack or pass --all" in capsys.readouterr().err


def test_plan_stacks_and_all_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(DEMO), "dev", "--all"]) == 2
    assert "not both" in capsys.readouterr().err


def test_plan_program_error_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (project / "Pulumi.s.yaml").write_text("config: {}\n")
    (project / "__main__.py").write_text("import pulumi\npulumi.Config().require('jurisdiction')\n")
    assert main(["plan", "--project-dir", str(project), "s"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("enclave plan: error: stack s: Missing required configuration")


def test_plan_without_project_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "--all"]) == 2
    assert "no Pulumi.yaml" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_plan_output_to_a_missing_directory_fails_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    def must_not_run(*_args: object) -> None:
        raise AssertionError("the stacks ran although the output path is unusable")

    monkeypatch.setattr(plan, "plan_stacks", must_not_run)
    out = tmp_path / "missing" / "plan.txt"
    assert main(["plan", "--project-dir", str(DEMO), "--all", "--format", fmt, "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"enclave plan: error: --output {out}: directory {out.parent} does not exist"]


def test_plan_output_to_a_directory_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--project-dir", str(DEMO), "--all", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"enclave plan: error: --output {tmp_path}: is a directory; name a file"


def test_plan_write_failure_after_the_run_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What only the write can reveal (the directory vanished, disk full) is still one line, exit 2.
    monkeypatch.setattr(plan, "check_writable", lambda *_args: None)
    out = tmp_path / "gone" / "plan.json"
    assert main(["plan", "--project-dir", str(DEMO), "--all", "--format", "json", "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"enclave plan: error: --output {out}: cannot write: ")


def test_plan_stack_config_not_a_mapping_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.s.yaml").write_text("config:\n  - a\n")
    assert main(["plan", "--project-dir", str(tmp_path), "s"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Pulumi.s.yaml: config must be a mapping of key: value, got list" in err[0]
