"""Exemptions: a documented waiver of one rule for one resource, with a reason, an owner and an expiry.

Like cdk-nag's suppressions, matching is exact (rule id and resource), an exemption without a reason is
rejected at load, an expired exemption waives nothing, and every report lists the exemptions it used.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from residency.errors import RegistryError
from residency.model import Finding
from residency.registry_fields import calendar_date, table_entries, text
from residency.resource_match import names_resource


@dataclass(frozen=True)
class Exemption:
    id: str
    rule: str
    resource: str  # a Pulumi URN, an ARN, or a URN's logical name; see residency.resource_match
    reason: str
    owner: str
    expires: date
    jurisdiction: str | None = None  # None: applies in every jurisdiction

    def expired(self, today: date) -> bool:
        return today > self.expires

    def matches(self, finding: Finding, jurisdiction: str) -> bool:
        if self.rule != finding.rule:
            return False
        if self.jurisdiction is not None and self.jurisdiction != jurisdiction:
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


def parse_exemption(raw: Mapping[str, Any], known_rules: set[str]) -> Exemption:
    eid = raw.get("id")
    if not isinstance(eid, str) or not eid:
        raise RegistryError(f"exemption without an id: {dict(raw)!r}")
    where = f"exemption {eid!r}"
    for key in ("rule", "resource", "reason", "owner", "expires"):
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise RegistryError(f"{where}: {key} is required")
    rule = text(raw["rule"], f"{where} rule")
    if rule not in known_rules:
        raise RegistryError(f"{where}: rule {rule!r} is not a known rule id")
    jurisdiction = raw.get("jurisdiction")
    return Exemption(
        id=eid,
        rule=rule,
        resource=text(raw["resource"], f"{where} resource"),
        reason=text(raw["reason"], f"{where} reason"),
        owner=text(raw["owner"], f"{where} owner"),
        expires=calendar_date(raw["expires"], f"{where} expires"),
        jurisdiction=None if jurisdiction is None else text(jurisdiction, f"{where} jurisdiction"),
    )


def parse_exemptions(entries: Iterable[Mapping[str, Any]], known_rules: set[str]) -> ExemptionRegistry:
    items = [parse_exemption(e, known_rules) for e in table_entries(entries, "exemption")]
    ids = [e.id for e in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RegistryError(f"exemption id {sorted(dupes)[0]!r} appears twice")
    return ExemptionRegistry(tuple(items))


def load_exemptions(path: Path, known_rules: set[str]) -> ExemptionRegistry:
    """Load ``[[exemption]]`` tables from a TOML file. A missing file is an empty registry."""
    if not path.exists():
        return ExemptionRegistry()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise RegistryError(f"cannot read exemption registry {path}: {err}") from None
    return parse_exemptions(data.get("exemption", []), known_rules)
