"""``enclave check --stack-outputs NAME=FILE``: a referenced stack's outputs, judged as the engine reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from enclave.errors import UsageError
from enclave.gate.stack_outputs import load_stack_outputs
from enclave.offline.runner import run_program
from tests.enclave.gate.conftest import check, program

PROGRAM = Path(program("unknowable"))  # mode=stack-reference: records' region from org/net/prod's `region`
REFERENCED = "org/net/prod"


def _outputs(tmp_path: Path, data: Any, name: str = "net.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _check(*stack_outputs: str) -> tuple[int, dict[str, Any], str]:
    args = ["--program", str(PROGRAM), "--jurisdiction", "eu", "--no-checkov", "--format", "json"]
    args += ["--config", "aws:region=eu-west-1", "--config", "mode=stack-reference"]
    for item in stack_outputs:
        args += ["--stack-outputs", item]
    run = check(*args)
    if run.code == 2:
        return run.code, {}, run.stderr
    [result] = run.json()["results"]
    return run.code, result, run.stderr


def _location(result: dict[str, Any]) -> list[str]:
    return [v["message"] for v in result["violations"] if v["policy"] == "residency-location"]


def test_a_region_read_from_a_supplied_home_stack_passes_and_the_report_says_where_it_came_from(
    tmp_path: Path,
) -> None:
    code, result, _ = _check(f"{REFERENCED}={_outputs(tmp_path, {'region': 'eu-west-1'})}")
    assert code == 1 and result["error"] is None  # the bare bucket still fails its other rules
    assert _location(result) == []
    assert result["notes"] == [
        f"StackReference {REFERENCED!r}: its outputs were read from --stack-outputs, as the engine reads the stack's"
    ]


def test_a_region_read_from_a_supplied_stack_abroad_is_violated_not_unknown(tmp_path: Path) -> None:
    _, result, _ = _check(f"{REFERENCED}={_outputs(tmp_path, {'region': 'us-east-1'})}")
    [message] = _location(result)
    assert "[residency-location violated]" in message and "us-east-1" in message


def test_outputs_of_another_stack_leave_the_reference_unknown_and_say_they_were_not_used(tmp_path: Path) -> None:
    code, result, _ = _check(f"acme/net/prod={_outputs(tmp_path, {'region': 'eu-west-1'})}")
    assert code == 1
    [message] = _location(result)
    assert "[residency-location cannot be verified]" in message
    assert "--stack-outputs 'acme/net/prod': the program references no such stack" in " ".join(result["notes"])


def test_an_output_the_supplied_stack_lacks_is_absent_as_in_the_engine(tmp_path: Path) -> None:
    # The engine's get_output of a missing name gives None: the bucket then takes the stack's region.
    run = run_program(
        PROGRAM,
        "dev",
        {"aws:region": "eu-west-1", "unknowable:mode": "stack-reference"},
        stack_outputs={REFERENCED: {"vpcId": "vpc-1"}},
    )
    assert run.error is None and not run.reads_unknowable_values
    assert run.supplied_references and list(run.supplied_references.values()) == [REFERENCED]
    [bucket] = [r for r in run.resources if r.name == "records"]
    assert bucket.region == "eu-west-1" and "region" not in bucket.inputs


@pytest.mark.parametrize(
    ("item", "error"),
    [
        ("org/net/prod", "--stack-outputs 'org/net/prod': expected NAME=FILE"),
        ("=net.json", "--stack-outputs '=net.json': expected NAME=FILE"),
        ("org/net/prod=", "--stack-outputs 'org/net/prod=': expected NAME=FILE"),
        ("org/net/prod=/nonexistent/net.json", "cannot read the file (No such file or directory)"),
    ],
)
def test_malformed_or_missing_outputs_are_one_line_usage_errors(item: str, error: str) -> None:
    with pytest.raises(UsageError) as raised:
        load_stack_outputs([item])
    assert error in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "not JSON"),
        ('["eu-west-1"]', "expected a JSON object of output names to values, got list"),
        ('{"region": "[secret]"}', "output 'region' is masked ('[secret]'); export with"),
    ],
)
def test_outputs_that_are_not_an_object_of_values_are_refused(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "net.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        load_stack_outputs([f"{REFERENCED}={path}"])
    assert error in str(raised.value)


def test_the_same_stack_given_twice_is_refused(tmp_path: Path) -> None:
    path = _outputs(tmp_path, {"region": "eu-west-1"})
    with pytest.raises(UsageError, match="given twice"):
        load_stack_outputs([f"{REFERENCED}={path}", f"{REFERENCED}={path}"])


def test_the_cli_reports_a_bad_file_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    path.write_text("[]", encoding="utf-8")
    code, _, stderr = _check(f"{REFERENCED}={path}")
    assert code == 2
    assert stderr.strip().splitlines() == [
        f"enclave check: error: --stack-outputs {REFERENCED}={path}: expected a JSON object of output names to "
        "values, got list"
    ]
