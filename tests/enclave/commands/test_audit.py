"""`enclave audit` end to end against the moto server: formats, exit codes, governance registries."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from enclave.cli import main
from residency.regions import AWS_COMMERCIAL_REGIONS

# The CLI builds its own boto3 Session: give it test credentials, never this machine's.
pytestmark = pytest.mark.usefixtures("aws_test_env")

ROOT = Path(__file__).resolve().parents[3]
NARROW = ["--regions", "eu-west-1,eu-central-1,us-east-1,eu-west-2"]


def cli(world: Any, *args: str) -> list[str]:
    return ["audit", "--jurisdiction", "eu", "--endpoint-url", world.url, *args]


def test_json_report_parses_and_failures_exit_1(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(cli(world, *NARROW, "--services", "s3,kms", "--format", "json"))
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    scope = report["scope"]
    assert scope["account"] == world.account
    assert scope["jurisdiction"] == "eu"
    assert scope["regions"] == ["eu-central-1", "eu-west-1", "eu-west-2", "us-east-1"]
    assert scope["region_source"] == "--regions"
    assert scope["services"] == ["s3", "kms"]
    assert scope["endpoint"] == world.url
    assert scope["tool_version"] == "0.1.0"
    assert scope["started_at"] <= scope["finished_at"]
    assert {
        "rule": "residency-location",
        "status": "FAIL",
        "resource": "arn:aws:s3:::stray-bucket-virginia",
        "region": "us-east-1",
        "message": "AWS::S3::Bucket is in us-east-1, outside European Union (allowed: eu-central-1, eu-north-1, "
        "eu-south-1, eu-south-2, eu-west-1, eu-west-3)",
    } in report["findings"]
    assert report["errors"] == []
    statuses = [f["status"] for f in report["findings"]]
    assert statuses == sorted(statuses, key=["FAIL", "ERROR", "PASS"].index)  # failures first
    assert report["summary"]["FAIL"] == sum(f["status"] == "FAIL" for f in report["findings"])


def test_clean_scope_exits_0(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(cli(world, "--regions", "eu-west-1", "--services", "ecr", "--format", "json"))
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {(f["rule"], f["status"]) for f in report["findings"]} == {("residency-location", "PASS")}


def test_default_scope_is_every_enabled_region(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    main(cli(world, "--services", "ecr", "--format", "json"))
    scope = json.loads(capsys.readouterr().out)["scope"]
    assert scope["region_source"] == "every region enabled in the account (ec2:DescribeRegions)"
    assert {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1"} <= set(scope["regions"])


def test_all_regions_scans_every_commercial_region(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    main(cli(world, "--all-regions", "--services", "ecr", "--format", "json"))
    scope = json.loads(capsys.readouterr().out)["scope"]
    assert scope["region_source"] == "--all-regions (every commercial region)"
    assert scope["regions"] == sorted(AWS_COMMERCIAL_REGIONS)


def test_assessments_and_exemptions_turn_findings_into_passes(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assessments = tmp_path / "assessments.toml"
    assessments.write_text(
        """
[[assessment]]
id = "TA-2026-001"
source = "eu"
destination = { region = "us-east-1" }
vectors = ["s3-replication"]
resources = ["arn:aws:s3:::replicating-bucket"]
data_categories = ["order history"]
purpose = "disaster recovery"
legal_mechanism = "eu-us-data-privacy-framework"
supplementary_measures = ["encryption with keys held in the EU"]
residual_risk = "low"
approver = "DPO"
approved_on = 2026-01-01
review_by = 2099-01-01
"""
    )
    exemptions = tmp_path / "exemptions.toml"
    exemptions.write_text(
        """
[[exemption]]
id = "EX-7"
rule = "key-custody"
resource = "arn:aws:s3:::key-abroad-bucket"
reason = "migration to the Dublin key in progress"
owner = "platform team"
expires = 2099-01-01
"""
    )
    args = ["--services", "s3", "--format", "json", "--assessments", str(assessments), "--exemptions", str(exemptions)]
    main(cli(world, *NARROW, *args))
    report = json.loads(capsys.readouterr().out)
    by_key = {(f["rule"], f["resource"]): f for f in report["findings"]}
    replication = by_key[("transfer-s3-replication", "arn:aws:s3:::replicating-bucket")]
    assert (replication["status"], replication["assessment"]) == ("PASS", "TA-2026-001")
    custody = by_key[("key-custody", "arn:aws:s3:::key-abroad-bucket")]
    assert (custody["status"], custody["exemption"]) == ("PASS", "EX-7")
    assert "waived by exemption EX-7" in custody["message"]
    assert [a["id"] for a in report["assessments_used"]] == ["TA-2026-001"]
    assert [e["id"] for e in report["exemptions_used"]] == ["EX-7"]


@pytest.mark.parametrize("fmt", ["html", "markdown", "table"])
def test_evidence_reports_render_to_a_file(
    world: Any, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report.{fmt}"
    code = main(cli(world, *NARROW, "--services", "s3", "--format", fmt, "--output", str(out)))
    text = out.read_text()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"wrote {out}: ") and captured.err.count("\n") == 1
    assert code == 1
    assert "stray-bucket-virginia" in text
    assert world.account in text
    if fmt == "table":  # a file gets plain text, as wide as the table: no ARN is folded across lines
        assert "\x1b[" not in text
        assert "arn:aws:s3:::stray-bucket-virginia" in text
    assert "0.1.0" in text


def test_html_is_self_contained(world: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    main(cli(world, *NARROW, "--services", "s3", "--format", "html", "--output", str(out)))
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    # One inline script (the filters) and no external asset of any kind.
    assert html.count("<script") == 1 and "src=" not in html and "href=" not in html and "@import" not in html
    assert (
        "<h2>Exemptions used</h2>\n<p>None.</p>" in html and "<h2>Transfer assessments used</h2>\n<p>None.</p>" in html
    )
    # Who ran it (moto's caller identity), from which code, judged by which rules.
    assert "<code>arn:aws:sts::123456789012:user/moto</code>" in html
    assert re.search(r"Commit</th><td><code>[0-9a-f]{40}(-dirty)?</code>", html)
    assert re.search(r"Rule catalogue sha256</th><td><code>[0-9a-f]{64}</code>", html)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "enclave.cli", "audit", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unreachable_endpoint_is_one_line_and_exit_2() -> None:
    result = run_cli("--jurisdiction", "eu", "--endpoint-url", "http://127.0.0.1:9", "--regions", "eu-west-1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("enclave audit: error: cannot reach http://127.0.0.1:9")


def test_a_bad_output_path_is_refused_before_the_scan(tmp_path: Path) -> None:
    # The endpoint is unreachable: had the scan started, the error would name it instead.
    out = tmp_path / "missing-dir" / "evidence.html"
    result = run_cli("--jurisdiction", "eu", "--endpoint-url", "http://127.0.0.1:9", "--output", str(out))
    assert result.returncode == 2
    assert result.stderr == f"enclave audit: error: --output {out}: directory {out.parent} does not exist\n"


def test_missing_credentials_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert main(["audit", "--jurisdiction", "eu", "--regions", "eu-west-1"]) == 2
    assert capsys.readouterr().err.startswith("enclave audit: error: no AWS credentials found")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jurisdiction", "atlantis"], "unknown jurisdiction 'atlantis'; allowed: "),
        (["--regions", "eu-west-1"], "--jurisdiction is required (one of: "),
        (["--jurisdiction", "eu", "--regions", "eu-west-9"], "unknown region 'eu-west-9'; allowed: "),
        (["--jurisdiction", "eu", "--services", "s3,lambada"], "unknown service 'lambada'; allowed: "),
        (
            ["--jurisdiction", "eu", "--profile", "no-such-profile"],
            "The config profile (no-such-profile) could not be found",
        ),
        (["--jurisdiction", "eu", "--max-workers", "0"], "--max-workers 0 must be between 1 and 64"),
        (["--jurisdiction", "eu", "--max-retries", "-1"], "--max-retries -1 must be between 0 and 20"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"enclave audit: error: {message}")
    assert err.count("\n") == 1


def test_regions_and_all_regions_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "--jurisdiction", "eu", "--regions", "eu-west-1", "--all-regions"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_print_iam_policy(capsys: pytest.CaptureFixture[str]) -> None:
    from adapters.aws_live import iam_policy

    assert main(["audit", "--print-iam-policy"]) == 0
    assert json.loads(capsys.readouterr().out) == iam_policy()
