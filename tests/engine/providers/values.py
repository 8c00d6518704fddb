"""Plain Python values <-> the provider SDK's ``PropertyValue``.

The stand-in providers configure themselves with ``accept_secrets=False`` and ``accept_resources=False``,
so the engine sends plain values (secrets unwrapped, resources as ids) and re-marks secret outputs itself,
as it does for any provider that declines them. Only unknowns (``Computed``) need care: they stay
``UNKNOWN`` on the plain side so a provider can tell "not known during preview" from "absent". On the wire an unknown is the
sentinel string ``pulumi.runtime.rpc.UNKNOWN``; the SDK's experimental ``PropertyValue`` (3.272) passes it
through as a plain string in both directions, so the conversion here maps it explicitly. Assets and archives stay the SDK's objects on the plain side.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference
from pulumi.runtime import rpc


class _Unknown:
    """The one value standing for "computed, not known during preview" on the plain side."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def to_plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed) or inner == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(inner, ResourceReference):
        return inner.urn
    if isinstance(inner, Mapping):
        return {k: to_plain(v) for k, v in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [to_plain(v) for v in inner]
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    return inner


def plain_map(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {k: to_plain(v) for k, v in values.items()}


def from_plain(value: Any) -> PropertyValue:
    if value is UNKNOWN:
        return PropertyValue(rpc.UNKNOWN)
    # Assets and archives (a Lambda's code, a layer) go back as the engine sent them.
    if isinstance(value, bool | str | pulumi.Asset | pulumi.Archive) or value is None:
        return PropertyValue(value)
    if isinstance(value, int | float):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): from_plain(v) for k, v in value.items()})
    if isinstance(value, Sequence):
        return PropertyValue([from_plain(v) for v in value])
    raise TypeError(f"cannot send a {type(value).__name__} to the engine: {value!r}")


def property_map(values: Mapping[str, Any]) -> dict[str, PropertyValue]:
    return {k: from_plain(v) for k, v in values.items()}


def contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def decode_json_input(value: Any) -> Any:
    """Provider inputs from the Python SDK arrive JSON-encoded when they are not strings; stack config does not."""
    if isinstance(value, str) and (value[:1] in ("[", "{") or value in ("true", "false")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
