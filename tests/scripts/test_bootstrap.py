"""The quick start works on the distribution's own Python, which PEP 668 marks externally managed.

A copy of the repository is bootstrapped with PATH holding only /usr/bin and /bin: Debian's python3 (with
its EXTERNALLY-MANAGED marker), no uv. scripts/install-system-tools.sh (run by .ci/run) installs that Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _repository_copy(tmp_path: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    copy = tmp_path / "repo"
    for name in files:
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def _system_env() -> dict[str, str]:
    # The machine's network settings (proxies, CA bundles) stay; what points at this project's environment goes.
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = "/usr/bin:/bin"
    return env


def test_the_system_python_refuses_pip_install() -> None:
    # The premise: this is a PEP 668 Python, on which the old quick start (`pip install uv`) failed.
    assert list(SYSTEM_PYTHON.parent.parent.glob("lib/python3*/EXTERNALLY-MANAGED"))
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "uv"],
        capture_output=True,
        text=True,
        env=_system_env(),
    )
    assert result.returncode != 0 and "externally-managed-environment" in result.stderr


def test_bootstrap_installs_uv_beside_the_project_and_plans(tmp_path: Path) -> None:
    repo = _repository_copy(tmp_path)
    result = subprocess.run(
        ["bash", "scripts/bootstrap.sh", "uk-london"],
        cwd=repo, capture_output=True, text=True, env=_system_env(), timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (repo / ".tools" / "uv" / "bin" / "uv").exists()
    assert "uk-london" in result.stdout and "aws:kms/key:Key" in result.stdout
    # The second command of the quick start finds the same uv (here: its first step, the linter).
    lint = subprocess.run(
        ["bash", "-c", "source scripts/uv.sh && command -v uv"],
        cwd=repo, capture_output=True, text=True, env=_system_env(),
    )  # fmt: skip
    assert lint.stdout.strip() == str(repo / ".tools" / "uv" / "bin" / "uv")
