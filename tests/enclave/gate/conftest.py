"""Shared helpers: run `enclave check` in-process and cache each distinct run (a run costs seconds)."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from enclave.cli import main

PROGRAMS = Path(__file__).parent / "programs"


@dataclass(frozen=True)
class CheckRun:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        report = json.loads(self.stdout)
        assert isinstance(report, dict), f"the report is not a JSON object: {self.stdout[:200]}"
        return report


@cache
def _check(args: tuple[str, ...]) -> CheckRun:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args])
    return CheckRun(code, out.getvalue(), err.getvalue())


def check(*args: str) -> CheckRun:
    """``enclave check ARGS`` (cached per distinct argument list)."""
    return _check(tuple(args))


def program(name: str) -> str:
    return str(PROGRAMS / name)
