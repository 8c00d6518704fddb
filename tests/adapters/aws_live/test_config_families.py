"""Every AWS rule of the catalogue is evaluated by exactly one AWS Config rule family."""

from __future__ import annotations

import pytest

from adapters.aws_live import SCANNERS
from adapters.aws_live.config_families import FAMILIES, NOT_IN_CONFIG, SCANNER_OF_TYPE, family, uncovered_rules
from residency.rules import RULES


def test_every_rule_is_in_one_family_or_declared_outside_config() -> None:
    assert uncovered_rules() == []
    ids = [rid for f in FAMILIES for rid in f.rule_ids]
    assert len(ids) == len(set(ids))
    assert set(ids) | set(NOT_IN_CONFIG) == {r.id for r in RULES}
    assert not set(ids) & set(NOT_IN_CONFIG)


def test_every_trigger_type_has_a_live_scanner() -> None:
    assert set(SCANNER_OF_TYPE.values()) <= set(SCANNERS)
    for f in FAMILIES:
        assert f.resource_types and set(f.resource_types) <= set(SCANNER_OF_TYPE), f.name


def test_unknown_family_is_one_line() -> None:
    with pytest.raises(
        ValueError,
        match=r"^unknown rule family 'x'; allowed: location, key-custody, transfers, data-paths, controls, identity$",
    ):
        family("x")
