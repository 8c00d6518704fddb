"""Run checkov in its own pinned environment and map its findings back to Pulumi URNs.

checkov pins old dependencies and is a CLI, not a library, so it never runs in the project's environment:
``uvx --from checkov==<CHECKOV_VERSION> checkov ...`` builds (once, cached by uv) an isolated environment.
Its start-up costs several seconds, so one invocation scans every target's files; findings come back per
file, and each file belongs to one target. ``ENCLAVE_CHECKOV`` may name a checkov executable to use instead
(for example one a CI image installed), which must be the same version.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHECKOV_VERSION = "3.3.30"
CHECKOV_ENV_OVERRIDE = "ENCLAVE_CHECKOV"
# checkov asks Prisma Cloud for check metadata unless told not to; the gate runs offline.
_OFFLINE_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LOG_LEVEL": "ERROR"}


class CheckovError(RuntimeError):
    """checkov could not run or its output could not be read. ``str(err)`` is one line."""


@dataclass(frozen=True)
class ScanFile:
    """One file to scan: a Terraform plan (``terraform_plan``) or Kubernetes manifests (``kubernetes``)."""

    target: str
    framework: str
    name: str
    content: str


@dataclass(frozen=True)
class RawFinding:
    check_id: str
    check_name: str
    resource: str  # checkov's resource id: the plan address, or Kind.namespace.name for manifests


@dataclass
class FileReport:
    passed: int = 0
    failed: list[RawFinding] = field(default_factory=list)
    skipped: int = 0


def checkov_command() -> list[str]:
    override = os.environ.get(CHECKOV_ENV_OVERRIDE)
    if override:
        return shlex.split(override)
    if shutil.which("uvx") is None:
        raise CheckovError("checkov needs uv's `uvx` on PATH (https://docs.astral.sh/uv/); or pass --no-checkov")
    return ["uvx", "--quiet", "--from", f"checkov=={CHECKOV_VERSION}", "checkov"]


def run_checkov(files: Sequence[ScanFile], timeout: float = 900) -> dict[str, FileReport]:
    """Scan ``files`` in one checkov run; the reports are keyed by ``ScanFile.name``."""
    if not files:
        return {}
    frameworks = sorted({f.framework for f in files})
    with tempfile.TemporaryDirectory(prefix="enclave-checkov-") as tmp:
        args: list[str] = []
        for f in files:
            (Path(tmp) / f.name).write_text(f.content, encoding="utf-8")
            args += ["-f", f.name]
        cmd = [
            *checkov_command(),
            *args,
            "--framework",
            *frameworks,
            "-o",
            "json",
            "--compact",
            "--skip-download",
        ]
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | _OFFLINE_ENV
        try:
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise CheckovError(f"checkov could not run: {err}") from None
    # checkov exits 1 when a check failed; anything else non-zero is checkov itself failing.
    if proc.returncode not in (0, 1):
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise CheckovError(f"checkov exited with {proc.returncode}: {tail or 'no error output'}")
    return parse_checkov_output(proc.stdout, [f.name for f in files])


def parse_checkov_output(stdout: str, names: Sequence[str]) -> dict[str, FileReport]:
    """checkov's ``-o json``: one report object, or a list of them (one per framework)."""
    if not stdout.strip():
        # A scan that printed nothing has not shown the files to be clean: fail closed.
        raise CheckovError("checkov printed no report")
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as err:
        raise CheckovError(f"checkov output is not JSON ({err.msg}): {stdout[:120]!r}") from None
    reports = data if isinstance(data, list) else [data]
    out = {name: FileReport() for name in names}
    for report in reports:
        if not isinstance(report, Mapping):
            continue
        results = report.get("results") or {}
        # A file checkov could not parse was not scanned: its silence is not a pass.
        unparsed = [Path(str(path)).name for path in results.get("parsing_errors") or []]
        if unparsed or (report.get("summary") or {}).get("parsing_errors"):
            raise CheckovError(f"checkov could not parse {', '.join(unparsed) or 'an input file'}; nothing was judged")
        for check in results.get("failed_checks") or []:
            name = _file_name(check)
            if name in out:
                out[name].failed.append(
                    RawFinding(str(check["check_id"]), str(check.get("check_name", "")), str(check["resource"]))
                )
        for check in results.get("passed_checks") or []:
            if (name := _file_name(check)) in out:
                out[name].passed += 1
        for check in results.get("skipped_checks") or []:
            if (name := _file_name(check)) in out:
                out[name].skipped += 1
    return out


def _file_name(check: Mapping[str, Any]) -> str:
    return Path(str(check.get("file_path", ""))).name
