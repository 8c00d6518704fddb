"""What a rule is: metadata plus one pure check over one kind of fact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from residency.assessments import AssessmentRegistry
from residency.jurisdictions import Catalogue, Jurisdiction
from residency.model import Category, Fact, Finding, Severity, Vector


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


Check = Callable[[Fact, "Rule", Context], Finding]


@dataclass(frozen=True)
class Rule:
    """One residency or enclave rule, written once and run by the policy pack and the live auditor.

    ``applies_to`` selects the facts the rule judges; ``check`` must return a Finding for each.
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

    @property
    def mandatory(self) -> bool:
        return self.advisory_reason is None

    def evaluate(self, fact: Fact, ctx: Context) -> Finding:
        return self.check(fact, self, ctx)
