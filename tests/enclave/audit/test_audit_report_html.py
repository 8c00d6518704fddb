"""The HTML evidence report as an auditor reads it: verdict and summary first, FAIL and ERROR before the
collapsed PASS rows, provenance (who, which code, which rules, which regions were left out), filters; and
the same page rendered by headless Chromium."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from adapters.aws_live.api import ApiFailure
from enclave.audit import provenance
from enclave.audit.findings import AuditReport, judge
from enclave.audit.report import render
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue
from residency.model import Placement, Severity
from residency.rules import RULES
from tests.enclave.audit.browser import dump_dom, screenshot
from tests.enclave.audit.test_findings import synthetic_scan

IDENTITY = "arn:aws:sts::123456789012:assumed-role/enclave-auditor/alice"
RED, GREEN = (176, 0, 32), (23, 111, 44)


def evidence(passes: int = 300, fail: bool = True) -> AuditReport:
    facts = [Placement(f"arn:aws:s3:::ok-{i:04d}", "AWS::S3::Bucket", "eu-west-1") for i in range(passes)]
    failures = []
    if fail:
        facts.append(Placement("arn:aws:s3:::stray", "AWS::S3::Bucket", "us-east-1"))
        failures.append(
            ApiFailure("kms", "eu-central-1", "ListKeys", "kms:ListKeys", "InternalError", "boom", "kms:*",
                       "residency-location", 500)
        )  # fmt: skip
    scan = synthetic_scan(facts=facts, failures=failures, identity=IDENTITY)
    scan.regions = ["eu-central-1", "eu-west-1", "us-east-1"]
    catalogue = default_catalogue()
    report = judge(
        scan, catalogue.get("eu"), catalogue, AssessmentRegistry(), ExemptionRegistry(), date(2026, 1, 1), "9.9.9"
    )
    report.commit = "0123456789abcdef0123456789abcdef01234567"
    report.rule_catalogue_sha256 = provenance.rule_catalogue_digest()
    return report


def test_summary_comes_first_and_passes_are_collapsed() -> None:
    html = render(evidence(), "html")
    order = [html.index(f'id="{section}"') for section in ("verdict", "summary", "scope", "findings", "passes")]
    assert order == sorted(order)
    details = html.index('<details id="passes">')
    assert '<details id="passes" open' not in html
    first_pass, last_problem = html.index('data-status="PASS"'), html.rindex('data-status="FAIL"')
    assert last_problem < details < first_pass
    assert html.rindex('data-status="ERROR"') < details
    assert "1 FAIL, 1 ERROR, 300 PASS: NOT clean" in html


def test_summary_by_rule_and_by_region_puts_failures_first() -> None:
    html = render(evidence(), "html")
    summary = html[html.index('id="summary"') : html.index('id="scope"')]
    cells = re.findall(r"<tr><td>([^<]+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td></tr>", summary)
    # by rule: one rule; by region: the failing region first, then the erroring one, then the clean one
    assert cells == [
        ("residency-location", "1", "1", "300"),
        ("us-east-1", "1", "0", "0"),
        ("eu-central-1", "0", "1", "0"),
        ("eu-west-1", "0", "0", "300"),
    ]


def test_provenance_names_identity_commit_catalogue_digest_and_unscanned_regions() -> None:
    html = render(evidence(), "html")
    assert f"<code>{IDENTITY}</code>" in html
    assert "<code>0123456789abcdef0123456789abcdef01234567</code>" in html
    assert re.search(r"Rule catalogue sha256</th><td><code>[0-9a-f]{64}</code>", html)
    # eu allows six regions; the scan covered two of them
    assert "Allowed regions not scanned: eu-north-1, eu-south-1, eu-south-2, eu-west-3. This audit is partial." in html


def test_server_errors_are_not_reported_as_missing_permissions() -> None:
    report = evidence()
    [error] = [f for f in report.findings if f.status == "ERROR"]
    assert "missing IAM permission" not in error.message
    assert error.message.endswith("AWS answered with a server error, not a permission problem: run again later")
    assert report.as_dict()["errors"][0]["kind"] == "server-error"
    assert '<td class="nowrap">server-error</td>' in render(report, "html")


def test_rule_catalogue_digest_changes_with_any_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    before = provenance.rule_catalogue_digest()
    assert before == provenance.rule_catalogue_digest()
    edited = [dataclasses.replace(RULES[0], severity=Severity.LOW)]
    monkeypatch.setattr(provenance, "RULES", edited + list(RULES[1:]))
    assert provenance.rule_catalogue_digest() != before


def _probe(html: str) -> str:
    # Measures the layout the browser computed; the probe is added to a copy, the report ships without it.
    script = (
        "<script>window.addEventListener('load',function(){var b=document.body.dataset;"
        "b.summaryTop=Math.round(document.getElementById('summary').getBoundingClientRect().top);"
        "b.findingsTop=Math.round(document.getElementById('findings').getBoundingClientRect().top);"
        "b.passesOpen=document.getElementById('passes').open;b.viewport=window.innerHeight;});</script>"
    )
    return html.replace("</body>", script + "</body>")


def _data(dom: str, name: str) -> str:
    match = re.search(rf'data-{name}="([^"]*)"', dom)
    assert match, f"data-{name} not in the rendered DOM"
    return match.group(1)


def test_chromium_shows_the_verdict_and_summary_on_the_first_screen(tmp_path: Path) -> None:
    page = tmp_path / "evidence.html"
    page.write_text(_probe(render(evidence(), "html")), encoding="utf-8")
    dom = dump_dom(page.as_uri())
    summary_top, findings_top = int(_data(dom, "summary-top")), int(_data(dom, "findings-top"))
    assert 0 < summary_top < int(_data(dom, "viewport")) < findings_top  # the summary is on screen, rows below it
    assert _data(dom, "passes-open") == "false"
    assert _data(dom, "filters-ready") == "true"
    shot = Image.open(screenshot(page.as_uri(), tmp_path / "shot.png")).convert("RGB")
    assert shot.getpixel((5, 5)) == RED  # the NOT clean verdict banner is the first thing a reader sees
    clean = tmp_path / "clean.html"
    clean.write_text(render(evidence(passes=3, fail=False), "html"), encoding="utf-8")
    assert Image.open(screenshot(clean.as_uri(), tmp_path / "clean.png")).convert("RGB").getpixel((5, 5)) == GREEN


def test_chromium_applies_filters_from_the_url_fragment(tmp_path: Path) -> None:
    page = tmp_path / "evidence.html"
    page.write_text(render(evidence(), "html"), encoding="utf-8")
    dom = dump_dom(page.as_uri() + "#status=FAIL,ERROR&region=us-east-1")
    rows = re.findall(r'<tr data-status="(\w+)" data-rule="[^"]*" data-region="([^"]*)"( hidden="")?', dom)
    shown = [(status, region) for status, region, hidden in rows if not hidden]
    assert shown == [("FAIL", "us-east-1")]
    assert "1 of 302 findings shown" in dom
    assert '<form id="filters">' in dom  # the filters show once the script ran (hidden without script)
