"""Shape checks shared by the two registries: a malformed TOML value is one RegistryError line, never a crash.

TOML lets a reviewer write ``assessment = "x"`` (not an array of tables), ``[assessment]`` (one table),
``rule = ["a"]`` or a date-time where a date belongs; each must be named, not raise TypeError later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from residency.errors import RegistryError


def table_entries(entries: Any, kind: str) -> list[Mapping[str, Any]]:
    """``entries`` must be an array of tables (``[[kind]]``); each entry a table."""
    if not isinstance(entries, (list, tuple)):
        got = "a single table" if isinstance(entries, Mapping) else repr(entries)
        raise RegistryError(f"{kind} must be an array of tables ([[{kind}]]), got {got}")
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise RegistryError(f"{kind} entry {position} must be a table ([[{kind}]]), got {entry!r}")
    return list(entries)


def text(value: Any, where: str) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: must be a non-empty string, got {value!r}")
    return value


def calendar_date(value: Any, where: str) -> date:
    """A date (TOML date or ``YYYY-MM-DD``). A date-time is rejected: expiry is judged by calendar day."""
    if isinstance(value, datetime):
        raise RegistryError(f"{where}: {value.isoformat()} is a date-time; write a date (YYYY-MM-DD)")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RegistryError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")


def known_keys(raw: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """Every key of an entry is one the registry knows: a typo (``resource =`` for ``resources``) is an
    error, never a key silently ignored (an ignored restriction would widen the entry)."""
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise RegistryError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")


def only_tables(data: Mapping[str, Any], kind: str, path: object) -> Any:
    """The ``[[kind]]`` entries of a registry file; any other top-level key (``[[assesment]]``) is an error."""
    unknown = sorted(str(k) for k in data if k != kind)
    if unknown:
        raise RegistryError(f"{path}: unknown top-level key {unknown[0]!r}; a {kind} registry holds only [[{kind}]]")
    return data.get(kind, [])


def not_in_future(value: date, today: date, where: str) -> date:
    """An approval is something that happened: a date after today is a mistake or a pre-dated record."""
    if value > today:
        raise RegistryError(f"{where}: {value} is in the future (today is {today}); approvals are dated when given")
    return value
