"""The pack's settings (where it is, and what ``residency-context``'s policy-pack config says) and the
context every policy judges in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from residency_pack.context import PackContext, build_context

DEFAULT_PACK_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PackSettings:
    """The pack's own configuration: where it is, and what ``residency-context``'s policy-pack config says.

    The engine sends every policy's config in one Configure call, before any Analyze; the pack's server
    (``residency_pack.pack``) reads ``residency-context``'s entry there, so every policy judges with the
    same settings whatever order the policies run in, and even when ``residency-context`` is disabled.
    """

    pack_dir: Path = DEFAULT_PACK_DIR
    pinned: str | None = None
    governance_dir: str | None = None

    @classmethod
    def from_config(cls, pack_dir: Path, config: Mapping[str, Any]) -> PackSettings:
        """``residency-context``'s properties: ``jurisdiction`` (the pin) and ``governanceDir``."""
        return cls(pack_dir.resolve(), config.get("jurisdiction") or None, config.get("governanceDir") or None)


def context_for(settings: PackSettings) -> PackContext:
    """The context every policy judges in: a pure function of the settings, the stack the engine named
    (``PULUMI_CONFIG``, ``PULUMI_PROJECT``) and the date, built once for each of those."""
    env = os.environ
    return _context(settings, env.get("PULUMI_CONFIG"), env.get("PULUMI_PROJECT"), date.today())


@lru_cache(maxsize=32)
def _context(settings: PackSettings, config: str | None, project: str | None, today: date) -> PackContext:
    # The registries bundled in a built pack (enclave pack build), else the repository's governance/.
    bundled = (settings.pack_dir / "governance").is_dir()
    default = Path("governance") if bundled else Path("../../governance")
    directory = Path(settings.governance_dir) if settings.governance_dir else default
    environ = {k: v for k, v in (("PULUMI_CONFIG", config), ("PULUMI_PROJECT", project)) if v is not None}
    return build_context(settings.pinned, settings.pack_dir / directory, environ, today)
