"""Stack config cannot choose another jurisdiction than the pin, nor two at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from residency_pack.context import build_context


def _problems(config: str, pinned: str | None, governance: Path) -> tuple[str, ...]:
    env = {"PULUMI_CONFIG": config, "PULUMI_PROJECT": "shop"}
    return build_context(pinned, governance, env).problems


@pytest.mark.parametrize(
    ("config", "pinned", "problem"),
    [
        (
            '{"shop:jurisdiction": "us"}',
            "eu",
            "declares jurisdiction 'us' (shop:jurisdiction) but the policy pack pins 'eu'",
        ),
        (
            '{"enclave:jurisdiction": "eu", "shop:jurisdiction": "us"}',
            "eu",
            "(shop:jurisdiction) but the policy pack pins",
        ),
        ('{"enclave:jurisdiction": "eu", "shop:jurisdiction": "us"}', None, "declares more than one jurisdiction"),
    ],
)
def test_a_declaration_that_disagrees_is_a_problem(
    config: str, pinned: str | None, problem: str, governance: Path
) -> None:
    problems = _problems(config, pinned, governance)
    assert problems and problem in problems[0]


@pytest.mark.parametrize(
    ("config", "pinned"),
    [
        ('{"enclave:jurisdiction": "eu", "shop:jurisdiction": "eu"}', "eu"),
        ('{"shop:jurisdiction": "eu"}', None),
        ("{}", "eu"),
    ],
)
def test_agreeing_declarations_are_fine(config: str, pinned: str | None, governance: Path) -> None:
    assert _problems(config, pinned, governance) == ()
