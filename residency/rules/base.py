"""What a rule is: metadata plus one pure check over one kind of fact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from residency.assessments import AssessmentRegistry
from residency.jurisdictions import Catalogue, Jurisdiction
from residency.model import Category, ControlState, Fact, Finding, Severity, Transfer, Vector


class Scope(StrEnum):
    """What a rule needs to see to decide: one resource, or the whole program (references between resources)."""

    RESOURCE = "resource"
    PROGRAM = "program"


@dataclass(frozen=True)
class Context:
    """Everything a rule may consult besides the fact itself."""

    jurisdiction: Jurisdiction
    catalogue: Catalogue
    assessments: AssessmentRegistry = field(default_factory=AssessmentRegistry)
    today: date = field(default_factory=date.today)
    # The enclave's own AWS account, when the caller knows it (stack config, caller identity). Rules that
    # care who holds something (key custody) compare against it; None means "not known", never "any".
    account: str | None = None

    def owns_account(self, account: str) -> bool:
        """The stack's own enclave account, or one the catalogue gives the jurisdiction (auditors' included)."""
        return account == self.account or self.jurisdiction.owns_account(account)


Check = Callable[[Fact, "Rule", Context], Finding]

# What a rule judges, as an index key: the fact's class, and for transfers and controls the vector or control
# the fact is about (each has its own rule). Rules are looked up by it (residency.rules.index), so a fact is
# only offered to the rules of its kind.
FactKind = tuple[type, str | None]


def fact_kind(fact: Fact) -> FactKind:
    if isinstance(fact, Transfer):
        return (Transfer, fact.vector)
    if isinstance(fact, ControlState):
        return (ControlState, fact.control)
    return (type(fact), None)


@dataclass(frozen=True)
class Rule:
    """One residency or enclave rule, written once and run by the policy pack and the live auditor.

    ``judges`` names the kinds of fact the rule judges (``fact_kind``), by which it is indexed;
    ``applies_to`` selects, among facts of those kinds, the ones it judges; ``check`` must return a Finding
    for each.
    """

    id: str
    title: str
    description: str
    category: Category
    severity: Severity
    remediation: tuple[str, ...]
    references: tuple[str, ...]
    applies_to: Callable[[Fact], bool]
    check: Check
    vector: Vector | None = None
    # Why the rule is not mandatory, when it is not (house rule: every exception is written down).
    advisory_reason: str | None = None
    # PROGRAM: its facts need the whole program (the pack judges it in AnalyzeStack); RESOURCE: one resource.
    scope: Scope = Scope.RESOURCE
    # Empty: the rule is offered every fact (tests keep the catalogue's rules all indexed).
    judges: tuple[FactKind, ...] = ()

    @property
    def mandatory(self) -> bool:
        return self.advisory_reason is None

    def evaluate(self, fact: Fact, ctx: Context) -> Finding:
        return self.check(fact, self, ctx)
