"""The jurisdiction catalogue, loaded from ``catalogue.toml`` and validated before anything uses it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from residency.errors import CatalogueError
from residency.regions import is_known_region

CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")
_ACCOUNT = re.compile(r"[0-9]{12}")


@dataclass(frozen=True)
class Jurisdiction:
    """One legal area whose user data must stay in ``regions``."""

    id: str
    name: str
    home_region: str
    regions: frozenset[str]
    legal_references: tuple[str, ...]
    # The jurisdiction's own enclave AWS accounts; data shared with any other account is sharing.
    accounts: frozenset[str] = frozenset()
    # The AWS accounts of the jurisdiction's independent auditors (read-only oversight, ring 5): they belong to
    # the jurisdiction, so a role they may assume is not sharing.
    auditor_accounts: frozenset[str] = frozenset()

    def allows(self, region: str) -> bool:
        return region in self.regions

    def owns_account(self, account: str) -> bool:
        return account in self.accounts or account in self.auditor_accounts

    def sorted_regions(self) -> list[str]:
        return sorted(self.regions)


@dataclass(frozen=True)
class Catalogue:
    jurisdictions: Mapping[str, Jurisdiction]

    def get(self, jurisdiction_id: str) -> Jurisdiction:
        """The jurisdiction ``jurisdiction_id``; raises ``CatalogueError`` naming the allowed ids."""
        try:
            return self.jurisdictions[jurisdiction_id]
        except KeyError:
            raise CatalogueError(
                f"unknown jurisdiction {jurisdiction_id!r}; allowed: {', '.join(self.ids())}"
            ) from None

    def ids(self) -> list[str]:
        return sorted(self.jurisdictions)

    def account_owner(self, account: str) -> Jurisdiction | None:
        """The jurisdiction whose enclave account ``account`` is, if any."""
        for jurisdiction in self.jurisdictions.values():
            if jurisdiction.owns_account(account):
                return jurisdiction
        return None

    def owner_of(self, region: str) -> Jurisdiction | None:
        """The jurisdiction that claims ``region``, if any."""
        for jurisdiction in self.jurisdictions.values():
            if jurisdiction.allows(region):
                return jurisdiction
        return None


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Validate raw catalogue data. Every defect is a ``CatalogueError`` naming the entry and value."""
    jurisdictions: dict[str, Jurisdiction] = {}
    claimed_by: dict[str, str] = {}
    account_of: dict[str, str] = {}
    for jid, entry in data.items():
        if not isinstance(jid, str) or jid != jid.lower() or not jid.isalnum():
            raise CatalogueError(f"jurisdiction id {jid!r} must be lowercase letters/digits")
        if not isinstance(entry, Mapping):
            raise CatalogueError(f"jurisdiction {jid!r} must be a table")
        missing = {"name", "home_region", "regions", "legal_references"} - set(entry)
        if missing:
            raise CatalogueError(f"jurisdiction {jid!r} is missing {', '.join(sorted(missing))}")
        regions = entry["regions"]
        if not isinstance(regions, list) or not regions or not all(isinstance(r, str) for r in regions):
            raise CatalogueError(f"jurisdiction {jid!r}: regions must be a non-empty list of region codes")
        for region in regions:
            if not is_known_region(region):
                raise CatalogueError(f"jurisdiction {jid!r}: unknown AWS region {region!r}")
            if region in claimed_by:
                raise CatalogueError(f"region {region!r} is claimed by both {claimed_by[region]!r} and {jid!r}")
            claimed_by[region] = jid
        home = entry["home_region"]
        if home not in regions:
            raise CatalogueError(f"jurisdiction {jid!r}: home_region {home!r} is not in its regions")
        refs = entry["legal_references"]
        if not isinstance(refs, list) or not refs:
            raise CatalogueError(f"jurisdiction {jid!r}: legal_references must be a non-empty list")
        unknown = set(entry) - {"name", "home_region", "regions", "legal_references", "accounts", "auditor_accounts"}
        if unknown:
            raise CatalogueError(f"jurisdiction {jid!r}: unknown key(s) {', '.join(sorted(unknown))}")
        listed: dict[str, list[str]] = {}
        for key in ("accounts", "auditor_accounts"):
            values = entry.get(key, [])
            if not isinstance(values, list) or not all(isinstance(a, str) and _ACCOUNT.fullmatch(a) for a in values):
                raise CatalogueError(
                    f"jurisdiction {jid!r}: {key} must be a list of 12-digit account ids, got {values!r}"
                )
            for account in values:
                if account in account_of:
                    raise CatalogueError(f"account {account!r} is claimed by both {account_of[account]!r} and {jid!r}")
                account_of[account] = jid
            listed[key] = values
        jurisdictions[jid] = Jurisdiction(
            id=jid,
            name=str(entry["name"]),
            home_region=home,
            regions=frozenset(regions),
            legal_references=tuple(str(r) for r in refs),
            accounts=frozenset(listed["accounts"]),
            auditor_accounts=frozenset(listed["auditor_accounts"]),
        )
    if not jurisdictions:
        raise CatalogueError("the catalogue defines no jurisdiction")
    return Catalogue(jurisdictions)


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CatalogueError(f"cannot read catalogue {path}: {err}") from None
    return parse_catalogue(data)


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()
