"""IAM policy documents as the rules read them: parsed JSON, statements, principals, actions and conditions.

Pure (no pulumi, no boto3). A document that cannot be read is None, which the rules report as UNKNOWN.
Condition operators are case-sensitive in IAM, condition keys are not: keys are compared in lower case.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

Statement = Mapping[str, Any]


def parse_document(value: Any) -> Mapping[str, Any] | None:
    """A policy document from a JSON string or a mapping; None when it cannot be read as one."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, Mapping) and isinstance(value.get("Statement"), list | Mapping):
        return value
    return None


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def statements(document: Mapping[str, Any]) -> list[Statement]:
    raw = document["Statement"]
    return [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, Mapping)]


def label(statement: Statement, index: int) -> str:
    return str(statement.get("Sid") or f"statement {index + 1}")


def condition_keys(statement: Statement) -> set[str]:
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return set()
    return {str(key).lower() for tests in condition.values() if isinstance(tests, Mapping) for key in tests}


def condition_entries(statement: Statement) -> list[tuple[str, str, list[str]]]:
    """Every (operator, key in lower case, values as text) of the statement's condition."""
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return []
    return [
        (str(operator), str(key).lower(), [str(v).lower() if isinstance(v, bool) else str(v) for v in as_list(values)])
        for operator, tests in condition.items()
        if isinstance(tests, Mapping)
        for key, values in tests.items()
    ]


def condition_values(statement: Statement, operators: Iterable[str], key: str) -> list[str] | None:
    """The values ``key`` is tested against under any of ``operators`` (None: it is not tested so)."""
    wanted = set(operators)
    found = [values for operator, k, values in condition_entries(statement) if operator in wanted and k == key.lower()]
    return [v for values in found for v in values] if found else None


def principals(statement: Statement, kind: str) -> list[str]:
    """The ``kind`` principals (``AWS``, ``Service``, ``Federated``) of a statement; ``*`` for ``"Principal": "*"``."""
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if not isinstance(principal, Mapping):
        return []
    return [str(p) for p in as_list(principal.get(kind))]


def actions(statement: Statement) -> list[str]:
    return [str(a).lower() for a in as_list(statement.get("Action"))]


def covers(patterns: Iterable[str], action: str) -> bool:
    """Whether one of the statement's action ``patterns`` (``*``, ``iam:*``, ``s3:GetObject*``) matches ``action``."""
    return any(fnmatchcase(action.lower(), p.lower()) for p in patterns)


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value
