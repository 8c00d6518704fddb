"""Findings point at source: every report format names the file and line that declare the resource.

The program ``located`` declares three buckets outside the EU: one directly (``__main__.py`` line 12), one
inside a local component (``archive.py`` line 10, the component created on line 14), and one inside a
component installed in site-packages, reported at the user's call (line 18).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.enclave.gate.conftest import check, program

MAIN = "tests/enclave/gate/programs/located/__main__.py"
ARCHIVE = "tests/enclave/gate/programs/located/archive.py"
EXPECTED = {"stray": (MAIN, 12), "old-bucket": (ARCHIVE, 10), "vendor-bucket": (MAIN, 18)}
FORMATS = ("json", "sarif", "junit", "markdown")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("located")
    args = ["--program", program("located"), "--jurisdiction", "eu", "--no-checkov", "--format", "table"]
    for fmt in FORMATS:
        args += ["--report", f"{fmt}={out / fmt}"]
    run = check(*args)
    assert run.code == 1, run.stderr
    return {fmt: (out / fmt).read_text() for fmt in FORMATS} | {"table": run.stdout}


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def test_json_names_file_line_and_component_chain(reports: dict[str, str]) -> None:
    [result] = json.loads(reports["json"])["results"]
    # (The engine's default provider is judged too; the program never declares it, so it has no source.)
    found = {
        _name(v["urn"]): v["source"]
        for v in result["violations"]
        if v["policy"] == "residency-location" and _name(v["urn"]) in EXPECTED
    }
    assert {name: (s["file"], s["line"]) for name, s in found.items()} == EXPECTED
    assert found["stray"]["components"] == []
    assert found["old-bucket"]["components"] == [
        {"type": "located:index:Archive", "name": "old", "file": MAIN, "line": 14}
    ]
    assert found["vendor-bucket"]["components"][0]["type"] == "vendor:index:Archive"


def test_sarif_points_at_the_line_with_repo_relative_paths_and_stable_fingerprints(reports: dict[str, str]) -> None:
    sarif = json.loads(reports["sarif"])
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    [run] = sarif["runs"]
    located = {}
    for result in run["results"]:
        if result["ruleId"] != "residency-location":
            continue
        physical = result["locations"][0]["physicalLocation"]
        name = result["locations"][0]["logicalLocations"][0]["name"]
        if name not in EXPECTED:
            continue
        located[name] = (physical["artifactLocation"]["uri"], physical["region"]["startLine"])
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not Path(physical["artifactLocation"]["uri"]).is_absolute()
    assert located == EXPECTED
    [old] = [
        r for r in run["results"] if r["ruleId"] == "residency-location" and "old-bucket" in r["properties"]["urn"]
    ]
    [related] = old["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == MAIN
    assert related["physicalLocation"]["region"]["startLine"] == 14
    prints = [r["partialFingerprints"]["enclaveGate/v1"] for r in run["results"]]
    assert len(prints) == len(set(prints))  # one per (rule, resource)


def test_sarif_fingerprints_do_not_move_with_the_code() -> None:
    from enclave.gate.report_sarif import build_sarif
    from enclave.gate.source_locations import SourceLocation
    from tests.enclave.gate.sample_results import BUCKET_URN, sample_results

    def fingerprints(line: int) -> list[dict[str, str]]:
        results = sample_results()
        results[0].locations = {BUCKET_URN: SourceLocation("__main__.py", line)}
        sarif = build_sarif(results)["runs"][0]["results"]
        assert sarif[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == line
        return [r["partialFingerprints"] for r in sarif]

    assert fingerprints(12) == fingerprints(40)


def test_junit_testcases_carry_file_and_line(reports: dict[str, str]) -> None:
    suite = ET.fromstring(reports["junit"]).find("testsuite")
    assert suite is not None
    located = {
        _name(case.get("name", "")): (case.get("file"), int(case.get("line", "0")))
        for case in suite.iter("testcase")
        if case.get("classname") == "residency.residency-location" and _name(case.get("name", "")) in EXPECTED
    }
    assert located == EXPECTED
    failure = next(c for c in suite.iter("testcase") if "old-bucket" in c.get("name", "")).find("failure")
    assert failure is not None and f"declared at: {ARCHIVE}:10 (in located:index:Archive old ({MAIN}:14))" in (
        failure.text or ""
    )


def test_markdown_and_table_say_the_line(reports: dict[str, str]) -> None:
    for name, (file, line) in EXPECTED.items():
        assert f"**{name}** aws:s3/bucket:Bucket<br>{file}:{line}" in reports["markdown"]
        assert f"at {file}:{line}" in reports["table"]  # 80 columns: the location on its own line
    assert "urn:pulumi:" not in reports["markdown"]  # no whole URN in an unbreakable code span
