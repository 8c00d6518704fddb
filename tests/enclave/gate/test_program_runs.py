"""The gate runs a program as the engine would: in the program's own environment, with resource references
as inputs, in a process group under a timeout, its output kept out of memory, and an error said once."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from enclave.cli import main
from tests.enclave.gate.conftest import PROGRAMS, check, program


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by its parent) counts as ended.
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return True


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_process_the_program_leaves_running_is_ended_and_does_not_hang_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("ENCLAVE_TEST_PIDFILE", str(pidfile))
    started = time.monotonic()
    code = main(["check", "--program", program("leaves_child"), "--jurisdiction", "eu", "--no-checkov",
                 "--format", "json", "--output", str(tmp_path / "out.json")])  # fmt: skip
    assert code == 1  # judged (an unencrypted bucket), not an error
    assert json.loads((tmp_path / "out.json").read_text())["results"][0]["error"] is None
    assert time.monotonic() - started < 120  # it used to wait the whole 600 s for the child's pipe
    assert _gone(int(pidfile.read_text()))


def test_timeout_covers_the_program_and_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("ENCLAVE_TEST_PIDFILE", str(pidfile))
    code = main(["check", "--program", program("slow"), "--jurisdiction", "eu", "--no-checkov", "--format", "json",
                 "--timeout", "5"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("did not finish within 5 s (--timeout); it and every process it started were stopped") == 1
    assert _gone(int(pidfile.read_text()))


@pytest.mark.parametrize("value", ["0", "-3"])
def test_timeout_must_be_positive(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--program", program("clean"), "--jurisdiction", "eu", "--timeout", value]) == 2
    assert capsys.readouterr().err == f"enclave check: error: --timeout {value}: must be a number of seconds above 0\n"


def test_a_chatty_program_is_quoted_by_its_last_lines_only() -> None:
    run = check("--program", program("chatty"), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    [result] = run.json()["results"]
    assert run.code == 2
    assert result["error"].startswith("the program exited with code 3 before it finished: ")
    assert result["error"].endswith("the last words of the program")
    assert len(result["error"]) < 600  # 20 MB of output went to a file, not into the report or memory


def test_an_error_is_said_once() -> None:
    run = check("--program", program("broken"), "--jurisdiction", "eu", "--no-checkov")
    assert run.code == 2
    said = " ".join((run.stdout + run.stderr).split())  # the table wraps long lines at the terminal's width
    assert said.count("the program failed: KeyError: 'name'") == 1


def test_resource_objects_as_inputs_reach_the_pack_as_ids() -> None:
    run = check("--program", program("examples/aws_lambda_sns"), "--jurisdiction", "eu", "--no-checkov",
                "--format", "json")  # fmt: skip
    [result] = run.json()["results"]
    assert result["error"] is None and run.code == 0, result
    assert result["resource_count"] == 6


def _own_environment(tmp_path: Path, options: str, venv: str) -> Path:
    copy = tmp_path / "own_env"
    shutil.copytree(PROGRAMS / "own_env", copy)
    (copy / "Pulumi.yaml").write_text(f"name: own-env\nruntime:\n  name: python\n  options:\n{options}")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(copy / venv)], check=True)
    [site] = (copy / venv).glob("lib/python3*/site-packages")
    # The program's environment has pulumi (through a .pth, as an installed package would) and a module of its own.
    (site / "gate_sdk.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (site / "program_only_settings.py").write_text('BUCKET_REGION = "us-east-1"\n')
    return copy


@pytest.mark.parametrize(
    ("options", "venv"),
    [
        ("    virtualenv: venv\n", "venv"),
        ("    toolchain: uv\n", ".venv"),
        ("    toolchain: pip\n    virtualenv: env\n", "env"),
    ],
)
def test_the_program_runs_in_its_own_environment(tmp_path: Path, options: str, venv: str) -> None:
    copy = _own_environment(tmp_path, options, venv)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--program", str(copy), "--jurisdiction", "eu", "--no-checkov", "--format", "json"])
    assert code == 1, out.getvalue()  # the bucket is where the program's own module put it: us-east-1
    assert "aws:s3/bucket:Bucket is in us-east-1" in out.getvalue()


def test_a_named_environment_that_does_not_exist_is_one_clear_error(tmp_path: Path) -> None:
    copy = tmp_path / "own_env"
    shutil.copytree(PROGRAMS / "own_env", copy)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["check", "--program", str(copy), "--jurisdiction", "eu", "--no-checkov", "--format", "json"])
    assert code == 2
    assert err.getvalue() == (
        f"enclave check: error: {copy}: the program's environment {copy / 'venv'} (virtualenv venv) does not exist; "
        f"create it first: python3 -m venv {copy / 'venv'} && {copy / 'venv' / 'bin' / 'python'} -m pip install -r "
        "requirements.txt\n"
    )


def test_an_unsupported_toolchain_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "own_env"
    shutil.copytree(PROGRAMS / "own_env", copy)
    (copy / "Pulumi.yaml").write_text("name: own-env\nruntime:\n  name: python\n  options:\n    toolchain: conda\n")
    run = check("--program", str(copy), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    assert run.json()["results"][0]["error"] == (
        "Pulumi.yaml runtime option toolchain 'conda' is not supported; allowed: pip, uv, poetry"
    )
