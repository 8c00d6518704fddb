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


def _numeric(value: str, pattern: str, compare: Callable[[float, float], bool]) -> bool:
    return compare(float(value), float(pattern))


_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda value, pattern: value == pattern,
    "StringEqualsIgnoreCase": lambda value, pattern: value.lower() == pattern.lower(),
    "StringLike": lambda value, pattern: fnmatch.fnmatchcase(value, pattern),
    "ArnEquals": lambda value, pattern: value == pattern,
    "ArnLike": lambda value, pattern: fnmatch.fnmatchcase(value, pattern),
    "Bool": lambda value, pattern: value.lower() == pattern.lower(),
    "NumericLessThanEquals": lambda value, pattern: _numeric(value, pattern, lambda v, p: v <= p),
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
# Context values are strings, or lists for multi-valued keys (aws:TagKeys), which need a ForAnyValue operator.
Context = dict[str, Any]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _action_matches(statement: Statement, action: str) -> bool:
    def any_match(patterns: Any) -> bool:
        return any(fnmatch.fnmatchcase(action.lower(), str(p).lower()) for p in _as_list(patterns))

    if "Action" in statement:
        return any_match(statement["Action"])
    return not any_match(statement["NotAction"])


def _condition_holds(condition: dict[str, dict[str, Any]], context: Context) -> bool | None:
    """True or False when every operator and key is modelled; None when one is not."""
    keys = {k.lower(): v for k, v in context.items()}
    for operator, tests in condition.items():
        qualifier, _, base = operator.rpartition(":")
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        negated = base in _NEGATED
        positive = _NEGATED.get(base, base)
        if positive not in _OPERATORS or qualifier not in ("", "ForAnyValue") or (qualifier and negated):
            return None
        for key, patterns in tests.items():
            if key.lower() not in keys:
                if if_exists:
                    continue
                return None
            value = keys[key.lower()]
            if isinstance(value, list) != (qualifier == "ForAnyValue"):
                return None  # a multi-valued key needs a set operator, a single-valued key must not have one
            try:
                hit = any(_OPERATORS[positive](str(v), str(p)) for v in _as_list(value) for p in _as_list(patterns))
            except ValueError:
                return None
            if hit == negated:
                return False
    return True


def _applies(statement: Statement, action: str, context: Context) -> bool:
    if not _action_matches(statement, action):
        return False
    holds = _condition_holds(statement.get("Condition", {}), context)
    if statement["Effect"] == "Deny":
        return holds is not False
    return holds is True and "*" in _as_list(statement["Resource"])


def denied(statements: Sequence[Statement], action: str, context: Context) -> bool:
    return any(s["Effect"] == "Deny" and _applies(s, action, context) for s in statements)


def allowed(documents: Sequence[Sequence[Statement]], action: str, context: Context) -> bool:
    """Allowed when every document (identity policy, boundary) has an Allow for it and none denies it."""
    return all(
        any(s["Effect"] == "Allow" and _applies(s, action, context) for s in document) for document in documents
    ) and not any(denied(document, action, context) for document in documents)


def context(principal_arn: str, region: str, **more: Any) -> Context:
    """The request context; ``more`` adds keys by name, ``__`` standing for ``:`` and ``_slash_`` for ``/``."""
    extra = {k.replace("__", ":").replace("_slash_", "/"): v for k, v in more.items()}
    return {"aws:PrincipalArn": principal_arn, "aws:RequestedRegion": region, **extra}


def may_assume(trust: Sequence[Statement], context: Context) -> bool:
    """Whether a trust policy lets a caller (described by ``context``) call sts:AssumeRole on the role.

    Only conditions are judged (the enclave's trust policies name the account root as principal, so the
    conditions are what select the caller); an unmodelled condition makes an Allow not apply.
    """

    def holds(s: Statement) -> bool | None:
        return _condition_holds(s.get("Condition", {}), context) if _action_matches(s, "sts:AssumeRole") else False

    return any(s["Effect"] == "Allow" and holds(s) is True for s in trust) and not any(
        s["Effect"] == "Deny" and holds(s) is not False for s in trust
    )
