"""`enclave audit` shows its progress on a terminal (the API work done of the work found so far), and only there."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from enclave.cli import main
from tests.moto_world import audit


def test_the_scan_reports_its_progress_as_work_is_found_and_done(world: Any) -> None:
    seen: list[tuple[int, int]] = []
    audit(world, ("s3", "kms"), progress=lambda done, total: seen.append((done, total)))
    assert seen and all(done <= total for done, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == seen[-1][1] > 4  # discovery in 4 regions, then one inspection per resource found


def test_progress_goes_to_a_terminal_only(world: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import enclave.commands.terminal as terminal

    stream = io.StringIO()
    monkeypatch.setattr(terminal, "progress_console", lambda: Console(file=stream, force_terminal=True, width=80))
    args = ["audit", "--jurisdiction", "eu", "--endpoint-url", world.url, "--regions", "eu-west-1", "--services", "kms"]
    main([*args, "--format", "json"])
    assert "audit eu" in stream.getvalue()
    monkeypatch.setattr(terminal, "progress_console", lambda: Console(file=stream, force_terminal=False))
    stream.truncate(0)
    stream.seek(0)
    main([*args, "--format", "json"])
    assert stream.getvalue() == ""
    assert "audit eu" not in capsys.readouterr().err
