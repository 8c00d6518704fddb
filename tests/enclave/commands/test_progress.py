"""Progress on long work shows on a terminal's stderr and nowhere else (CI logs, pipes, report files)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from enclave.cli import main
from enclave.commands.terminal import progress


def test_progress_draws_on_a_terminal() -> None:
    stream = io.StringIO()
    with progress("enclave plan", 2, Console(file=stream, force_terminal=True, width=80)) as update:
        update("eu-dublin", 1, 2)
    assert "enclave plan: eu-dublin" in stream.getvalue()


def test_progress_is_silent_elsewhere() -> None:
    stream = io.StringIO()
    with progress("enclave plan", 2, Console(file=stream, force_terminal=False)) as update:
        update("eu-dublin", 1, 2)
    assert stream.getvalue() == ""


def test_plan_on_a_pipe_writes_no_progress(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "uk-london", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""


def test_plan_on_a_terminal_shows_which_stack_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import enclave.commands.terminal as terminal

    stream = io.StringIO()
    monkeypatch.setattr(terminal, "progress_console", lambda: Console(file=stream, force_terminal=True, width=80))
    assert main(["plan", "uk-london", "--format", "json", "--output", "/dev/null"]) == 0
    assert "enclave plan: uk-london" in stream.getvalue()
