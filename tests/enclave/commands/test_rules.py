"""`enclave rules`: the catalogue in three formats; docs/policy.md embeds the markdown verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enclave.cli import main
from residency.rules import RULES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "policy.md"


def _out(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    assert main(["rules", "--format", fmt]) == 0
    return capsys.readouterr().out


def test_json_lists_every_rule_with_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(_out(capsys, "json"))
    assert [r["id"] for r in doc["rules"]] == [r.id for r in RULES]
    location = doc["rules"][0]
    assert location["category"] == "residency" and location["enforcement"] == "mandatory" and location["references"]
    assert {p["id"] for p in doc["pack_policies"]} == {
        "residency-context",
        "residency-exceptions",
        "residency-exceptions-stack",
    }


def test_markdown_has_one_row_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    text = _out(capsys, "markdown")
    for rule in RULES:
        assert f"| `{rule.id}` |" in text


def test_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert "residency-location" in _out(capsys, "table")


def test_docs_embed_the_current_generated_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "markdown").strip() in DOCS.read_text(), "regenerate: enclave rules --format markdown"
