"""A small IAM evaluator for the enclave's own documents, failing closed on anything it does not model.

It answers one question: may this principal call this action (on ``*``) in this region? It knows only the
condition operators and keys the enclave's boundary, role policies and SCPs use. An unknown operator or
key makes an Allow not apply and a Deny apply, and a Deny applies whatever its resources, so a gap in the
evaluator can only make a test stricter, never let it pass.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from typing import Any

Statement = dict[str, Any]

_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda value, pattern: value == pattern,
    "ArnEquals": lambda value, pattern: value == pattern,
    "ArnLike": lambda value, pattern: fnmatch.fnmatchcase(value, pattern),
}
_NEGATED = {"StringNotEquals": "StringEquals", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _action_matches(statement: Statement, action: str) -> bool:
    def any_match(patterns: Any) -> bool:
        return any(fnmatch.fnmatchcase(action.lower(), str(p).lower()) for p in _as_list(patterns))

    if "Action" in statement:
        return any_match(statement["Action"])
    return not any_match(statement["NotAction"])


def _condition_holds(condition: dict[str, dict[str, Any]], context: dict[str, str]) -> bool | None:
    """True or False when every operator and key is modelled; None when one is not."""
    keys = {k.lower(): v for k, v in context.items()}
    for operator, tests in condition.items():
        positive = _NEGATED.get(operator, operator)
        if positive not in _OPERATORS:
            return None
        for key, patterns in tests.items():
            if key.lower() not in keys:
                return None
            hit = any(_OPERATORS[positive](keys[key.lower()], str(p)) for p in _as_list(patterns))
            if hit == (operator in _NEGATED):
                return False
    return True


def _applies(statement: Statement, action: str, context: dict[str, str]) -> bool:
    if not _action_matches(statement, action):
        return False
    holds = _condition_holds(statement.get("Condition", {}), context)
    if statement["Effect"] == "Deny":
        return holds is not False
    return holds is True and "*" in _as_list(statement["Resource"])


def denied(statements: Sequence[Statement], action: str, context: dict[str, str]) -> bool:
    return any(s["Effect"] == "Deny" and _applies(s, action, context) for s in statements)


def allowed(documents: Sequence[Sequence[Statement]], action: str, context: dict[str, str]) -> bool:
    """Allowed when every document (identity policy, boundary) has an Allow for it and none denies it."""
    return all(
        any(s["Effect"] == "Allow" and _applies(s, action, context) for s in document) for document in documents
    ) and not any(denied(document, action, context) for document in documents)


def context(principal_arn: str, region: str) -> dict[str, str]:
    return {"aws:PrincipalArn": principal_arn, "aws:RequestedRegion": region}
