"""Values that do not exist offline (another stack's outputs, invokes nobody answers) are unknown, never absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from enclave.offline.runner import run_program
from tests.enclave.gate.conftest import check, program

PROGRAM = Path(program("unknowable"))


def _check(mode: str) -> tuple[int, dict[str, Any]]:
    run = check(
        "--program",
        str(PROGRAM),
        "--jurisdiction",
        "eu",
        "--no-checkov",
        "--format",
        "json",
        "--config",
        "aws:region=eu-west-1",
        "--config",
        f"mode={mode}",
    )
    [result] = run.json()["results"]
    return run.code, result


@pytest.mark.parametrize(
    ("mode", "source"),
    [
        ("stack-reference", "region comes from StackReference 'org/net/prod' output 'region'"),
        (
            "invoke-output",
            "region comes from the result of an invoke the offline run cannot answer (aws:s3/getBucket:getBucket)",
        ),
    ],
)
def test_a_region_from_a_value_that_does_not_exist_offline_blocks_and_names_its_source(mode: str, source: str) -> None:
    code, result = _check(mode)
    assert code == 1 and result["error"] is None
    location = [v for v in result["violations"] if v["policy"] == "residency-location"]
    assert [v["urn"].rsplit("::", 1)[1] for v in location] == ["records"]
    assert source in location[0]["message"]
    assert "run again as a preview" in result["notes"][0]


def test_the_same_bucket_with_a_region_the_program_states_passes() -> None:
    _, result = _check("home")
    assert result["notes"] == []
    assert not [v for v in result["violations"] if v["policy"] == "residency-location"]


def test_a_program_that_needs_an_unanswerable_invokes_value_cannot_be_judged() -> None:
    run = check(
        "--program",
        str(PROGRAM),
        "--jurisdiction",
        "eu",
        "--no-checkov",
        "--format",
        "json",
        "--config",
        "aws:region=eu-west-1",
        "--config",
        "mode=invoke",
    )
    assert run.code == 2
    assert "aws:s3/getBucket:getBucket), so it cannot be verified" in run.stderr.splitlines()[0]


def test_outside_a_preview_the_run_says_it_read_values_that_do_not_exist_offline() -> None:
    run = run_program(PROGRAM, "dev", {"aws:region": "eu-west-1", "unknowable:mode": "stack-reference"})
    assert run.reads_unknowable_values and list(run.stack_references.values()) == ["org/net/prod"]
    assert not run.preview
