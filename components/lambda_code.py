"""The pipeline's Lambda code, packaged by Pulumi from this repository: the same code `enclave deidentify` runs.

Two archives:

- the function code: ``residency/`` (the pure core, including ``residency.deidentify``), ``enclave_lambda/``
  (the thin boto3 handlers) and the reviewed dataset schemas ``governance/datasets/*.toml``, listed file
  by file (Python and TOML only, no ``__pycache__``) so the archive's hash changes only when the code does;
- the dependency layer: ``build/lambda-layer/`` made by ``scripts/build_lambda_layer.sh`` from uv.lock's
  ``lambda`` dependency group (Polars, manylinux wheels), about 175 MB unpacked, within Lambda's 250 MB.
  boto3 is the Lambda runtime's own. The layer is built before ``pulumi up``; the offline plan and the
  policy pack never read its contents.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

REPO_ROOT = Path(__file__).resolve().parents[1]
CODE_PACKAGES = ("residency", "enclave_lambda")
SCHEMA_DIR = Path("governance") / "datasets"
LAYER_DIR = REPO_ROOT / "build" / "lambda-layer"
RUNTIME = "python3.12"


def code_files(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Archive path -> file, for every file the function needs."""
    files: dict[str, Path] = {}
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path
    for path in sorted((root / SCHEMA_DIR).glob("*.toml")):
        files[path.relative_to(root).as_posix()] = path
    return files


def code_archive() -> pulumi.AssetArchive:
    return pulumi.AssetArchive({name: pulumi.FileAsset(str(path)) for name, path in code_files().items()})


def layer_archive() -> pulumi.FileArchive:
    return pulumi.FileArchive(str(LAYER_DIR))


def datasets(root: Path = REPO_ROOT) -> list[str]:
    """The datasets with a reviewed schema: the pipeline processes each."""
    return sorted(p.stem for p in (root / SCHEMA_DIR).glob("*.toml"))
