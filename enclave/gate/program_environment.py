"""Which Python runs a program: the one the Pulumi language host would use, from the program's Pulumi.yaml.

    runtime:
      name: python
      options:
        toolchain: pip | uv | poetry     # default pip
        virtualenv: venv                 # a folder relative to the project

The language host runs the program in that environment, so its dependencies and its provider SDK versions
are its own. The gate does the same: ``toolchain: uv`` uses the project's ``.venv`` (or ``virtualenv``),
``toolchain: poetry`` asks poetry for its environment, ``virtualenv`` names the folder. Without options the
language host would use whatever ``python3`` is on PATH; the gate then uses its own interpreter. An
environment that is named but does not exist is an error (the engine would create it with the network; the
gate does not install anything): the message says which command creates it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from enclave.offline.stack_files import ProjectError

TOOLCHAINS = ("pip", "uv", "poetry")


@dataclass(frozen=True)
class ProgramEnvironment:
    python: Path
    # How it was chosen, for notes and errors ("virtualenv venv", "toolchain uv (.venv)", "the gate's own").
    source: str

    @property
    def own(self) -> bool:
        return self.source == GATE_OWN


GATE_OWN = "the gate's own interpreter (Pulumi.yaml names no virtualenv or toolchain)"


def _python_in(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def runtime_options(program_dir: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load((program_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}  # load_project reports an unreadable Pulumi.yaml; nothing to add here
    runtime = data.get("runtime") if isinstance(data, dict) else None
    options = runtime.get("options") if isinstance(runtime, dict) else None
    return options if isinstance(options, dict) else {}


def _existing(venv: Path, how: str, create: str) -> ProgramEnvironment:
    python = _python_in(venv)
    if not python.exists():
        raise ProjectError(f"the program's environment {venv} ({how}) does not exist; create it first: {create}")
    return ProgramEnvironment(python, f"{how} ({venv})")


def program_environment(program_dir: Path) -> ProgramEnvironment:
    options = runtime_options(program_dir)
    toolchain = str(options.get("toolchain") or "pip")
    if toolchain not in TOOLCHAINS:
        raise ProjectError(
            f"Pulumi.yaml runtime option toolchain {toolchain!r} is not supported; allowed: {', '.join(TOOLCHAINS)}"
        )
    virtualenv = options.get("virtualenv")
    if toolchain == "uv":
        venv = program_dir / str(virtualenv or ".venv")
        return _existing(venv, "toolchain uv", f"uv sync --project {program_dir}")
    if toolchain == "poetry":
        return _poetry(program_dir)
    if virtualenv:
        venv = program_dir / str(virtualenv)
        return _existing(
            venv,
            f"virtualenv {virtualenv}",
            f"python3 -m venv {venv} && {_python_in(venv)} -m pip install -r requirements.txt",
        )
    return ProgramEnvironment(Path(sys.executable), GATE_OWN)


def _poetry(program_dir: Path) -> ProgramEnvironment:
    try:
        answer = subprocess.run(
            ["poetry", "env", "info", "--path"],
            cwd=program_dir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise ProjectError(f"the program uses toolchain poetry, but poetry cannot run here: {err}") from None
    path = answer.stdout.strip()
    if answer.returncode != 0 or not path:
        raise ProjectError(
            f"the program uses toolchain poetry and has no poetry environment; create it first: poetry install (in {program_dir})"
        )
    return _existing(Path(path), "toolchain poetry", f"poetry install (in {program_dir})")
