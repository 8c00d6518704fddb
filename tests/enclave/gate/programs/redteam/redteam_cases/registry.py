"""The corpus's table: each case is a function that declares one small program, and what the gate must say."""

import json
from collections.abc import Callable
from dataclasses import dataclass

FOREIGN = "444455556666"  # an account no jurisdiction lists
HOME = "111111111101"  # the EU enclave account of the stack
EU_OTHER = "111111111100"  # another EU enclave account (the catalogue's eu accounts)
ROLE = f"arn:aws:iam::{HOME}:role/worker"


def allow(principal: object, action: str, resource: str = "*") -> str:
    """A one-statement allow policy document."""
    statement = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@dataclass(frozen=True)
class Case:
    name: str
    expected: str  # "block" or "pass"
    build: Callable[[], None]


CASES: dict[str, Case] = {}


def case(expected: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register the decorated function as a case named after it (underscores become dashes)."""

    def register(build: Callable[[], None]) -> Callable[[], None]:
        name = build.__name__.replace("_", "-")
        assert name not in CASES, name
        CASES[name] = Case(name, expected, build)
        return build

    return register
