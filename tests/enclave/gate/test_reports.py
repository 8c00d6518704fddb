"""Every report format is well formed and carries the same facts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from rich.console import Console

from enclave.gate.report_json import render_json
from enclave.gate.report_junit import render_junit
from enclave.gate.report_markdown import render_markdown
from enclave.gate.report_sarif import build_sarif
from enclave.gate.report_table import render_table
from enclave.gate.results import CheckovSummary, TargetResult, exit_code
from residency.rules import RULES
from tests.enclave.gate.sample_results import BUCKET_URN, sample_results

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def test_json_contract_has_exactly_the_documented_keys() -> None:
    doc = json.loads(render_json(sample_results()))
    first = doc["results"][0]
    assert set(doc) == {"results"}
    assert set(first) == {
        "target",
        "stack",
        "jurisdiction",
        "resource_count",
        "violations",
        "exemptions",
        "checkov",
        "unmapped_types",
        "error",
        "notes",
    }
    assert set(first["violations"][0]) == {
        "policy",
        "category",
        "severity",
        "enforcement_level",
        "urn",
        "resource_type",
        "message",
        "status",
        "destination",
        "assessment",
        "unknown",
        "source",
    }
    assert first["violations"][0]["urn"] == BUCKET_URN
    assert set(first["checkov"]) >= {"passed", "failed", "skipped", "findings"}
    assert first["checkov"]["findings"] == [
        {
            "check_id": "CKV_AWS_18",
            "urn": BUCKET_URN,
            "message": "Ensure the S3 bucket has access logging enabled",
            "source": None,
        }
    ]
    assert first["exemptions"][0]["id"] == "EX-1"
    assert doc["results"][1]["checkov"] is None
    assert doc["results"][2]["error"] == "the program failed: KeyError"


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    sarif = build_sarif(sample_results())
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)


def test_sarif_lists_every_residency_rule_and_the_checkov_checks_seen() -> None:
    run = build_sarif(sample_results())["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {r.id for r in RULES} <= set(rule_ids)
    assert {"CKV_AWS_18", "CKV_AWS_144"} <= set(rule_ids)
    assert len(rule_ids) == len(set(rule_ids))
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    location = next(r for r in run["results"] if r["ruleId"] == "residency-location")
    assert location["level"] == "error"
    assert location["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == BUCKET_URN
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert {r["ruleId"] for r in suppressed} == {"s3-encryption-kms", "CKV_AWS_144"}
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_has_one_suite_per_target_and_failures_for_mandatory_violations() -> None:
    root = ET.fromstring(render_junit(sample_results()))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["eu-dublin", "uk-london", "programs/broken"]
    dublin = suites[0]
    failures = [c for c in dublin.findall("testcase") if c.find("failure") is not None]
    assert {(c.get("classname"), c.get("name")) for c in failures} == {
        ("residency.residency-location", BUCKET_URN),
        ("checkov.CKV_AWS_18", BUCKET_URN),
    }
    assert dublin.get("failures") == "2"
    assert dublin.get("skipped") == "2"
    assert dublin.get("tests") == str(len(dublin.findall("testcase")))
    # the VPC was not flagged: it is a passing testcase
    assert any(c.get("name", "").endswith("Vpc::net") and len(c) == 0 for c in dublin.findall("testcase"))
    assert suites[2].get("errors") == "1"
    assert root.get("failures") == "2"


def test_markdown_summarises_each_target_and_escapes_table_cells() -> None:
    md = render_markdown(sample_results())
    assert md.startswith("## Enclave residency gate")
    assert "2 of 3 target(s) blocked or in error" in md
    assert "| eu-dublin | eu | 2 | 1 | 1 | 1 | 1 | :x: blocked |" in md
    assert "outside European Union <&> \\| pipes" in md
    assert "`random:index/randomPet:RandomPet`" in md
    assert "replication out of the jurisdiction is forbidden" in md


def test_table_prints_verdicts() -> None:
    console = Console(record=True, width=200)
    render_table(sample_results(), console)
    text = console.export_text()
    assert "blocked" in text and "pass" in text and "error" in text
    assert "residency-location" in text and "CKV_AWS_18" in text


def test_exit_code_is_two_for_errors_one_for_blocking_zero_otherwise() -> None:
    results = sample_results()
    assert exit_code(results) == 2
    assert exit_code(results[:2]) == 1
    assert exit_code(results[1:2]) == 0
    checkov_only = TargetResult("t", "t", "eu", checkov=CheckovSummary(passed=1, failed=1))
    assert exit_code([checkov_only]) == 1
