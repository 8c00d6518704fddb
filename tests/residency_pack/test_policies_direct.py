"""Every rule fails its failing program and passes its passing one, through the pack's validate functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.pulumi.aws_program import program_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView, facts_for
from residency.model import Status
from residency.regions import effective_region
from residency.rules import RULES_BY_ID
from residency_pack.context import build_context
from tests.residency_pack.cases import STACK_CONFIG, Case, all_cases
from tests.residency_pack.direct import mandatory, run_direct, wrap

pytestmark = pytest.mark.usefixtures("eu_stack")


def _config(governance: Path) -> dict[str, dict[str, str]]:
    return {"residency-context": {"governanceDir": str(governance)}}


def _rule_statuses(rule_id: str, case: Case, governance: Path) -> list[Status]:
    """The rule's own findings on the case, judged from adapter facts (proves the rule actually ran)."""
    rule = RULES_BY_ID[rule_id]
    ctx = build_context(None, governance)
    assert ctx.rules is not None
    urns = {r.name: r.urn for r in case}
    region = STACK_CONFIG["aws:region"]
    program = [
        ProgramResource(
            ResourceView(
                r.urn, r.type, r.name, wrap(r.props), effective_region(r.props, None, region), protect=r.protect
            ),
            property_dependencies={k: tuple(urns[n] for n in v) for k, v in r.deps.items()},
        )
        for r in case
    ]
    facts = [f for p in program for f in facts_for(p.view)] + program_facts(program)
    return [rule.evaluate(f, ctx.rules).status for f in facts if rule.applies_to(f)]


@pytest.mark.parametrize("rule_id", sorted(all_cases()))
def test_failing_case_is_a_mandatory_violation(rule_id: str, governance: Path) -> None:
    failing, _ = all_cases()[rule_id]
    diags = mandatory(run_direct(failing, _config(governance)), rule_id)
    assert diags, f"{rule_id}: failing case raised no mandatory violation"
    assert all(f"[{rule_id} " in d.message for d in diags)
    assert any(s in (Status.FAIL, Status.UNKNOWN) for s in _rule_statuses(rule_id, failing, governance))


@pytest.mark.parametrize("rule_id", sorted(all_cases()))
def test_passing_case_raises_nothing(rule_id: str, governance: Path) -> None:
    _, passing = all_cases()[rule_id]
    diags = run_direct(passing, _config(governance))
    assert not [d for d in diags if d.policy == rule_id], diags
    assert not mandatory(diags, "residency-context")
    statuses = _rule_statuses(rule_id, passing, governance)
    assert statuses and all(s == Status.PASS for s in statuses), statuses
