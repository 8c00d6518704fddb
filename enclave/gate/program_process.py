"""Run an external Pulumi program in a child process, with the project's own offline runner.

A program the gate has never seen may import anything, set globals, monkey-patch pulumi or call
``sys.exit``; in a child process none of that reaches the gate. The child is the project's interpreter
running ``enclave.offline.runner.run_program``; it writes the captured run as JSON to a file (the
program's own prints go to its stdout, which is discarded).

    python -m enclave.gate.program_process REQUEST.json RESULT.json
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from enclave.offline.model import CapturedResource, ProgramRun

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_program_isolated(
    program_dir: Path,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    preview: bool = False,
    timeout: float = 600,
) -> ProgramRun:
    with tempfile.TemporaryDirectory(prefix="enclave-program-") as tmp:
        request, result = Path(tmp) / "request.json", Path(tmp) / "result.json"
        request.write_text(
            json.dumps(
                {
                    "program_dir": str(program_dir),
                    "stack": stack,
                    "config": config,
                    "secret_keys": secret_keys,
                    "preview": preview,
                }
            ),
            encoding="utf-8",
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
        cmd = [sys.executable, "-m", "enclave.gate.program_process", str(request), str(result)]
        try:
            proc = subprocess.run(
                cmd, cwd=program_dir, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return _failed(program_dir, stack, config, f"the program did not finish within {timeout:.0f} s")
        if proc.returncode != 0 or not result.exists():
            tail = " | ".join(proc.stderr.strip().splitlines()[-2:])
            message = f"the program exited with code {proc.returncode} before it finished"
            return _failed(program_dir, stack, config, f"{message}: {tail}" if tail else message)
        return _load(json.loads(result.read_text(encoding="utf-8")))


def _failed(program_dir: Path, stack: str, config: dict[str, str], error: str) -> ProgramRun:
    return ProgramRun(project=program_dir.name, stack=stack, config=config, resources=[], error=error)


def _load(data: dict) -> ProgramRun:
    resources = [CapturedResource(**r) for r in data.pop("resources")]
    return ProgramRun(resources=resources, **data)


def _wire_value(value: object) -> str:
    """A preview's unknowns travel as the engine's own sentinel, which the pack reads back as unknown."""
    from pulumi.output import Unknown
    from pulumi.runtime.rpc import UNKNOWN

    return UNKNOWN if isinstance(value, Unknown) else str(value)


def main(argv: list[str]) -> int:
    from enclave.offline.runner import run_program

    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    run = run_program(
        Path(request["program_dir"]),
        request["stack"],
        request["config"],
        secret_keys=request["secret_keys"],
        preview=request["preview"],
    )
    Path(argv[1]).write_text(json.dumps(asdict(run), default=_wire_value), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
