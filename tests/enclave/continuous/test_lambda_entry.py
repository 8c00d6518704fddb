"""The Lambda entry points load the packaged governance registries and refuse a bad environment."""

from __future__ import annotations

import pytest

from enclave.continuous import lambda_entry
from enclave.continuous.settings import SettingsError


def test_registries_are_the_repository_governance_files() -> None:
    assessments, exemptions = lambda_entry.registries()
    assert lambda_entry.GOVERNANCE.name == "governance" and (lambda_entry.GOVERNANCE / "exemptions.toml").exists()
    assert assessments is not None and exemptions is not None


@pytest.mark.parametrize("handler", [lambda_entry.config_rule_handler, lambda_entry.scheduled_audit_handler])
def test_a_bad_environment_fails_the_invocation(handler: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCLAVE_JURISDICTION", "atlantis")
    with pytest.raises(SettingsError, match="ENCLAVE_JURISDICTION='atlantis' is not a jurisdiction"):
        handler({}, None)  # type: ignore[operator]
