"""A reviewed dataset schema (``governance/datasets/<name>.toml``): what every field of a data set is.

Each field has a kind, and the kind decides what de-identification does with it:

- ``direct-identifier``: ``action = "drop"`` or ``"pseudonymise"`` (keyed HMAC-SHA-256);
- ``quasi-identifier``: ``generalise`` names a rule (``date-to-month``, ``date-to-year``, ``age-band``
  with ``band_width``, ``truncate`` with ``keep``, ``area`` with an ``areas`` table, ``round-coordinate``
  with ``decimals``, or ``keep`` for a value that is already coarse); the result forms the equivalence
  classes that k-anonymity counts;
- ``free-text``: ``action = "drop"`` or ``"redact"`` (PII detector, see ``redact``);
- ``safe``: kept as is.

Validation is strict and fails closed: an unknown key, kind, action or rule, or a missing parameter, is a
``SchemaError`` whose one line names the value and what is allowed. Nothing is defaulted that a reviewer
would need to see, except K (10) and the suppression share (5%).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from residency.errors import ResidencyError

DIRECT, QUASI, FREE_TEXT, SAFE = "direct-identifier", "quasi-identifier", "free-text", "safe"
KINDS = (DIRECT, QUASI, FREE_TEXT, SAFE)
DROP, PSEUDONYMISE, REDACT = "drop", "pseudonymise", "redact"
ACTIONS = {DIRECT: (DROP, PSEUDONYMISE), FREE_TEXT: (DROP, REDACT)}
# Generalisation rule -> the parameters it requires (name -> type).
GENERALISERS: dict[str, dict[str, type]] = {
    "date-to-month": {},
    "date-to-year": {},
    "age-band": {"band_width": int},
    "truncate": {"keep": int},
    "area": {"areas": dict},
    "round-coordinate": {"decimals": int},
    "keep": {},
}
DATASET_KEYS = {"name", "description", "k", "max_suppression", "max_linkage_risk", "l_diversity"}
L_DIVERSITY_KEYS = {"attribute", "l"}
DEFAULT_K = 10
DEFAULT_MAX_SUPPRESSION = 0.05
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")


class SchemaError(ResidencyError):
    """A dataset schema (or an input checked against one) is invalid; exit 2 at the CLI."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    action: str | None = None  # direct identifiers and free text
    generalise: str | None = None  # quasi-identifiers
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LDiversity:
    attribute: str
    l: int  # noqa: E741 - the l of l-diversity


@dataclass(frozen=True)
class DatasetSchema:
    name: str
    description: str
    fields: tuple[FieldSpec, ...]
    k: int = DEFAULT_K
    max_suppression: float = DEFAULT_MAX_SUPPRESSION
    # Upper bound on the measured linkage risk of the output (prosecutor model, see risk.py).
    max_linkage_risk: float = 1.0 / DEFAULT_K
    l_diversity: LDiversity | None = None

    def of_kind(self, kind: str) -> list[FieldSpec]:
        return [f for f in self.fields if f.kind == kind]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _allowed(values: Any) -> str:
    return ", ".join(sorted(values))


def _unknown_keys(where: str, raw: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise SchemaError(f"{where}: unknown key {extra[0]!r}; allowed: {_allowed(allowed)}")


def _typed(where: str, key: str, value: Any, kind: type) -> Any:
    # bool is an int in Python; a reviewer writing `k = true` meant something else.
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        raise SchemaError(
            f"{where}: {key} = {value!r} is not {'a ' + kind.__name__ if kind is not dict else 'a table'}"
        )
    return value


def parse_field(name: str, raw: Any) -> FieldSpec:
    where = f"field {name!r}"
    if not NAME.match(name):
        raise SchemaError(f"{where}: not a field name (lowercase letters, digits, _ and -, starting with a letter)")
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: must be a table with a kind; allowed kinds: {_allowed(KINDS)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise SchemaError(f"{where}: kind {kind!r} is not one of {_allowed(KINDS)}")
    if kind in ACTIONS:
        _unknown_keys(where, raw, {"kind", "action", "description"})
        action = raw.get("action")
        if action not in ACTIONS[kind]:
            raise SchemaError(
                f"{where}: action {action!r} is not allowed for {kind}; allowed: {_allowed(ACTIONS[kind])}"
            )
        return FieldSpec(name, kind, action=action)
    if kind == SAFE:
        _unknown_keys(where, raw, {"kind", "description"})
        return FieldSpec(name, kind)
    rule = raw.get("generalise")
    if rule not in GENERALISERS:
        raise SchemaError(f"{where}: generalise {rule!r} is not one of {_allowed(GENERALISERS)}")
    required = GENERALISERS[rule]
    _unknown_keys(where, raw, {"kind", "generalise", "description", *required})
    params: dict[str, Any] = {}
    for key, kind_of in required.items():
        if key not in raw:
            raise SchemaError(f"{where}: generalise {rule!r} needs {key}")
        params[key] = _typed(where, key, raw[key], kind_of)
    _check_params(where, rule, params)
    return FieldSpec(name, QUASI, generalise=rule, params=params)


def _check_params(where: str, rule: str, params: dict[str, Any]) -> None:
    for key in ("band_width", "keep"):
        if key in params and params[key] < 1:
            raise SchemaError(f"{where}: {key} = {params[key]} must be at least 1")
    if "decimals" in params and not 0 <= params["decimals"] <= 6:
        raise SchemaError(f"{where}: decimals = {params['decimals']} must be between 0 and 6")
    if rule == "area":
        areas = params["areas"]
        if not areas or not all(isinstance(k, str) and isinstance(v, str) for k, v in areas.items()):
            raise SchemaError(f'{where}: areas must be a non-empty table of value = "coarser area" strings')


def parse_schema(raw: dict[str, Any], source: str = "schema") -> DatasetSchema:
    _unknown_keys(source, raw, {"dataset", "fields"})
    dataset = raw.get("dataset")
    if not isinstance(dataset, dict):
        raise SchemaError(f"{source}: missing [dataset] table")
    _unknown_keys(f"{source} [dataset]", dataset, DATASET_KEYS)
    name = dataset.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise SchemaError(f"{source}: dataset name {name!r} is not a name (lowercase letters, digits, _ and -)")
    where = f"dataset {name!r}"
    k = _typed(where, "k", dataset.get("k", DEFAULT_K), int)
    if k < 2:
        raise SchemaError(f"{where}: k = {k} must be at least 2")
    share = _typed(where, "max_suppression", dataset.get("max_suppression", DEFAULT_MAX_SUPPRESSION), float)
    if not 0.0 <= share < 1.0:
        raise SchemaError(f"{where}: max_suppression = {share} must be in [0, 1)")
    risk = _typed(where, "max_linkage_risk", dataset.get("max_linkage_risk", 1.0 / k), float)
    if not 0.0 < risk <= 1.0:
        raise SchemaError(f"{where}: max_linkage_risk = {risk} must be in (0, 1]")
    fields_raw = raw.get("fields")
    if not isinstance(fields_raw, dict) or not fields_raw:
        raise SchemaError(f"{where}: missing [fields.<name>] tables; every field of the data set must be listed")
    fields = tuple(parse_field(n, f) for n, f in fields_raw.items())
    schema = DatasetSchema(
        name=name,
        description=str(dataset.get("description", "")),
        fields=fields,
        k=k,
        max_suppression=share,
        max_linkage_risk=risk,
        l_diversity=_l_diversity(where, dataset.get("l_diversity"), fields),
    )
    if not schema.of_kind(QUASI):
        raise SchemaError(f'{where}: no quasi-identifier; k-anonymity needs at least one (use generalise = "keep")')
    return schema


def _l_diversity(where: str, raw: Any, fields: tuple[FieldSpec, ...]) -> LDiversity | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: l_diversity must be a table with attribute and l")
    _unknown_keys(f"{where} l_diversity", raw, L_DIVERSITY_KEYS)
    attribute, l_value = raw.get("attribute"), _typed(where, "l_diversity.l", raw.get("l"), int)
    safe = [f.name for f in fields if f.kind == SAFE]
    if attribute not in safe:
        raise SchemaError(
            f"{where}: l_diversity attribute {attribute!r} must be a safe field; safe fields: {_allowed(safe)}"
        )
    if l_value < 2:
        raise SchemaError(f"{where}: l_diversity.l = {l_value} must be at least 2")
    return LDiversity(attribute, l_value)


def load_schema(directory: Path, name: str) -> DatasetSchema:
    """The schema ``directory/<name>.toml``; SchemaError (one line) if absent, not TOML, or invalid."""
    if not NAME.match(name):
        raise SchemaError(f"dataset {name!r} is not a dataset name (lowercase letters, digits, _ and -)")
    path = directory / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.toml")) if directory.is_dir() else []
        raise SchemaError(f"dataset {name!r}: no schema {path}; known datasets: {', '.join(known) or 'none'}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise SchemaError(f"{path} is not valid TOML: {err}") from None
    schema = parse_schema(raw, str(path))
    if schema.name != name:
        raise SchemaError(f"{path}: dataset name {schema.name!r} does not match the file name {name!r}")
    return schema
