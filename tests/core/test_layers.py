"""The layers never import backwards: the core is pure, adapters never import surfaces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> top-level modules it must never import
FORBIDDEN = {
    "residency": {
        "pulumi",
        "pulumi_aws",
        "pulumi_kubernetes",
        "pulumi_policy",
        "boto3",
        "botocore",
        "adapters",
        "components",
        "enclave",
    },
    "adapters": {"components", "enclave", "pulumi", "pulumi_aws", "pulumi_kubernetes"},
}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_backward_imports(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    offenders = {
        f"{path.relative_to(ROOT)} imports {sorted(imported_roots(path) & FORBIDDEN[package])}"
        for path in files
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == set()


def test_the_check_sees_imports() -> None:
    # Guard against a vacuous pass: the scanner must find imports where they exist.
    assert "pulumi" in imported_roots(ROOT / "components" / "enclave.py")
