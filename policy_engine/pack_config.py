"""Policy-pack config as ``--policy-pack-config`` gives it, normalised and checked like the engine does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi.runtime.proto.analyzer_pb2 import EnforcementLevel

# Level names indexed by the wire value, derived from the proto enum itself (ADVISORY=0, MANDATORY=1,
# DISABLED=2, REMEDIATE=3) so that a hand-written order can never send "remediate" as "disabled".
LEVELS: tuple[str, ...] = tuple(name.lower() for name in sorted(EnforcementLevel.keys(), key=EnforcementLevel.Value))


class EngineError(RuntimeError):
    """The pack could not be started or driven. ``str(err)`` is one line (plus the pack's stderr tail)."""


def expand_config(
    config: Mapping[str, Any], names: Sequence[str], schemas: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Normalise ``--policy-pack-config`` JSON: ``"all"`` and bare levels expand; names and values are checked."""
    out: dict[str, dict[str, Any]] = {}
    everyone = config.get("all")
    if everyone is not None:
        level = everyone if isinstance(everyone, str) else everyone.get("enforcementLevel")
        if level not in LEVELS or (isinstance(everyone, Mapping) and set(everyone) - {"enforcementLevel"}):
            raise EngineError(f'policy-pack config "all": only an enforcement level ({", ".join(LEVELS)}) is allowed')
        out = {n: {"enforcementLevel": level} for n in names}
    for name, value in config.items():
        if name == "all":
            continue
        if name not in names:
            raise EngineError(f"policy-pack config names unknown policy {name!r}")
        entry = {"enforcementLevel": value} if isinstance(value, str) else dict(value)
        if entry.get("enforcementLevel", "advisory") not in LEVELS:
            raise EngineError(f"policy {name!r}: enforcementLevel {entry['enforcementLevel']!r} is not one of {LEVELS}")
        for key, v in entry.items():
            if key == "enforcementLevel":
                continue
            schema = schemas.get(name, {}).get(key)
            if schema is None:
                raise EngineError(f"policy {name!r}: config property {key!r} is not in its schema")
            allowed = schema.get("enum") if isinstance(schema, Mapping) else None
            if allowed is not None and v not in list(allowed):
                raise EngineError(f"policy {name!r}: {key}={v!r} is not one of {', '.join(map(str, allowed))}")
        out.setdefault(name, {}).update(entry)
    return out
