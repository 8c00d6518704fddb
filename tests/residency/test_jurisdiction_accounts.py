"""The jurisdiction catalogue knows each jurisdiction's enclave accounts (sharing is judged against them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from residency.errors import CatalogueError
from residency.jurisdictions import default_catalogue, parse_catalogue

STACKS = Path(__file__).resolve().parents[2] / "stacks"


def entry(**extra: object) -> dict[str, object]:
    return {"name": "X", "home_region": "eu-west-1", "regions": ["eu-west-1"], "legal_references": ["law"], **extra}


@pytest.mark.parametrize("stack", sorted(STACKS.glob("Pulumi.*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_stack_account_belongs_to_its_jurisdiction(stack: Path) -> None:
    config = yaml.safe_load(stack.read_text())["config"]
    owner = default_catalogue().account_owner(str(config["enclave:accountId"]))
    assert owner is not None and owner.id == config["enclave:jurisdiction"]


def test_an_account_claimed_by_two_jurisdictions_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="account '111111111101' is claimed by both 'eu' and 'uk'"):
        parse_catalogue(
            {
                "eu": entry(accounts=["111111111101"]),
                "uk": {**entry(accounts=["111111111101"]), "home_region": "eu-west-2", "regions": ["eu-west-2"]},
            }
        )


@pytest.mark.parametrize("accounts", [["1234"], "111111111101", [111111111101]])
def test_accounts_must_be_twelve_digit_ids(accounts: object) -> None:
    with pytest.raises(CatalogueError, match="accounts must be a list of 12-digit account ids"):
        parse_catalogue({"eu": entry(accounts=accounts)})


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(CatalogueError, match="unknown key\\(s\\) acounts"):
        parse_catalogue({"eu": entry(acounts=["111111111101"])})


@pytest.mark.parametrize("stack", sorted(STACKS.glob("Pulumi.*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_external_auditor_belongs_to_the_stack_jurisdiction(stack: Path) -> None:
    config = yaml.safe_load(stack.read_text())["config"]
    auditor = (config.get("enclave:externalAuditor") or {}).get("accountId")
    if auditor is not None:  # the org stack has no external auditor
        jurisdiction = default_catalogue().get(config["enclave:jurisdiction"])
        assert str(auditor) in jurisdiction.auditor_accounts and jurisdiction.owns_account(str(auditor))


def test_auditor_accounts_are_checked_like_enclave_accounts() -> None:
    with pytest.raises(CatalogueError, match="auditor_accounts must be a list of 12-digit account ids"):
        parse_catalogue({"eu": entry(auditor_accounts=["1234"])})
    with pytest.raises(CatalogueError, match="account '111111111101' is claimed by both 'eu' and 'eu'"):
        parse_catalogue({"eu": entry(accounts=["111111111101"], auditor_accounts=["111111111101"])})
