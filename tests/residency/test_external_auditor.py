"""enclave:externalAuditor: typed (account id + ExternalId), every bad value one line naming what is allowed."""

from __future__ import annotations

import json

import pytest

from residency.errors import ConfigError
from residency.external_auditor import ExternalAuditor, parse_external_auditor

ENCLAVE = "111111111101"


def config(value: object) -> dict[str, str]:
    return {"enclave:externalAuditor": value if isinstance(value, str) else json.dumps(value)}


def test_absent_means_no_external_auditor() -> None:
    assert parse_external_auditor({}, ENCLAVE) is None
    assert parse_external_auditor(config(""), ENCLAVE) is None


def test_good_value() -> None:
    auditor = parse_external_auditor(config({"accountId": "999999999901", "externalId": "eu-2026"}), ENCLAVE)
    assert auditor == ExternalAuditor("999999999901", "eu-2026")
    assert auditor.account_root == "arn:aws:iam::999999999901:root"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "enclave:externalAuditor: 'not json' is not an object; allowed: an object {accountId: "),
        ({"accountId": "999999999901"}, "does not have exactly accountId and externalId"),
        (
            {"accountId": "999999999901", "externalId": "x", "mfa": True},
            "does not have exactly accountId and externalId",
        ),
        (
            {"accountId": 999999999901, "externalId": "eu-2026"},
            "accountId 999999999901 is not a 12-digit account id (quote it in YAML)",
        ),
        ({"accountId": "12345", "externalId": "eu-2026"}, "accountId '12345' is not a 12-digit account id"),
        ({"accountId": ENCLAVE, "externalId": "eu-2026"}, f"accountId '{ENCLAVE}' is the enclave's own account"),
        ({"accountId": "999999999901", "externalId": "x"}, "externalId 'x' is not valid; allowed:"),
        ({"accountId": "999999999901", "externalId": "has space"}, "externalId 'has space' is not valid"),
    ],
)
def test_bad_values_are_one_line(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_external_auditor(config(value), ENCLAVE)
    text = str(raised.value)
    assert message in text and "\n" not in text and text.startswith("enclave:externalAuditor: ")
