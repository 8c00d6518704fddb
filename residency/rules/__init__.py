"""The rule catalogue. Every rule the policy pack and the live auditor run is listed here, once."""

from __future__ import annotations

from collections.abc import Iterable

from residency.model import Fact, Finding, Status, Vector
from residency.rules.base import Context, Rule
from residency.rules.controls import CONTROL_RULES
from residency.rules.data_paths import DATA_PATH_RULES
from residency.rules.hardening import HARDENING_RULES
from residency.rules.identity import IDENTITY_RULES
from residency.rules.index import RuleIndex
from residency.rules.key_custody import KEY_CUSTODY
from residency.rules.kubernetes import KUBERNETES_RULES
from residency.rules.location import LOCATION
from residency.rules.test_data import TEST_DATA_RULES
from residency.rules.transfers import TRANSFER_RULES

RULES: tuple[Rule, ...] = (
    LOCATION,
    KEY_CUSTODY,
    *TRANSFER_RULES,
    *DATA_PATH_RULES,
    *CONTROL_RULES,
    *HARDENING_RULES,
    *IDENTITY_RULES,
    *TEST_DATA_RULES,
    *KUBERNETES_RULES,
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
# Each rule id with its transfer vector (None: not a transfer rule): what the exemption registry checks against.
RULE_VECTORS: dict[str, Vector | None] = {r.id: r.vector for r in RULES}
RULE_INDEX = RuleIndex(RULES)


def rules_for(fact: Fact) -> list[Rule]:
    return RULE_INDEX.rules_for(fact)


def evaluate(facts: Iterable[Fact], ctx: Context) -> list[Finding]:
    """Run every applicable rule on every fact. A fact no rule judges is a programming error."""
    findings: list[Finding] = []
    for fact in facts:
        rules = rules_for(fact)
        if not rules:
            raise LookupError(f"no rule judges fact {fact!r}")
        findings.extend(_run(rule, fact, ctx) for rule in rules)
    return findings


def _run(rule: Rule, fact: Fact, ctx: Context) -> Finding:
    # A rule that crashes has not shown the resource to be compliant: fail closed, and say why.
    try:
        return rule.evaluate(fact, ctx)
    except Exception as err:
        resource = getattr(fact, "resource", "?")
        return Finding(rule.id, Status.UNKNOWN, resource, None, f"rule {rule.id} could not evaluate: {err!r}")


__all__ = [
    "RULES",
    "RULES_BY_ID",
    "RULE_INDEX",
    "RULE_VECTORS",
    "Context",
    "Rule",
    "RuleIndex",
    "evaluate",
    "rules_for",
]
