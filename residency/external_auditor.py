"""``enclave:externalAuditor``: the third party that may audit the enclave, read-only, through its own door.

Typed config (a YAML object in the stack file; Pulumi hands it to the program as JSON):

    enclave:externalAuditor:
      accountId: "999999999901"    # the third party's AWS account (12 digits, not the enclave's own)
      externalId: eu-dublin-2026   # 2-1224 of A-Z a-z 0-9 + = , . @ : / -

The ExternalId is not a secret: AWS documents it as the guard against the confused deputy (the third party's
tooling must present it), not as a credential; it is set in plain config so that `enclave plan` and reviewers
see which party can enter. Absent (or empty): no external auditor, and `enclave plan` and the pack say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from residency.errors import ConfigError

EXTERNAL_AUDITOR = "enclave:externalAuditor"
_ACCOUNT = re.compile(r"[0-9]{12}")
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9+=,.@:/-]{2,1224}")
_ALLOWED = 'an object {accountId: "<12-digit account of the third party>", externalId: "<2-1224 of A-Za-z0-9+=,.@:/->"}'


@dataclass(frozen=True)
class ExternalAuditor:
    account_id: str
    external_id: str

    @property
    def account_root(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"


def parse_external_auditor(config: Mapping[str, str], enclave_account: str) -> ExternalAuditor | None:
    raw = config.get(EXTERNAL_AUDITOR)
    if raw is None or raw.strip() in ("", "null", "{}"):
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(EXTERNAL_AUDITOR, f"{raw!r} is not an object; allowed: {_ALLOWED}") from None
    if not isinstance(value, dict) or set(value) != {"accountId", "externalId"}:
        raise ConfigError(
            EXTERNAL_AUDITOR, f"{raw!r} does not have exactly accountId and externalId; allowed: {_ALLOWED}"
        )
    account, external_id = value["accountId"], value["externalId"]
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise ConfigError(
            EXTERNAL_AUDITOR,
            f"accountId {account!r} is not a 12-digit account id (quote it in YAML); allowed: {_ALLOWED}",
        )
    if account == enclave_account:
        raise ConfigError(
            EXTERNAL_AUDITOR, f"accountId {account!r} is the enclave's own account; allowed: a third party's account"
        )
    if not isinstance(external_id, str) or not _EXTERNAL_ID.fullmatch(external_id):
        raise ConfigError(EXTERNAL_AUDITOR, f"externalId {external_id!r} is not valid; allowed: {_ALLOWED}")
    return ExternalAuditor(account, external_id)
