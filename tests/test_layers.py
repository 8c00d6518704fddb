"""The layers never import backwards: the core is pure, adapters never import surfaces, and each process's
code (the pack, the engine client, each Lambda function's archive) imports only what runs in that process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.lambda_code import AUDIT_CODE, PIPELINE_CODE, code_files

ROOT = Path(__file__).resolve().parents[1]

PULUMI_SDKS = {"pulumi", "pulumi_aws", "pulumi_kubernetes", "pulumi_policy"}
AWS_SDKS = {"boto3", "botocore"}
SURFACES = {"components", "enclave", "policy_engine", "residency_pack"}

# folder -> modules (or module prefixes) no file under it may import
FORBIDDEN: dict[str, set[str]] = {
    # The pure domain core: facts, rules, registries, the catalogue.
    "residency": PULUMI_SDKS | AWS_SDKS | SURFACES | {"adapters"},
    # Adapters turn Pulumi properties or boto3 descriptions into the core's facts, and nothing more.
    "adapters": SURFACES | {"pulumi", "pulumi_aws", "pulumi_kubernetes"},
    "adapters/pulumi": AWS_SDKS | {"adapters.aws_live"},
    "adapters/aws_live": {"pulumi_policy", "adapters.pulumi"},
    # The pack runs inside the engine's pack process: the core, the Pulumi adapters, pulumi_policy and the
    # Analyzer protocol (pulumi.runtime.proto) only; never a provider SDK or another process's code.
    "policy_packs/residency/residency_pack": AWS_SDKS
    | {"pulumi_aws", "pulumi_kubernetes", "adapters.aws_live", "components", "enclave", "policy_engine"},
    # The engine client drives any pack from outside: it knows the Analyzer protocol, not this project.
    "policy_engine": {"residency", "adapters", "components", "enclave", "residency_pack", "pulumi_policy"} | AWS_SDKS,
    # Components build infrastructure; they never reach the gate, the CLI or the pack.
    "components": {"enclave", "policy_engine", "residency_pack", "pulumi_policy"} | AWS_SDKS,
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports by absolute name (``from a import b`` counts as ``a`` and ``a.b``)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def forbidden_imports(path: Path, forbidden: set[str]) -> set[str]:
    return {
        module
        for module in imported_modules(path)
        for banned in forbidden
        if module == banned or module.startswith(banned + ".")
    }


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_backward_imports(folder: str) -> None:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files
    offenders = {
        f"{path.relative_to(ROOT)} imports {sorted(forbidden_imports(path, FORBIDDEN[folder]))}"
        for path in files
        if forbidden_imports(path, FORBIDDEN[folder])
    }
    assert offenders == set()


# Each Lambda function runs only what its archive holds (components/lambda_code.py) and the runtime's boto3:
# no Pulumi SDK, and no first-party module left out of the archive (it would fail at import in AWS, never here).
LAMBDA_ARCHIVES = {"pipeline": PIPELINE_CODE, "audit": AUDIT_CODE}
FIRST_PARTY = {"residency", "adapters", "components", "enclave", "enclave_lambda", "policy_engine", "residency_pack"}


def imported_first_party(path: Path) -> set[str]:
    """The first-party modules a file needs: what it imports, less the names imported from a module."""
    return {
        module
        for module in imported_modules(path)
        if module.split(".")[0] in FIRST_PARTY
        and ((ROOT / module.replace(".", "/")).is_dir() or (ROOT / f"{module.replace('.', '/')}.py").exists())
    }


def archived_modules(archive: dict[str, Path]) -> set[str]:
    """Module names the archive provides: each .py file and each folder holding one."""
    modules: set[str] = set()
    for name in archive:
        if name.endswith(".py"):
            parts = name.removesuffix(".py").split("/")
            if parts[-1] == "__init__":
                parts.pop()
            modules.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return modules


@pytest.mark.parametrize("function", sorted(LAMBDA_ARCHIVES))
def test_lambda_code_imports_only_what_its_archive_holds(function: str) -> None:
    archive = code_files(LAMBDA_ARCHIVES[function])
    sources = {name: path for name, path in archive.items() if name.endswith(".py")}
    assert sources
    provided = archived_modules(archive)
    offenders = {
        f"{name} imports {sorted(missing)}"
        for name, path in sources.items()
        if (missing := {m for m in imported_first_party(path) if m not in provided})
        or (missing := forbidden_imports(path, PULUMI_SDKS))
    }
    assert offenders == set()


def test_the_archive_check_sees_a_missing_module(tmp_path: Path) -> None:
    # Guard against a vacuous pass: an import of a module the archive lacks is found.
    sample = tmp_path / "handler.py"
    sample.write_text("from residency.model import Fact\nimport components.policy\n")
    provided = archived_modules({"residency/__init__.py": sample, "residency/model.py": sample})
    assert provided == {"residency", "residency.model"}
    assert imported_first_party(sample) - provided == {"components.policy"}


def test_no_relative_imports() -> None:
    # The check above reads absolute names only; a relative import would slip past it.
    relative = {
        str(path.relative_to(ROOT))
        for folder in FORBIDDEN
        for path in (ROOT / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    }
    assert relative == set()


def test_the_check_sees_imports(tmp_path: Path) -> None:
    # Guard against a vacuous pass: the scanner must find imports where they exist, in every form.
    assert "pulumi" in imported_modules(ROOT / "components" / "enclave.py")
    sample = tmp_path / "sample.py"
    sample.write_text("import boto3.session\nfrom adapters import aws_live\nfrom adapters.pulumi.resources import x\n")
    assert forbidden_imports(sample, {"boto3", "adapters.aws_live", "adapters.pulumi"}) == {
        "boto3.session",
        "adapters.aws_live",
        "adapters.pulumi.resources",
        "adapters.pulumi.resources.x",
    }
    assert forbidden_imports(sample, {"adapters.aws"}) == set()  # a prefix is a whole module name
