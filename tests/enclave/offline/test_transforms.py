"""Resource transforms run in the offline run as the engine runs them (own, then parents', then the stack's)."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pytest

from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program

PROGRAM = Path(__file__).parent / "programs" / "transforms"


def _run(mode: str) -> ProgramRun:
    return run_program(PROGRAM, "dev", {"aws:region": "eu-west-1", "transforms:mode": mode})


@pytest.fixture(scope="module")
def abroad() -> ProgramRun:
    run = _run("abroad")
    assert run.error is None, run.error
    return run


def test_a_stack_transform_that_moves_a_bucket_abroad_is_what_the_run_records(abroad: ProgramRun) -> None:
    records = next(r for r in abroad.resources if r.name == "records")
    assert records.inputs["region"] == "us-east-1" and records.region == "us-east-1"


def test_without_the_rewrite_the_bucket_stays_where_the_program_put_it() -> None:
    run = _run("home")
    records = next(r for r in run.resources if r.name == "records")
    assert run.error is None and records.region == "eu-west-1"


def test_a_resource_transform_changes_options_of_the_resource_and_of_its_childrens(abroad: ProgramRun) -> None:
    protect = {r.name: r.protect for r in abroad.resources if r.type == "aws:kms/key:Key"}
    # Both keys ask for protect=True; the transform on the key and on the component's option removes it.
    assert protect == {"own": False, "vault-key": False}


def test_legacy_stack_transformations_run_in_the_sdk_and_are_recorded(abroad: ProgramRun) -> None:
    records = next(r for r in abroad.resources if r.name == "records")
    assert records.inputs["tags"] == {"moved": "legacy"}


def test_a_failing_transform_stops_the_run_with_one_line_naming_the_resource() -> None:
    run = _run("crash")
    assert run.error == "a resource transform failed on aws:kms/key:Key 'own': no region for you"
    assert all(r.name != "own" for r in run.resources)


def test_a_failed_run_leaves_no_traceback_to_print_when_its_abandoned_futures_are_collected(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # asyncio's default handler prints each abandoned future's traceback from whichever thread collects it;
    # on Python 3.11 that parses source (ast.parse) and races another thread's ast.parse.
    caplog.set_level(logging.DEBUG)
    run = _run("crash")
    assert run.error
    gc.collect()
    assert [r.getMessage() for r in caplog.records if "never retrieved" in r.getMessage() and r.name == "asyncio"] == []
    assert all(r.exc_info is None for r in caplog.records)


def test_a_program_run_after_a_failed_one_is_not_disturbed_by_its_leftovers() -> None:
    # The SDK tracks output tasks process-wide; the failed run's tasks belong to its closed event loop.
    assert _run("crash").error is not None
    assert _run("abroad").error is None
