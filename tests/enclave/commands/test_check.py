"""`enclave check` end to end: programs run under mocks, judged by the residency pack over gRPC."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from enclave.cli import main
from enclave.gate.pipeline import program_target
from tests.enclave.gate.conftest import check, program

BREACH_BUCKET = "urn:pulumi:dev::breach::aws:s3/bucket:Bucket::records"


def test_a_bucket_outside_the_jurisdiction_exits_1_with_a_mandatory_residency_violation() -> None:
    run = check("--program", program("breach"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 1
    [result] = run.json()["results"]
    location = [v for v in result["violations"] if v["policy"] == "residency-location" and v["urn"] == BREACH_BUCKET]
    assert location == [
        {
            "policy": "residency-location",
            "category": "residency",
            "severity": "critical",
            "enforcement_level": "mandatory",
            "urn": BREACH_BUCKET,
            "resource_type": "aws:s3/bucket:Bucket",
            "message": location[0]["message"],
            "status": "FAIL",
            "destination": None,
            "assessment": None,
            "unknown": None,
            "source": {"file": "tests/enclave/gate/programs/breach/__main__.py", "line": 6, "components": []},
        }
    ]
    assert "us-east-1, outside European Union" in location[0]["message"]
    assert result["jurisdiction"] == "eu" and result["checkov"] is None and result["error"] is None


def test_the_same_bucket_is_clean_for_the_jurisdiction_it_is_in() -> None:
    args = ("--jurisdiction", "us", "--config", "aws:region=us-east-1", "--no-checkov", "--format", "json")
    run = check("--program", program("breach"), *args)
    policies = {v["policy"] for v in run.json()["results"][0]["violations"]}
    assert "residency-location" not in policies


def test_a_compliant_program_exits_0() -> None:
    run = check("--program", program("clean"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 0, run.stdout
    [result] = run.json()["results"]
    assert result["violations"] == [] and result["resource_count"] == 5


def test_a_program_error_exits_2_with_one_line_and_only_the_programs_frames() -> None:
    run = check("--program", program("broken"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 2
    lines = run.stderr.splitlines()
    assert lines[0].endswith("the program failed: KeyError: 'name'")
    assert lines[0].startswith("enclave check: error: ")
    frames = [line for line in lines if line.lstrip().startswith("File ")]
    assert frames and all("programs/broken/__main__.py" in f for f in frames)
    assert "Traceback" not in run.stderr


def test_a_missing_package_is_named() -> None:
    run = check("--program", program("missing_package"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 2
    assert run.stderr.splitlines() == [
        f"enclave check: error: {program('missing_package')}: "
        "the program imports 'pulumi_gcp', which is not installed in this environment"
    ]


def test_config_keys_follow_pulumi_config_set_namespacing() -> None:
    target = program_target(
        Path(program("configured")), "eu", ["bucketRegion=us-east-1", "aws:region=eu-west-3"], "dev"
    )
    assert target.config["configured:bucketRegion"] == "us-east-1"
    assert target.config["aws:region"] == "eu-west-3"


def _location_regions(*args: str) -> list[str]:
    run = check("--program", program("configured"), "--jurisdiction", "eu", "--no-checkov", "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    return [
        v["message"].split(" is in ")[1].split(",")[0]
        for v in run.json()["results"][0]["violations"]
        if v["policy"] == "residency-location"
    ]


def test_pulumi_yaml_defaults_stack_files_and_config_flags_all_reach_the_program() -> None:
    assert _location_regions() == []  # Pulumi.yaml default: eu-west-1
    assert _location_regions("--stack", "abroad") == ["us-east-1"]  # stacks/Pulumi.abroad.yaml (stackConfigDir)
    assert _location_regions("--stack", "abroad", "--config", "bucketRegion=eu-central-1") == []
    assert _location_regions("--config", "configured:bucketRegion=ap-south-1") == ["ap-south-1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", program("clean")], "--program needs --jurisdiction (allowed: "),
        (["--program", program("clean"), "--jurisdiction", "mars"], "unknown jurisdiction 'mars'; allowed: "),
        (
            ["--program", program("clean"), "--jurisdiction", "eu", "--config", "novalue"],
            "--config 'novalue': expected KEY=VALUE",
        ),
        (["--program", "/nonexistent", "--jurisdiction", "eu"], "--program /nonexistent: not a directory"),
        (["eu-dublin", "--program", program("clean"), "--jurisdiction", "eu"], "give --program or stack names/--all"),
        (["eu-dublin", "--jurisdiction", "eu"], "--jurisdiction and --config apply to --program"),
        (["no-such-stack"], "unknown stack 'no-such-stack'"),
        (["eu-dublin", "--report", "pdf=x.pdf"], "--report 'pdf=x.pdf': expected FORMAT=FILE"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_the_report_goes_to_the_output_file(tmp_path: Path) -> None:
    # Each renderer's structure is tested in test_reports.py; this proves --format/--output reach them.
    sarif, junit, md = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.md"
    args = ["--program", program("breach"), "--jurisdiction", "eu", "--no-checkov", "--format", "sarif"]
    reports = ["--report", f"junit={junit}", "--report", f"markdown={md}"]
    assert main(["check", *args, "--output", str(sarif), *reports]) == 1
    assert ET.parse(junit).getroot().tag == "testsuites"
    assert "residency-location" in md.read_text()
    doc = json.loads(sarif.read_text())
    assert doc["version"] == "2.1.0"
    assert any(r["ruleId"] == "residency-location" for r in doc["runs"][0]["results"])


@pytest.mark.parametrize("flag", ["--output", "--report"])
def test_an_unwritable_report_path_is_a_usage_error_before_the_run(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from enclave.commands import check as check_command

    def must_not_run(*_args: object) -> None:
        raise AssertionError("the gate ran although the report path is unusable")

    monkeypatch.setattr(check_command, "run_gate", must_not_run)
    path = tmp_path / "missing" / "report.json"
    value = str(path) if flag == "--output" else f"json={path}"
    args = ["--program", program("clean"), "--jurisdiction", "eu", "--no-checkov", flag, value]
    assert main(["check", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"enclave check: error: {flag} {path}: directory {path.parent} does not exist"]


def test_a_failed_report_write_after_the_run_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from enclave.commands import check as check_command

    monkeypatch.setattr(check_command, "check_writable", lambda *_args: None)
    path = tmp_path / "gone" / "r.md"
    args = ["--program", program("clean"), "--jurisdiction", "eu", "--no-checkov", "--report", f"markdown={path}"]
    assert main(["check", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"enclave check: error: --report {path}: cannot write: ")


def test_a_stack_file_whose_config_is_not_a_mapping_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.s.yaml").write_text("config:\n  - a\n")
    assert main(["check", "--project-dir", str(tmp_path), "s", "--no-checkov"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Pulumi.s.yaml: config must be a mapping of key: value, got list" in err[0]


def test_multi_target_runs_on_a_terminal_show_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from enclave.commands import check as check_command
    from enclave.gate.pipeline import Target
    from enclave.gate.results import TargetResult

    def fake_gate(targets: list[Target], with_checkov: bool, progress: object = None) -> list[TargetResult]:
        assert callable(progress)
        for t in targets:
            progress(t.label, "judged")
        return [TargetResult(t.label, t.stack, "eu") for t in targets]

    monkeypatch.setattr(check_command, "run_gate", fake_gate)
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    targets = [Target(name, Path("."), name, {}) for name in ("a", "b")]
    results = check_command._run_with_progress(targets, False, console)
    assert [r.target for r in results] == ["a", "b"]
    assert "2/2" in stream.getvalue()


def test_a_program_reading_another_stack_runs_offline() -> None:
    run = check("--program", program("stack_reference"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 0, run.stderr
    [result] = run.json()["results"]
    assert result["error"] is None and result["resource_count"] == 1


def test_a_program_needing_values_aws_computes_runs_as_a_preview_and_says_so() -> None:
    run = check("--program", program("serverless"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code in (0, 1), run.stderr
    [result] = run.json()["results"]
    assert result["error"] is None and result["resource_count"] == 5
    assert result["notes"] and "run again as a preview" in result["notes"][0]


def test_a_region_unknown_at_preview_blocks_as_mandatory_and_names_the_input() -> None:
    run = check("--program", program("unknown_region"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.code == 1, run.stdout
    [result] = run.json()["results"]
    location = [v for v in result["violations"] if v["policy"] == "residency-location" and v["status"] == "UNKNOWN"]
    assert location and location[0]["enforcement_level"] == "mandatory"  # decided by the pack, not the engine
    assert location[0]["unknown"] == ".region" and "region unknown during preview" in location[0]["message"]
    assert not [v for v in result["violations"] if v["message"].startswith("can't run policy")]


def test_only_this_repositorys_stacks_run_in_process() -> None:
    from enclave.gate.pipeline import PROJECT_ROOT, stack_targets

    [own] = stack_targets(PROJECT_ROOT, ["eu-dublin"])
    [other] = stack_targets(Path(program("configured")), ["abroad"])
    assert (own.isolated, other.isolated) == (False, True)
    assert own.source_file == "stacks/Pulumi.eu-dublin.yaml"
