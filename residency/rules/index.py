"""Rules looked up by the kind of fact they judge, so that a fact is offered only to the rules of its kind.

Testing every fact against every rule's ``applies_to`` was most of the time judging took (about 60 rules,
each fact matching one or two). A rule with no ``judges`` is still offered every fact, so it is never
silently skipped; the catalogue's rules all declare theirs (tests/residency/rules/test_index.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from residency.model import Fact
from residency.rules.base import FactKind, Rule, fact_kind


class RuleIndex:
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        self._everywhere = tuple(r for r in self.rules if not r.judges)
        kinds = {kind for r in self.rules for kind in r.judges}
        # Each kind's rules in catalogue order, as before indexing, so findings keep their order.
        self._by_kind: dict[FactKind, tuple[Rule, ...]] = {
            kind: tuple(r for r in self.rules if kind in r.judges or not r.judges) for kind in kinds
        }

    def candidates(self, fact: Fact) -> tuple[Rule, ...]:
        """The rules that may judge ``fact`` (its kind's, and those offered every fact)."""
        return self._by_kind.get(fact_kind(fact), self._everywhere)

    def rules_for(self, fact: Fact) -> list[Rule]:
        """The rules that judge ``fact``."""
        return [r for r in self.candidates(fact) if r.applies_to(fact)]
