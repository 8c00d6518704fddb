"""Each Lambda function imports, with only what Lambda gives it: its code archive, the layer of uv.lock's
``lambda`` group, and the runtime's own boto3. A module that imports a package found nowhere in those
(rich, pulumi, a new dependency) fails here, not at 02:00 in the enclave."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from components.lambda_code import AUDIT_CODE, PIPELINE_CODE, REPO_ROOT, code_files

# What the Lambda Python runtime ships besides the standard library.
RUNTIME_DISTRIBUTIONS = ("boto3",)


def _closure(names: list[str]) -> set[str]:
    """The distributions ``names`` need, transitively (extras and markers of other platforms ignored)."""
    seen: set[str] = set()
    todo = [metadata.distribution(n).metadata["Name"] for n in names]
    while todo:
        name = todo.pop()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        for requirement in metadata.requires(name) or []:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    return seen


def _top_level_modules(distributions: set[str]) -> set[str]:
    by_module = metadata.packages_distributions()
    return {module for module, dists in by_module.items() if {d.lower() for d in dists} & distributions}


def _lambda_group() -> list[str]:
    groups = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["dependency-groups"]
    return [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in groups["lambda"]]


def _lambda_world(tmp_path: Path, entries: tuple[str, ...]) -> tuple[Path, Path]:
    code, deps = tmp_path / "task", tmp_path / "opt-python"
    for name, source in code_files(entries).items():
        (code / name).parent.mkdir(parents=True, exist_ok=True)
        (code / name).write_bytes(source.read_bytes())
    deps.mkdir()
    site = Path(str(metadata.distribution("boto3").locate_file("")))
    for module in _top_level_modules(_closure([*_lambda_group(), *RUNTIME_DISTRIBUTIONS])):
        for candidate in (site / module, site / f"{module}.py"):
            if candidate.exists():
                (deps / candidate.name).symlink_to(candidate)
    return code, deps


def _run_isolated(code: Path, deps: Path, script: str) -> subprocess.CompletedProcess[str]:
    # -I: no user site, no PYTHON* variables, no current directory; -S: no site-packages at all.
    prelude = f"import sys; sys.path[:0] = [{str(code)!r}, {str(deps)!r}]\n"
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", prelude + script], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("entries", "script"),
    [
        (
            AUDIT_CODE,
            "import enclave.continuous.lambda_entry as m\n"
            "assert callable(m.config_rule_handler) and callable(m.scheduled_audit_handler)\n"
            "from enclave.audit.report_html import _environment\n"
            "_environment().get_template('audit.html.j2')\n",
        ),
        (PIPELINE_CODE, "import enclave_lambda.deidentify, enclave_lambda.rotation\n"),
    ],
    ids=["continuous-audit", "deidentify-pipeline"],
)
def test_each_function_imports_with_only_its_archive_its_layer_and_boto3(
    tmp_path: Path, entries: tuple[str, ...], script: str
) -> None:
    code, deps = _lambda_world(tmp_path, entries)
    result = _run_isolated(code, deps, script)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_isolated_world_really_lacks_what_is_not_packaged(tmp_path: Path) -> None:
    # The check above can fail: rich (the CLI's terminal tables) is in neither the archive nor the layer.
    code, deps = _lambda_world(tmp_path, AUDIT_CODE)
    result = _run_isolated(code, deps, "import rich\n")
    assert result.returncode != 0 and "No module named 'rich'" in result.stderr


def test_a_missing_code_entry_is_named() -> None:
    with pytest.raises(FileNotFoundError, match="'enclave/nowhere'"):
        code_files(("enclave/nowhere",))
