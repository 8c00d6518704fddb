"""Where in the user's code each resource is declared, for annotations on the changed line.

The Python SDK sends the registration's call stack with every RegisterResourceRequest; the offline runner
keeps it (``CapturedResource.frames``). A resource's location is the innermost frame in the user's own
code: the repository that holds the program, outside any virtual environment. For a resource declared by a
component from the repository, that is the line in the component; for one declared inside a third-party
component (a package in site-packages), it is the user's call of that component. The enclosing components
are listed too (``chain``), each with its own location, innermost first. Paths are relative to the
repository root, as GitHub code scanning expects them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from enclave.offline.model import CapturedResource

_INSTALLED = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class Enclosing:
    """A component around the resource, and where the user's code creates it (when it does)."""

    type: str
    name: str
    file: str | None = None
    line: int | None = None

    def describe(self) -> str:
        return f"{self.type} {self.name}" + (f" ({self.file}:{self.line})" if self.file else "")


@dataclass(frozen=True)
class SourceLocation:
    file: str  # relative to the repository root, with forward slashes
    line: int
    # The enclosing components, innermost first.
    chain: tuple[Enclosing, ...] = ()

    def describe(self) -> str:
        own = f"{self.file}:{self.line}"
        return f"{own} (in {', in '.join(c.describe() for c in self.chain)})" if self.chain else own

    def as_dict(self) -> dict[str, object]:
        components = [{"type": c.type, "name": c.name, "file": c.file, "line": c.line} for c in self.chain]
        return {"file": self.file, "line": self.line, "components": components}


def repository_root(directory: Path) -> Path:
    """The git work tree holding ``directory``; the directory itself when it is not in one."""
    try:
        top = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return directory.resolve()
    return Path(top.stdout.strip()).resolve() if top.returncode == 0 and top.stdout.strip() else directory.resolve()


def _own_frame(frames: Sequence[dict[str, object]], root: Path) -> tuple[str, int] | None:
    for frame in frames:
        path = Path(str(frame["file"]))
        if any(part in _INSTALLED for part in path.parts):
            continue
        try:
            relative = path.resolve().relative_to(root)
        except ValueError:
            continue
        if relative.parts and relative.parts[0] in (".venv", "venv", ".tools"):
            continue
        line = frame["line"]
        return relative.as_posix(), int(line) if isinstance(line, int | str) else 0
    return None


def locate(resources: Sequence[CapturedResource], program_dir: Path) -> dict[str, SourceLocation]:
    """URN -> where the user's code declares it (resources with no frame in the user's code are absent)."""
    root = repository_root(program_dir)
    own = {r.urn: _own_frame(r.frames, root) for r in resources}
    by_urn = {r.urn: r for r in resources}
    out: dict[str, SourceLocation] = {}
    for r in resources:
        position = own.get(r.urn)
        if position is None:
            continue
        chain: list[Enclosing] = []
        parent = by_urn.get(r.parent or "")
        while parent is not None and parent.type != "pulumi:pulumi:Stack":
            where = own.get(parent.urn)
            chain.append(Enclosing(parent.type, parent.name, *(where or (None, None))))
            parent = by_urn.get(parent.parent or "")
        out[r.urn] = SourceLocation(position[0], position[1], tuple(chain))
    return out


def relative_to_repository(path: Path) -> str:
    root = repository_root(path.parent if path.suffix else path)
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name
