"""Run an external Pulumi program in a child process, with the project's own offline runner.

A program the gate has never seen may import anything, set globals, monkey-patch pulumi, call ``sys.exit``
or start processes; in a child process none of that reaches the gate. The child is the program's own
Python (``program_environment``: its Pulumi.yaml virtualenv or toolchain) running this project's
``enclave.offline.runner.run_program``; it writes the captured run as JSON to a file. The program's output
goes to a log file (only its last lines are read, when it fails). The child runs in its own process group
with a timeout; the group is ended afterwards, so a process the program leaves behind cannot hang the gate.

    python -m enclave.gate.program_process REQUEST.json RESULT.json
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from enclave.offline.model import CapturedResource, ProgramRun

PROJECT_ROOT = Path(__file__).resolve().parents[2]


# Ample for any real program (the gate's own 9 stacks take seconds); `enclave check --timeout` changes it.
DEFAULT_TIMEOUT = 900.0
# Lines of the program's own output quoted when it fails (the rest stays in the log file, never in memory).
TAIL_LINES = 2


def run_program_isolated(
    program_dir: Path,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    preview: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> ProgramRun:
    """Run the program in a child process of its own environment (``program_environment``), in a process
    group of its own: whatever the program starts is ended with it, and ``timeout`` covers all of it."""
    # Imported here: the child (this module's main) runs in the program's environment, which may lack yaml
    # until main() has added the gate's paths.
    from enclave.gate.program_environment import program_environment
    from enclave.offline.stack_files import ProjectError

    try:
        environment = program_environment(program_dir)
    except ProjectError as err:
        return _failed(program_dir, stack, config, str(err))
    with tempfile.TemporaryDirectory(prefix="enclave-program-") as tmp:
        request, result, log = Path(tmp) / "request.json", Path(tmp) / "result.json", Path(tmp) / "program.log"
        request.write_text(
            json.dumps(
                {
                    "program_dir": str(program_dir),
                    "stack": stack,
                    "config": config,
                    "secret_keys": secret_keys,
                    "preview": preview,
                    "stack_outputs": stack_outputs or {},
                    # Modules the program's environment lacks (the runner's own, e.g. yaml) come from the gate's,
                    # after the program's own: its pulumi and provider SDKs are the ones it installed.
                    "fallback_paths": [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))],
                }
            ),
            encoding="utf-8",
        )
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
        cmd = [str(environment.python), "-m", "enclave.gate.program_process", str(request), str(result)]
        with log.open("wb") as output:  # the program's prints go to a file, never into memory
            code = _run_group(cmd, program_dir, env, output, timeout)
        if code is None:
            return _failed(
                program_dir, stack, config, f"the program did not finish within {timeout:g} s (--timeout); it and "
                "every process it started were stopped",
            )  # fmt: skip
        if code != 0 or not result.exists():
            tail = " | ".join(_tail(log, TAIL_LINES))
            message = f"the program exited with code {code} before it finished"
            return _failed(program_dir, stack, config, f"{message}: {tail}" if tail else message)
        return _load(json.loads(result.read_text(encoding="utf-8")))


def _run_group(cmd: list[str], cwd: Path, env: dict[str, str], output: IO[bytes], timeout: float) -> int | None:
    """The child's exit code, or None on timeout. Its whole process group is ended either way."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                            start_new_session=True)  # fmt: skip
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        _end_group(proc)


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the program's process group, then SIGKILL to what is left (a child it left running)."""
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if proc.poll() is not None and not _group_alive(proc.pid):
                return
            time.sleep(0.05)
    proc.poll()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _tail(log: Path, lines: int) -> list[str]:
    """The last ``lines`` non-empty lines of the log, read from its end (the log may be large)."""
    with log.open("rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 8192))
        text = f.read().decode("utf-8", errors="replace")
    return [line for line in text.strip().splitlines() if line.strip()][-lines:]


def _failed(program_dir: Path, stack: str, config: dict[str, str], error: str) -> ProgramRun:
    return ProgramRun(project=program_dir.name, stack=stack, config=config, resources=[], error=error)


def _load(data: dict[str, Any]) -> ProgramRun:
    resources = [CapturedResource(**r) for r in data.pop("resources")]
    return ProgramRun(resources=resources, **data)


def _wire_value(value: object) -> str:
    """A preview's unknowns travel as the engine's own sentinel, which the pack reads back as unknown."""
    from pulumi.output import Unknown
    from pulumi.runtime.rpc import UNKNOWN

    return UNKNOWN if isinstance(value, Unknown) else str(value)


def _as_json(run: ProgramRun) -> dict[str, Any]:
    """The run as JSON-ready dicts. Not ``dataclasses.asdict``: it deep-copies every value on the way, which
    for a program of thousands of resources cost a tenth of the child's time; json.dumps only reads them."""
    data = {f.name: getattr(run, f.name) for f in fields(run)}
    data["resources"] = [{f.name: getattr(r, f.name) for f in fields(r)} for r in run.resources]
    return data


def main(argv: list[str]) -> int:
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    sys.path.extend(p for p in request.get("fallback_paths", []) if p not in sys.path)
    from enclave.offline.heap import freeze_import_heap
    from enclave.offline.runner import run_program

    freeze_import_heap()
    run = run_program(
        Path(request["program_dir"]),
        request["stack"],
        request["config"],
        secret_keys=request["secret_keys"],
        preview=request["preview"],
        stack_outputs=request["stack_outputs"],
    )
    Path(argv[1]).write_text(json.dumps(_as_json(run), default=_wire_value), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
