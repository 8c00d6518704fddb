"""Fixtures for running the pack's policies directly (a pytest plugin, loaded by tests/conftest.py): the pack's
tests and the Pulumi adapters' tests (which drive the adapters through the pack) both use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.residency_pack.cases import ASSESSMENTS, STACK_CONFIG


@pytest.fixture
def governance(tmp_path: Path) -> Path:
    directory = tmp_path / "governance"
    directory.mkdir()
    (directory / "transfer-assessments.toml").write_text(ASSESSMENTS)
    return directory


@pytest.fixture
def eu_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(STACK_CONFIG))
    monkeypatch.setenv("PULUMI_PROJECT", "enclave")
