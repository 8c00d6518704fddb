"""The enclave's Lambda code, packaged by Pulumi from this repository: the same code the CLI and the pack run.

Two kinds of archive:

- function code: the repository's own files, listed file by file (source, templates and the reviewed
  governance files only, no ``__pycache__``) so an archive's hash changes only when its code does. The
  de-identification pipeline ships ``residency/``, ``enclave_lambda/`` and the dataset schemas
  (``PIPELINE_CODE``); the continuous audit ships the core, the live scanners, the auditor and the
  governance registries (``AUDIT_CODE``);
- the dependency layer: ``build/lambda-layer/`` made by ``scripts/build_lambda_layer.sh`` from uv.lock's
  ``lambda`` dependency group (Polars for the pipeline, Jinja2 for the audit's HTML evidence; manylinux
  wheels for the runtime's Python), within Lambda's 250 MB. boto3 is the Lambda runtime's own. The layer is
  built before ``pulumi preview`` (the engine hashes every archive at preview already) and ``pulumi up``;
  the offline plan and the policy pack never read its contents.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = Path("governance") / "datasets"
# Archive entries (files or directories, relative to the repository) of each function's code.
PIPELINE_CODE = ("residency", "enclave_lambda", f"{SCHEMA_DIR.as_posix()}/*.toml")
AUDIT_CODE = (
    "residency",
    "adapters/__init__.py",
    "adapters/aws_live",
    "enclave/__init__.py",
    "enclave/audit",
    "enclave/continuous",
    "governance/*.toml",
)
# What a function's code may contain: source, the evidence page's template, the reviewed registries.
CODE_SUFFIXES = (".py", ".toml", ".j2")
LAYER_DIR = REPO_ROOT / "build" / "lambda-layer"
RUNTIME = "python3.12"


def code_files(entries: tuple[str, ...] = PIPELINE_CODE, root: Path = REPO_ROOT) -> dict[str, Path]:
    """Archive path -> file, for every file of ``entries`` (a file, a directory, or a glob)."""
    files: dict[str, Path] = {}
    for entry in entries:
        found = sorted(root.glob(entry)) if "*" in entry else [root / entry]
        for top in found:
            if not top.exists():
                raise FileNotFoundError(f"Lambda code entry {entry!r} does not exist under {root}")
            for path in [top] if top.is_file() else sorted(top.rglob("*")):
                if path.is_file() and path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                    files[path.relative_to(root).as_posix()] = path
    return files


def code_archive(entries: tuple[str, ...] = PIPELINE_CODE) -> pulumi.AssetArchive:
    return pulumi.AssetArchive({name: pulumi.FileAsset(str(path)) for name, path in code_files(entries).items()})


def layer_archive() -> pulumi.FileArchive:
    return pulumi.FileArchive(str(LAYER_DIR))


def datasets(root: Path = REPO_ROOT) -> list[str]:
    """The datasets with a reviewed schema: the pipeline processes each."""
    return sorted(p.stem for p in (root / SCHEMA_DIR).glob("*.toml"))
