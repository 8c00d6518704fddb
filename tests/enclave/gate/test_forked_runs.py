"""The gate's in-process programs after the first run in forked workers (enclave.gate.forked_runs)."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from enclave.gate.forked_runs import program_runs
from enclave.offline.model import ProgramRun


def _run(name: str) -> tuple[ProgramRun, list[str]]:
    """A stand-in for a program run: says which process ran it; some names misbehave as programs can."""
    if name.startswith("exit"):
        os._exit(int(name[4:]))
    if name == "raise":
        raise ValueError("stack config is bad: region 'mars-1'")
    return ProgramRun(project=name, stack=str(os.getpid()), config={}, resources=[]), [f"note {name}"]


def _failed(name: str, error: str) -> ProgramRun:
    return ProgramRun(project=name, stack="", config={}, resources=[], error=error)


def _runs(names: list[str], isolated: frozenset[str] = frozenset()) -> list[tuple[ProgramRun, list[str]]]:
    started: list[str] = []
    runs = list(program_runs(names, _run, lambda n: n not in isolated, _failed, started.append))
    assert sorted(started) == sorted(names)  # each target announced once (workers may start before)
    return runs


def test_runs_come_back_in_order_the_first_from_the_gate_the_others_from_workers() -> None:
    names = [f"stack-{i}" for i in range(5)]
    runs = _runs(names)
    assert [run.project for run, _ in runs] == names
    assert [notes for _, notes in runs] == [[f"note {n}"] for n in names]
    pids = [int(run.stack) for run, _ in runs]
    assert pids[0] == os.getpid()  # the first run imports what the programs use, in the gate
    assert os.getpid() not in pids[1:] and len(set(pids[1:])) == 4  # one worker per program


def test_isolated_targets_run_in_the_gate_at_their_turn() -> None:
    runs = _runs(["a", "own-1", "b", "own-2"], isolated=frozenset({"a", "b"}))
    assert [run.project for run, _ in runs] == ["a", "own-1", "b", "own-2"]
    pids = [int(run.stack) for run, _ in runs]
    assert pids[:3] == [os.getpid()] * 3 and pids[3] != os.getpid()


def test_one_program_alone_runs_in_the_gate() -> None:
    [(run, _)] = _runs(["only"])
    assert int(run.stack) == os.getpid()


def test_a_program_that_ends_its_process_fails_alone_with_one_line() -> None:
    runs = _runs(["first", "exit3", "after"])
    assert runs[1][0].error == "the program exited with code 3 before it finished"
    assert runs[1][0].project == "exit3" and runs[1][1] == []
    assert runs[2][0].error is None and runs[2][0].project == "after"


def test_an_error_raised_while_running_reaches_the_gate_as_raised() -> None:
    runs = program_runs(["first", "raise"], _run, lambda _n: True, _failed)
    assert next(runs)[0].project == "first"
    with pytest.raises(ValueError, match=r"^stack config is bad: region 'mars-1'$"):
        next(runs)
    runs.close()


def test_stopping_early_ends_the_workers_left() -> None:
    runs = program_runs(["first", "second", "third", "fourth"], _run, lambda _n: True, _failed)
    next(runs)
    assert len(multiprocessing.active_children()) == 3
    runs.close()
    assert multiprocessing.active_children() == []
