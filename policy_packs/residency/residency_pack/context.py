"""What the pack needs besides the resource: the stack's jurisdiction, its region, and the registries.

The jurisdiction comes from the stack's config (``enclave:jurisdiction``, or ``<project>:jurisdiction`` for
other projects), which the engine passes in ``PULUMI_CONFIG``. A central security team can pin it with
policy-pack config on the ``residency-context`` policy (``{"residency-context": {"jurisdiction": "eu"}}``);
a pin wins, and a stack that declares another jurisdiction is a violation. Tags are never consulted.
Anything missing or invalid becomes a ``problem``: the pack then fails closed on every resource.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from residency.assessments import AssessmentRegistry, load_registry
from residency.errors import ResidencyError
from residency.exemptions import ExemptionRegistry, load_exemptions
from residency.jurisdictions import default_catalogue
from residency.rules import RULE_VECTORS
from residency.rules.base import Context
from residency.stack_config import (
    JURISDICTION,
    REGION,
    account_jurisdiction_problems,
    declared_account,
    declared_jurisdiction,
    jurisdiction_declarations,
)

ASSESSMENTS_FILE = "transfer-assessments.toml"
EXEMPTIONS_FILE = "exemptions.toml"


@dataclass(frozen=True)
class PackContext:
    """Everything a policy consults. ``problems`` non-empty means: fail closed, judge nothing else."""

    rules: Context | None
    stack_region: str | None
    exemptions: ExemptionRegistry = field(default_factory=ExemptionRegistry)
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and self.rules is not None


def stack_config(environ: Mapping[str, str] | None = None) -> tuple[dict[str, str], str | None]:
    """The stack's config from ``PULUMI_CONFIG`` and a problem line if it is unreadable."""
    raw = (environ if environ is not None else os.environ).get("PULUMI_CONFIG", "{}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return {}, f"PULUMI_CONFIG is not JSON ({err.msg}); the stack's jurisdiction cannot be read"
    if not isinstance(data, dict):
        return {}, "PULUMI_CONFIG is not a JSON object; the stack's jurisdiction cannot be read"
    return {str(k): str(v) for k, v in data.items()}, None


def build_context(
    pinned: str | None,
    governance_dir: Path,
    environ: Mapping[str, str] | None = None,
    today: date | None = None,
) -> PackContext:
    env = environ if environ is not None else os.environ
    config, config_problem = stack_config(env)
    return _build(
        pinned,
        str(governance_dir),
        json.dumps(config, sort_keys=True),
        env.get("PULUMI_PROJECT"),
        config_problem,
        today or date.today(),
    )


@lru_cache(maxsize=32)
def _build(
    pinned: str | None,
    governance_dir: str,
    config_json: str,
    project: str | None,
    config_problem: str | None,
    today: date,
) -> PackContext:
    # Cached: every policy asks for the context on every resource; registries are read once per key.
    config: dict[str, str] = json.loads(config_json)
    catalogue = default_catalogue()
    problems: list[str] = [config_problem] if config_problem else []
    declared = declared_jurisdiction(config, project)
    chosen = pinned or declared
    declarations = jurisdiction_declarations(config, project)
    if pinned and any(value != pinned for value in declarations.values()):
        key, value = next((k, v) for k, v in declarations.items() if v != pinned)
        problems.append(
            f"the stack declares jurisdiction {value!r} ({key}) but the policy pack pins {pinned!r}; "
            "deploy this stack only where the pinned jurisdiction applies"
        )
    elif len(set(declarations.values())) > 1:
        listed = ", ".join(f"{k}={v!r}" for k, v in declarations.items())
        problems.append(f"the stack declares more than one jurisdiction ({listed}); declare one")
    jurisdiction = None
    if chosen is None:
        problems.append(
            f"no jurisdiction: set {JURISDICTION} in the stack config or pin it with policy-pack config "
            f'{{"residency-context": {{"jurisdiction": ...}}}} (allowed: {", ".join(catalogue.ids())})'
        )
    elif chosen not in catalogue.jurisdictions:
        problems.append(f"unknown jurisdiction {chosen!r}; allowed: {', '.join(catalogue.ids())}")
    else:
        jurisdiction = catalogue.get(chosen)
        # Pinned or declared, the jurisdiction must be the one the stack's accounts belong to.
        problems += account_jurisdiction_problems(config, project, jurisdiction, catalogue)
    directory = Path(governance_dir)
    if not directory.is_dir():
        problems.append(
            f"governance directory {directory} does not exist; set governanceDir in residency-context config"
        )
    assessments, exemptions = AssessmentRegistry(), ExemptionRegistry()
    try:
        assessments = load_registry(directory / ASSESSMENTS_FILE, catalogue, today)
    except Exception as err:  # any load failure must fail closed, never crash the pack
        problems.append(f"transfer assessment registry is invalid: {_one_line(err)}")
    try:
        exemptions = load_exemptions(directory / EXEMPTIONS_FILE, RULE_VECTORS, assessments)
    except Exception as err:  # as above
        problems.append(f"exemption registry is invalid: {_one_line(err)}")
    account = declared_account(config, project)
    rules = Context(jurisdiction, catalogue, assessments, today, account) if jurisdiction is not None else None
    return PackContext(rules, config.get(REGION) or None, exemptions, tuple(problems))


def _one_line(err: Exception) -> str:
    # A RegistryError is already one line; anything else (a bug, an OS error) is named by its type.
    if isinstance(err, ResidencyError):
        return str(err)
    detail = " ".join(str(err).split())
    return f"{type(err).__name__}: {detail}" if detail else type(err).__name__
