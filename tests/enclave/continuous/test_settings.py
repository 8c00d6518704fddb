"""A handler's environment is checked before any call: one line naming the variable and what is allowed."""

from __future__ import annotations

import pytest

from enclave.continuous.settings import SettingsError, load_settings

GOOD = {
    "ENCLAVE_JURISDICTION": "eu",
    "ENCLAVE_REGION": "eu-west-1",
    "ENCLAVE_AUDIT_BUCKET": "enclave-eu-audit-logs-1234",
    "ENCLAVE_AUDIT_KEY_ARN": "arn:aws:kms:eu-west-1:111111111101:key/abc",
}


def test_good_environment() -> None:
    s = load_settings(GOOD, evidence=True)
    assert (s.jurisdiction.id, s.region, s.audit_bucket, s.security_hub, s.endpoint_url) == (
        "eu",
        "eu-west-1",
        "enclave-eu-audit-logs-1234",
        True,
        None,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ENCLAVE_JURISDICTION": "xx"}, "ENCLAVE_JURISDICTION='xx' is not a jurisdiction; allowed: "),
        ({"ENCLAVE_REGION": "us-east-1"}, "ENCLAVE_REGION='us-east-1' is not a region of eu; allowed: "),
        ({"ENCLAVE_AUDIT_BUCKET": ""}, "ENCLAVE_AUDIT_BUCKET=None is not an S3 bucket name"),
        (
            {"ENCLAVE_AUDIT_KEY_ARN": "arn:aws:kms:us-east-1:1:key/a"},
            "ENCLAVE_AUDIT_KEY_ARN='arn:aws:kms:us-east-1:1:key/a' is not a KMS key ARN in eu-west-1",
        ),
        ({"ENCLAVE_SECURITY_HUB": "maybe"}, "ENCLAVE_SECURITY_HUB='maybe' is not a boolean; allowed: true, false"),
    ],
)
def test_bad_environment(change: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({**GOOD, **change}, evidence=True)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_the_config_rule_needs_no_bucket() -> None:
    env = {k: v for k, v in GOOD.items() if "AUDIT" not in k}
    assert load_settings(env, evidence=False).audit_bucket is None
