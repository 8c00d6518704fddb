"""Build the residency policy pack as one self-contained folder that ``pulumi policy publish`` uploads.

In the repository the pack runs in the project's own environment (PulumiPolicy.yaml ``virtualenv:
../../.venv``), which a published pack cannot reach. The built folder carries everything it imports:

    DIR/PulumiPolicy.yaml     the pack's metadata; runtime python with ``virtualenv: venv`` (the engine
                              creates it and installs requirements.txt into it)
    DIR/requirements.txt      pulumi-policy and pyyaml with their dependencies, pinned to uv.lock's versions
    DIR/__main__.py           the pack's entry point
    DIR/residency_pack/       the pack's policies
    DIR/residency/            the domain core (rules, catalogue, registries), without de-identification
    DIR/adapters/pulumi/      Pulumi properties -> facts
    DIR/governance/           the transfer assessments and exemptions, bundled (the default registry
                              directory); ``governanceDir`` in pack config points elsewhere

The folder is built in a temporary directory beside DIR and renamed into place, so a failed build leaves
nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path

import yaml

from enclave.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PACK_SOURCE = PROJECT_ROOT / "policy_packs" / "residency"
# What the pack imports beyond the standard library (tests/enclave/test_pack_build.py proves it suffices).
REQUIREMENT_ROOTS = ("pulumi-policy", "pyyaml")
CODE = (
    (PACK_SOURCE / "residency_pack", "residency_pack"),
    (PROJECT_ROOT / "residency", "residency"),
    (PROJECT_ROOT / "adapters" / "pulumi", "adapters/pulumi"),
)
# Not imported by the pack; de-identification needs polars, which the pack does not install.
EXCLUDED = {"deidentify", "__pycache__"}
REGISTRIES = ("transfer-assessments.toml", "exemptions.toml")


def pinned_requirements(lock: Path, roots: Iterable[str] = REQUIREMENT_ROOTS) -> list[str]:
    """``name==version`` (with the lock's environment marker) for ``roots`` and everything they depend on."""
    packages = {p["name"]: p for p in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]}
    markers: dict[str, str | None] = {name: None for name in roots}
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name not in packages:
            raise UsageError(f"uv.lock has no package {name!r}; run `uv lock`")
        for dep in packages[name].get("dependencies", []):
            if dep["name"] not in markers:
                markers[dep["name"]] = dep.get("marker")
                queue.append(dep["name"])
    lines = []
    for name in sorted(markers):
        marker = markers[name]
        lines.append(f"{name}=={packages[name]['version']}" + (f" ; {marker}" if marker else ""))
    return lines


def _copy_code(source: Path, target: Path) -> None:
    shutil.copytree(
        source, target, ignore=lambda _dir, names: [n for n in names if n in EXCLUDED or n.endswith(".pyc")]
    )


def build_pack(output: Path, governance: Path = PROJECT_ROOT / "governance") -> Path:
    """Write the publishable pack folder at ``output`` (which must not exist, or be an empty directory)."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise UsageError(f"--output {output}: exists and is not an empty directory; name a new one")
    parent = output.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"--output {output}: directory {parent} does not exist")
    staging = Path(tempfile.mkdtemp(prefix=".pack-", dir=parent))
    try:
        metadata = yaml.safe_load((PACK_SOURCE / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
        metadata["runtime"] = {"name": "python", "options": {"virtualenv": "venv"}}
        (staging / "PulumiPolicy.yaml").write_text(
            "# Built by `enclave pack build` from policy_packs/residency; publish with `pulumi policy publish`.\n"
            + yaml.safe_dump(metadata, sort_keys=False),
            encoding="utf-8",
        )
        requirements = pinned_requirements(PROJECT_ROOT / "uv.lock")
        (staging / "requirements.txt").write_text("\n".join(requirements) + "\n", encoding="utf-8")
        shutil.copy2(PACK_SOURCE / "__main__.py", staging / "__main__.py")
        for source, relative in CODE:
            _copy_code(source, staging / relative)
        shutil.copy2(PROJECT_ROOT / "adapters" / "__init__.py", staging / "adapters" / "__init__.py")
        (staging / "governance").mkdir()
        for name in REGISTRIES:
            shutil.copy2(governance / name, staging / "governance" / name)
        if output.exists():
            output.rmdir()
        os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output
