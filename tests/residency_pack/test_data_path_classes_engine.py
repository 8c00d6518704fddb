"""Each data-path class through the real Analyzer gRPC protocol: its failing program is blocked, its
passing program and the programs that keep data in the jurisdiction get no residency finding at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from policy_engine.client import Diagnostic, PolicyEngine
from residency.model import Category
from residency.rules import RULES
from tests.residency_pack.data_path_cases import ASSESSMENTS, CLASS_CASES, KEEPS_DATA_IN, STACK_CONFIG
from tests.residency_pack.engine_support import captured, start_governed_engine

# A passing program may still miss an unrelated control (a minimal trail has no log validation): what must
# not fire is any residency rule.
RESIDENCY_RULES = {r.id for r in RULES if r.category == Category.RESIDENCY}


def residency_blocks(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.level == "mandatory" and d.policy in RESIDENCY_RULES | {"residency-context"}]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyEngine]:
    engine = start_governed_engine(STACK_CONFIG, tmp_path_factory.mktemp("governance"), ASSESSMENTS)
    yield engine
    engine.close()


@pytest.mark.parametrize("name", sorted(CLASS_CASES))
def test_failing_program_is_blocked(engine: PolicyEngine, name: str) -> None:
    failing, _ = CLASS_CASES[name]
    diags = engine.analyze(captured(failing))
    # Blocked by the data-path rules, or by the dedicated rule of a vector that has one (AMI sharing).
    blocked = [d for d in diags if d.level == "mandatory" and d.policy != "residency-context"]
    assert blocked, f"{name}: not blocked through gRPC: {diags}"
    assert all(d.urn and ("violated]" in d.message or "cannot be verified]" in d.message) for d in blocked)


@pytest.mark.parametrize("name", sorted(CLASS_CASES))
def test_passing_program_is_not_blocked(engine: PolicyEngine, name: str) -> None:
    _, passing = CLASS_CASES[name]
    assert not residency_blocks(engine.analyze(captured(passing)))


@pytest.mark.parametrize("name", sorted(KEEPS_DATA_IN))
def test_programs_that_keep_data_in_are_not_blocked(engine: PolicyEngine, name: str) -> None:
    assert not residency_blocks(engine.analyze(captured(KEEPS_DATA_IN[name])))


def test_messages_name_the_destination(engine: PolicyEngine) -> None:
    failing, _ = CLASS_CASES["firehose-http-endpoint"]
    [diag] = [d for d in engine.analyze(captured(failing)) if d.policy == "transfer-data-path"]
    assert "collector.elsewhere.example" in diag.message and "outside AWS" in diag.message
    failing, _ = CLASS_CASES["unclassified-type"]
    [diag] = [d for d in engine.analyze(captured(failing)) if d.policy == "transfer-data-path"]
    assert "aws:newservice/dataLake:DataLake is not in the resource-type catalogue" in diag.message


@pytest.mark.parametrize("name", ["dynamic-provider", "other-provider-package", "remote-component"])
def test_each_resource_the_gate_cannot_see_is_blocked_naming_its_type(engine: PolicyEngine, name: str) -> None:
    failing, _ = CLASS_CASES[name]
    diags = [
        d for d in engine.analyze(captured(failing)) if d.policy == "transfer-data-path" and d.level == "mandatory"
    ]
    # Every resource, and the provider of a package the catalogue does not know; not the dynamic providers
    # themselves (a known package: it is their resources' code that cannot be seen).
    expected = {
        r.urn for r in failing if r.type not in ("pulumi:providers:pulumi-python", "pulumi:providers:pulumi-nodejs")
    }
    assert {d.urn for d in diags} == expected
    types = {r.urn: r.type for r in failing}
    assert all("cannot be verified]" in d.message and types[d.urn] in d.message for d in diags)
