"""Exemptions: a documented waiver of one rule for one resource, with a reason, an owner and an expiry.

Like cdk-nag's suppressions, matching is exact (rule id and one resource named by its full URN or ARN), an
exemption without a reason is rejected at load, an expired exemption waives nothing, and every report
lists the exemptions it used. A transfer (a rule with a vector) is never waived on an exemption's word
alone: the exemption names the transfer assessment that covers the flow (``assessment``), and waives the
finding only when that assessment is the one the transfer matched (typically while a lapsed assessment is
being re-reviewed). Unknown keys are errors, never ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from residency.assessments import AssessmentRegistry
from residency.errors import RegistryError
from residency.model import Finding, Vector
from residency.registry_fields import calendar_date, known_keys, only_tables, table_entries, text
from residency.resource_match import is_exact_resource_id, names_resource

REQUIRED = ("id", "rule", "resource", "reason", "owner", "expires")
OPTIONAL = ("jurisdiction", "assessment")


@dataclass(frozen=True)
class Exemption:
    id: str
    rule: str
    resource: str  # a full Pulumi URN or ARN; see residency.resource_match
    reason: str
    owner: str
    expires: date
    jurisdiction: str | None = None  # None: applies in every jurisdiction
    # The transfer assessment that covers the flow: required for a transfer rule, and the finding must
    # have matched exactly this assessment for the exemption to waive it.
    assessment: str | None = None

    def expired(self, today: date) -> bool:
        return today > self.expires

    def matches(self, finding: Finding, jurisdiction: str) -> bool:
        if self.rule != finding.rule:
            return False
        if self.jurisdiction is not None and self.jurisdiction != jurisdiction:
            return False
        if self.assessment is not None and finding.assessment != self.assessment:
            return False
        return names_resource(self.resource, finding.resource)


@dataclass(frozen=True)
class ExemptionRegistry:
    exemptions: tuple[Exemption, ...] = ()

    def apply(self, findings: Iterable[Finding], jurisdiction: str, today: date) -> list[Finding]:
        """Mark blocking findings that an unexpired exemption covers. Expired exemptions waive nothing."""
        out: list[Finding] = []
        for f in findings:
            if f.blocking:
                for ex in self.exemptions:
                    if ex.matches(f, jurisdiction):
                        if ex.expired(today):
                            f = replace(f, message=f"{f.message} (exemption {ex.id} expired on {ex.expires})")
                        else:
                            f = replace(f, exemption=ex.id)
                        break
            out.append(f)
        return out

    def get(self, exemption_id: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.id == exemption_id), None)


# Every rule id the registry may name, with its transfer vector (None: not a transfer rule).
RuleVectors = Mapping[str, Vector | None]


def parse_exemption(raw: Mapping[str, Any], rules: RuleVectors, assessments: AssessmentRegistry) -> Exemption:
    eid = raw.get("id")
    if not isinstance(eid, str) or not eid:
        raise RegistryError(f"exemption without an id: {dict(raw)!r}")
    where = f"exemption {eid!r}"
    known_keys(raw, REQUIRED + OPTIONAL, where)
    for key in REQUIRED[1:]:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise RegistryError(f"{where}: {key} is required")
    rule = text(raw["rule"], f"{where} rule")
    if rule not in rules:
        raise RegistryError(f"{where}: rule {rule!r} is not a known rule id")
    resource = text(raw["resource"], f"{where} resource")
    if not is_exact_resource_id(resource):
        raise RegistryError(
            f"{where}: resource {resource!r} is not a full Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>) "
            "or ARN; an exemption names exactly one resource"
        )
    jurisdiction = raw.get("jurisdiction")
    jurisdiction = None if jurisdiction is None else text(jurisdiction, f"{where} jurisdiction")
    assessment = raw.get("assessment")
    assessment = None if assessment is None else text(assessment, f"{where} assessment")
    vector = rules[rule]
    if vector is not None:
        _check_covering_assessment(where, vector, resource, jurisdiction, assessment, assessments)
    return Exemption(
        id=eid,
        rule=rule,
        resource=resource,
        reason=text(raw["reason"], f"{where} reason"),
        owner=text(raw["owner"], f"{where} owner"),
        expires=calendar_date(raw["expires"], f"{where} expires"),
        jurisdiction=jurisdiction,
        assessment=assessment,
    )


def _check_covering_assessment(
    where: str,
    vector: Vector,
    resource: str,
    jurisdiction: str | None,
    assessment: str | None,
    assessments: AssessmentRegistry,
) -> None:
    """A transfer exemption names an assessment of the same flow: source, vector and resource."""
    if assessment is None:
        raise RegistryError(
            f"{where}: waives transfer rule for {vector}; name the transfer assessment that covers the flow "
            "(assessment = <id>)"
        )
    record = assessments.get(assessment)
    if record is None:
        raise RegistryError(f"{where}: assessment {assessment!r} is not in the transfer assessment registry")
    if jurisdiction != record.source:
        raise RegistryError(
            f"{where}: jurisdiction must be {record.source!r}, the source of assessment {assessment!r}; "
            f"got {jurisdiction!r}"
        )
    if vector not in record.vectors:
        raise RegistryError(f"{where}: assessment {assessment!r} does not cover vector {vector}")
    if record.resources and resource not in record.resources:
        raise RegistryError(f"{where}: assessment {assessment!r} does not cover resource {resource!r}")


def parse_exemptions(
    entries: Iterable[Mapping[str, Any]], rules: RuleVectors, assessments: AssessmentRegistry
) -> ExemptionRegistry:
    items = [parse_exemption(e, rules, assessments) for e in table_entries(entries, "exemption")]
    ids = [e.id for e in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RegistryError(f"exemption id {sorted(dupes)[0]!r} appears twice")
    return ExemptionRegistry(tuple(items))


def load_exemptions(path: Path, rules: RuleVectors, assessments: AssessmentRegistry) -> ExemptionRegistry:
    """Load ``[[exemption]]`` tables from a TOML file. A missing file is an empty registry."""
    if not path.exists():
        return ExemptionRegistry()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise RegistryError(f"cannot read exemption registry {path}: {err}") from None
    return parse_exemptions(only_tables(data, "exemption", path), rules, assessments)
