"""Every rule through the real Analyzer gRPC protocol: the pack runs as the engine runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policy_engine.client import PolicyEngine
from tests.residency_pack.cases import ASSESSMENTS, STACK_CONFIG, all_cases
from tests.residency_pack.engine_support import captured, of, start_engine

# Every rule's table, the Kubernetes, hardening and identity rules' included.
CASES = all_cases()


@pytest.fixture(scope="module")
def governance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("governance")
    (directory / "transfer-assessments.toml").write_text(ASSESSMENTS)
    return directory


@pytest.fixture(scope="module")
def engine(governance: Path) -> Iterator[PolicyEngine]:
    engine = start_engine(STACK_CONFIG)
    engine.configure({"residency-context": {"governanceDir": str(governance)}})
    yield engine
    engine.close()


def test_analyzer_info_lists_every_policy_with_metadata(engine: PolicyEngine) -> None:
    assert engine.info is not None and engine.info.name == "residency"
    by_name = {p.name: p for p in engine.info.policies}
    location = by_name["residency-location"]
    assert location.enforcementLevel == 1 and location.remediation_steps and location.framework.reference
    assert "category:residency" in location.tags
    assert set(CASES) <= set(by_name)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_failing_case_is_blocked(engine: PolicyEngine, rule_id: str) -> None:
    failing, _ = CASES[rule_id]
    diags = engine.analyze(captured(failing))
    blocked = of(diags, rule_id)
    assert blocked, f"{rule_id}: no mandatory violation through gRPC: {diags}"
    assert all(d.urn and d.pack == "residency" and f"[{rule_id} " in d.message for d in blocked)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_passing_case_is_clean(engine: PolicyEngine, rule_id: str) -> None:
    _, passing = CASES[rule_id]
    diags = engine.analyze(captured(passing))
    assert not [d for d in diags if d.policy == rule_id], diags
    assert not of(diags, "residency-context")
