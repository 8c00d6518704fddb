"""Transfer risk assessments as code: every approved cross-border flow is a reviewed, dated record.

Following EDPB Recommendations 01/2020, the EU SCC annexes and the UK ICO TRA tool, a record names the
flow, the data, the legal mechanism, the supplementary measures, who approved it and until when. A flow
is approved only while ``today <= review_by``; after that it blocks again until re-reviewed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from residency.arns import is_account_id
from residency.errors import RegistryError
from residency.jurisdictions import Catalogue
from residency.model import Transfer, Vector
from residency.regions import is_known_region
from residency.registry_fields import calendar_date, known_keys, not_in_future, only_tables, table_entries, text
from residency.resource_match import is_exact_resource_id, names_resource


class LegalMechanism(StrEnum):
    ADEQUACY_DECISION = "adequacy-decision"
    EU_US_DPF = "eu-us-data-privacy-framework"
    SCC = "standard-contractual-clauses"
    BCR = "binding-corporate-rules"
    UK_IDTA = "uk-idta"
    UK_ADDENDUM = "uk-addendum"
    UK_DATA_BRIDGE = "uk-data-bridge"
    ART49_DEROGATION = "art49-derogation"
    DPDP_NOTIFIED_COUNTRY = "dpdp-notified-country"
    CONTRACTUAL_CONSENT = "contractual-consent"


class ResidualRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class AssessmentDestination:
    """Exactly one of ``jurisdiction``, ``region``, ``worldwide``, ``host`` or ``provider`` is set; ``account`` narrows a
    jurisdiction or region to one AWS account. An account alone is refused: an account id says nothing
    about where the account keeps the data. With an account, a transfer matches when it goes to that
    account and its region, if known, is in the stated region or jurisdiction; a grant whose region is the
    account's choice (a snapshot share) relies on the reviewed statement of where the account keeps it."""

    jurisdiction: str | None = None
    region: str | None = None
    account: str | None = None
    worldwide: bool = False
    # A host outside AWS (an HTTP endpoint, a SaaS API), matched exactly; or another provider's package or an
    # embedded-infrastructure type token (a CloudFormation stack), whose contents the gate cannot place.
    host: str | None = None
    provider: str | None = None

    def describe(self) -> str:
        if self.host:
            return f"host {self.host}"
        if self.provider:
            return f"provider {self.provider}"
        account = f"account {self.account} in " if self.account else ""
        if self.jurisdiction:
            return f"{account}jurisdiction {self.jurisdiction}"
        if self.region:
            return f"{account}region {self.region}"
        return "worldwide (edge locations)"


@dataclass(frozen=True)
class TransferAssessment:
    id: str
    source: str
    destination: AssessmentDestination
    vectors: frozenset[Vector]
    data_categories: tuple[str, ...]
    special_categories: bool
    purpose: str
    legal_mechanism: LegalMechanism
    supplementary_measures: tuple[str, ...]
    residual_risk: ResidualRisk
    approver: str
    approved_on: date
    review_by: date
    resources: tuple[str, ...] = ()

    def expired(self, today: date) -> bool:
        return today > self.review_by

    def matches(self, transfer: Transfer, source: str, catalogue: Catalogue) -> bool:
        """Whether this record is about ``transfer`` (regardless of expiry). Matching is exact."""
        if source != self.source or transfer.vector not in self.vectors:
            return False
        if self.resources and not any(names_resource(r, transfer.resource) for r in self.resources):
            return False
        dest = transfer.destination
        wanted = self.destination
        if dest.public:
            return False  # public access is never a transfer an assessment can approve
        if wanted.worldwide:
            return dest.worldwide
        if wanted.host:
            return dest.host == wanted.host
        if wanted.provider:
            return dest.provider == wanted.provider
        if wanted.account:
            if dest.account != wanted.account:
                return False
            if dest.region is None:
                # A grant to the account (a share): where the account keeps the data is what the record states.
                return True
        if dest.region is None:  # never approved where the data goes cannot be proven
            return False
        if wanted.region:
            return dest.region == wanted.region
        owner = catalogue.owner_of(dest.region)
        return owner is not None and owner.id == wanted.jurisdiction


@dataclass(frozen=True)
class AssessmentRegistry:
    assessments: tuple[TransferAssessment, ...] = ()

    def for_transfer(self, transfer: Transfer, source: str, catalogue: Catalogue) -> list[TransferAssessment]:
        return [a for a in self.assessments if a.matches(transfer, source, catalogue)]

    def get(self, assessment_id: str) -> TransferAssessment | None:
        return next((a for a in self.assessments if a.id == assessment_id), None)


OPTIONAL_FIELDS = ("special_categories", "resources")
REQUIRED_FIELDS = (
    "id",
    "source",
    "destination",
    "vectors",
    "data_categories",
    "purpose",
    "legal_mechanism",
    "supplementary_measures",
    "residual_risk",
    "approver",
    "approved_on",
    "review_by",
)


def _enum(cls: type[StrEnum], value: Any, where: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise RegistryError(f"{where}: {value!r} is not one of: {allowed}") from None


def _strings(value: Any, where: str, *, non_empty: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RegistryError(f"{where}: must be a list of non-empty strings")
    if non_empty and not value:
        raise RegistryError(f"{where}: must not be empty")
    return tuple(value)


def parse_assessment(raw: Mapping[str, Any], catalogue: Catalogue, today: date | None = None) -> TransferAssessment:
    aid = raw.get("id")
    if not isinstance(aid, str) or not aid:
        raise RegistryError(f"assessment without an id: {dict(raw)!r}")
    where = f"assessment {aid!r}"
    known_keys(raw, REQUIRED_FIELDS + OPTIONAL_FIELDS, where)
    missing = [f for f in REQUIRED_FIELDS if f not in raw]
    if missing:
        raise RegistryError(f"{where}: missing {', '.join(missing)}")
    source = raw["source"]
    if not isinstance(source, str) or source not in catalogue.jurisdictions:
        raise RegistryError(f"{where}: source {source!r} is not one of: {', '.join(catalogue.ids())}")
    dest = _parse_destination(raw["destination"], where, catalogue)
    vectors = frozenset(_enum(Vector, v, f"{where} vectors") for v in _strings(raw["vectors"], f"{where} vectors"))
    approved_on = not_in_future(
        calendar_date(raw["approved_on"], f"{where} approved_on"), today or date.today(), f"{where} approved_on"
    )
    review_by = calendar_date(raw["review_by"], f"{where} review_by")
    if review_by <= approved_on:
        raise RegistryError(f"{where}: review_by {review_by} must be after approved_on {approved_on}")
    approver = raw["approver"]
    if not isinstance(approver, str) or not approver.strip():
        raise RegistryError(f"{where}: approver must name a person or role")
    purpose = raw["purpose"]
    if not isinstance(purpose, str) or not purpose.strip():
        raise RegistryError(f"{where}: purpose must be stated")
    special = raw.get("special_categories", False)
    if not isinstance(special, bool):
        raise RegistryError(f"{where}: special_categories must be true or false, got {special!r}")
    return TransferAssessment(
        id=aid,
        source=source,
        destination=dest,
        vectors=vectors,
        data_categories=_strings(raw["data_categories"], f"{where} data_categories"),
        special_categories=special,
        purpose=purpose,
        legal_mechanism=_enum(LegalMechanism, raw["legal_mechanism"], f"{where} legal_mechanism"),
        supplementary_measures=_strings(raw["supplementary_measures"], f"{where} supplementary_measures"),
        residual_risk=_enum(ResidualRisk, raw["residual_risk"], f"{where} residual_risk"),
        approver=approver,
        approved_on=approved_on,
        review_by=review_by,
        resources=_resources(raw.get("resources", []), where),
    )


def _resources(raw: Any, where: str) -> tuple[str, ...]:
    resources = _strings(raw, f"{where} resources", non_empty=False)
    for r in resources:
        if not is_exact_resource_id(r):
            raise RegistryError(
                f"{where} resources: {r!r} is not a full Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>) "
                "or ARN; a bare name would match that name in every project and stack"
            )
    return resources


# The keys that say where a flow goes; ``account`` may narrow jurisdiction or region.
DESTINATION_KEYS = ("jurisdiction", "region", "worldwide", "host", "provider")


def _parse_destination(raw: Any, where: str, catalogue: Catalogue) -> AssessmentDestination:
    if not isinstance(raw, Mapping):
        raise RegistryError(f"{where}: destination must be a table with one of jurisdiction/region/worldwide")
    known_keys(raw, (*DESTINATION_KEYS, "account"), f"{where} destination")
    keys = [k for k in DESTINATION_KEYS if raw.get(k)]
    for key in ("jurisdiction", "region", "host", "provider"):
        if key in raw:
            text(raw[key], f"{where} destination {key}")
    if "worldwide" in raw and not isinstance(raw["worldwide"], bool):
        raise RegistryError(f"{where}: destination worldwide must be true or false, got {raw['worldwide']!r}")
    if raw.get("account") and not (raw.get("jurisdiction") or raw.get("region")):
        raise RegistryError(
            f"{where}: destination account {raw['account']!r} needs the region or jurisdiction the account keeps "
            "the data in; an account id alone cannot prove where data goes"
        )
    if len(keys) != 1 or (raw.get("account") and raw.get("worldwide")):
        raise RegistryError(
            f"{where}: destination needs exactly one of {', '.join(DESTINATION_KEYS)} (and optionally account "
            f"with jurisdiction or region); got {dict(raw)!r}"
        )
    if "jurisdiction" in keys and raw["jurisdiction"] not in catalogue.jurisdictions:
        raise RegistryError(
            f"{where}: destination jurisdiction {raw['jurisdiction']!r} is not one of: {', '.join(catalogue.ids())}"
        )
    if "region" in keys and not is_known_region(str(raw["region"])):
        raise RegistryError(f"{where}: destination region {raw['region']!r} is not a known AWS region")
    account = raw.get("account")
    if "account" in raw and not (isinstance(account, (str, int)) and is_account_id(str(account))):
        raise RegistryError(f"{where}: destination account {raw['account']!r} is not a 12-digit AWS account id")
    return AssessmentDestination(
        jurisdiction=raw.get("jurisdiction"),
        region=raw.get("region"),
        account=str(raw["account"]) if raw.get("account") else None,
        worldwide=bool(raw.get("worldwide", False)),
        host=str(raw["host"]).lower() if raw.get("host") else None,
        provider=raw.get("provider"),
    )


def parse_registry(
    entries: Iterable[Mapping[str, Any]], catalogue: Catalogue, today: date | None = None
) -> AssessmentRegistry:
    """The registry; ``today`` (default: the real date) is when approvals must already have happened."""
    assessments = [parse_assessment(e, catalogue, today) for e in table_entries(entries, "assessment")]
    seen: set[str] = set()
    for a in assessments:
        if a.id in seen:
            raise RegistryError(f"assessment id {a.id!r} appears twice")
        seen.add(a.id)
    return AssessmentRegistry(tuple(assessments))


def load_registry(path: Path, catalogue: Catalogue, today: date | None = None) -> AssessmentRegistry:
    """Load ``[[assessment]]`` tables from a TOML file. A missing file is an empty registry."""
    if not path.exists():
        return AssessmentRegistry()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise RegistryError(f"cannot read assessment registry {path}: {err}") from None
    return parse_registry(only_tables(data, "assessment", path), catalogue, today)
