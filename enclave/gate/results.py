"""What the gate found for one target (a stack or a program directory): the JSON contract's model.

Every renderer (JSON, SARIF, JUnit, Markdown, table) reads these dataclasses and nothing else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from enclave.gate.source_locations import SourceLocation


@dataclass(frozen=True)
class Violation:
    """One policy diagnostic from the residency pack. ``enforcement_level`` is the level the engine would apply."""

    policy: str
    category: str
    severity: str
    enforcement_level: str
    urn: str
    resource_type: str
    message: str
    # A mandatory policy whose diagnostic carries no finding: it did not decide (the engine's "can't run
    # policy" on an unknown value). The engine only warns then; the gate fails closed. Not in the JSON.
    unresolved: bool = False
    # From the finding the diagnostic carries (residency.finding_wire): PASS/FAIL/UNKNOWN (None: no finding),
    # where a transfer goes, the assessment it relied on, and the input that was unknown.
    status: str | None = None
    destination: str | None = None
    assessment: str | None = None
    unknown: str | None = None

    @property
    def mandatory(self) -> bool:
        return self.enforcement_level == "mandatory"

    @property
    def blocking(self) -> bool:
        return self.mandatory or self.unresolved


@dataclass(frozen=True)
class ExemptionUse:
    """An exemption that waived a finding in this target (listed in every report, never hidden)."""

    id: str
    policy: str
    urn: str
    reason: str
    owner: str
    expires: str


@dataclass(frozen=True)
class CheckovFinding:
    check_id: str
    urn: str
    message: str
    # Filled for skipped findings: why the check does not apply to this resource (see checkov_skips.py).
    skip_reason: str | None = None


@dataclass
class CheckovSummary:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    # Failed checks only; skipped ones are in ``skips`` with their justification.
    findings: list[CheckovFinding] = field(default_factory=list)
    skips: list[CheckovFinding] = field(default_factory=list)


@dataclass
class TargetResult:
    """The gate's verdict on one target."""

    target: str
    stack: str
    jurisdiction: str | None
    resource_count: int = 0
    violations: list[Violation] = field(default_factory=list)
    exemptions: list[ExemptionUse] = field(default_factory=list)
    checkov: CheckovSummary | None = None
    # Pulumi types the checkov bridge could not translate (listed, never silently dropped).
    unmapped_types: list[str] = field(default_factory=list)
    # One line when the target could not be judged (bad config, program error); the gate then exits 2.
    error: str | None = None
    # The program's own traceback frames when it raised (never the runtime's); printed on stderr, not in JSON.
    error_detail: str | None = None
    # File findings are attributed to in SARIF (the program's main file or the stack's config file).
    source_file: str = "Pulumi.yaml"
    # Facts a reviewer needs about how the target was judged (e.g. it ran as a preview). In the JSON.
    notes: list[str] = field(default_factory=list)
    # Every custom resource judged (JUnit lists clean ones as passing testcases). Not part of the JSON contract.
    resource_urns: list[str] = field(default_factory=list)
    # URN -> where the program declares the resource (file relative to the repository root, line, components).
    locations: dict[str, SourceLocation] = field(default_factory=dict)

    def source(self, urn: str) -> dict[str, Any] | None:
        """The JSON form of where ``urn`` is declared, or None when no frame was in the user's code."""
        location = self.locations.get(urn)
        return location.as_dict() if location else None

    @property
    def blocking_violations(self) -> list[Violation]:
        """Mandatory violations, and mandatory policies that could not run on an unknown value."""
        return [v for v in self.violations if v.blocking]

    @property
    def blocking(self) -> bool:
        """Mandatory residency violations and failed checkov checks both block the change."""
        return bool(self.blocking_violations) or bool(self.checkov and self.checkov.failed)


def exit_code(results: list[TargetResult]) -> int:
    """2 if any target could not be judged, else 1 if any target is blocked, else 0."""
    if any(r.error for r in results):
        return 2
    return 1 if any(r.blocking for r in results) else 0


def to_contract(results: list[TargetResult]) -> dict[str, Any]:
    """The JSON contract (docs/gate.md). Keys are stable; new keys may be added, none removed."""
    out = []
    for r in results:
        checkov: dict[str, Any] | None = None
        if r.checkov is not None:
            checkov = {
                "passed": r.checkov.passed,
                "failed": r.checkov.failed,
                "skipped": r.checkov.skipped,
                "findings": [
                    {"check_id": f.check_id, "urn": f.urn, "message": f.message, "source": r.source(f.urn)}
                    for f in r.checkov.findings
                ],
                "skips": [
                    {
                        "check_id": f.check_id,
                        "urn": f.urn,
                        "message": f.message,
                        "reason": f.skip_reason,
                        "source": r.source(f.urn),
                    }
                    for f in r.checkov.skips
                ],
            }
        out.append(
            {
                "target": r.target,
                "stack": r.stack,
                "jurisdiction": r.jurisdiction,
                "resource_count": r.resource_count,
                "violations": [
                    {
                        **{k: v for k, v in asdict(violation).items() if k != "unresolved"},
                        "source": r.source(violation.urn),
                    }
                    for violation in r.violations
                ],
                "exemptions": [{**asdict(e), "source": r.source(e.urn)} for e in r.exemptions],
                "checkov": checkov,
                "unmapped_types": list(r.unmapped_types),
                "error": r.error,
                "notes": list(r.notes),
            }
        )
    return {"results": out}
