"""The pack mirrors the rule catalogue: one policy per rule, complete metadata, and a test case for each."""

from __future__ import annotations

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from residency.model import Category
from residency.rules import RULES
from residency.rules.base import Rule
from residency.rules.transfers import NAMED_VECTORS
from residency_pack.external_auditor import POLICY_NAME as EXTERNAL_AUDITOR_POLICY
from residency_pack.policies import (
    CONTEXT_POLICY,
    EXCEPTIONS_POLICY,
    EXCEPTIONS_STACK_POLICY,
    STACK_RULE_IDS,
    build_policies,
)
from tests.residency_pack.cases import all_cases

PACK_ONLY = {CONTEXT_POLICY, EXCEPTIONS_POLICY, EXCEPTIONS_STACK_POLICY, EXTERNAL_AUDITOR_POLICY}


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_one_policy_per_rule_plus_pack_policies() -> None:
    names = [p.name for p in build_policies()]
    assert len(names) == len(set(names))
    assert set(names) == {r.id for r in RULES} | PACK_ONLY
    assert names[0] == CONTEXT_POLICY, "residency-context must run first: it publishes the pinned config"


def test_every_vector_has_a_transfer_policy() -> None:
    names = {p.name for p in build_policies()}
    assert {f"transfer-{v.value}" for v in NAMED_VECTORS} | {"transfer-data-path"} <= names


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_policy_carries_rule_metadata(rule: Rule) -> None:
    policy = next(p for p in build_policies() if p.name == rule.id)
    assert policy.description == rule.description and rule.title and policy.display_name == rule.title
    expected = EnforcementLevel.MANDATORY if rule.advisory_reason is None else EnforcementLevel.ADVISORY
    assert policy.enforcement_level == expected
    assert policy.severity is not None and policy.severity.value == rule.severity.value
    assert rule.category in Category and f"category:{rule.category.value}" in (policy.tags or [])
    assert policy.remediation_steps and all(step in policy.remediation_steps for step in rule.remediation)
    assert policy.framework is not None and policy.framework.reference and rule.references
    assert policy.url and rule.id in policy.url
    if rule.vector is not None or rule.id == "residency-location":
        assert rule.category == Category.RESIDENCY, "location and transfer rules are residency rules"
    kind = StackValidationPolicy if rule.id in STACK_RULE_IDS else ResourceValidationPolicy
    assert isinstance(policy, kind)


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    cases = all_cases()
    missing = sorted({r.id for r in RULES} - set(cases))
    assert not missing, f"rules without failing/passing cases: {missing}"
    for rule_id, (failing, passing) in cases.items():
        assert failing and passing, rule_id
