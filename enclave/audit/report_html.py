"""The HTML evidence report, rendered from a Jinja2 template (templates/audit.html.j2).

A reader opens it to answer, in this order: is the account clean, which rules and regions fail, who ran
the scan on what code and rules, what exactly failed, and what was waived or could not be read. So the
page starts with the verdict and a summary by rule and by region; FAIL and ERROR rows come before the
PASS rows, which sit collapsed in a <details>; small inline filters narrow the rows (status, rule, region,
text) and keep their state in the URL fragment, so a filtered view can be linked. The page is one file:
inline CSS and script, no external assets, every value escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from enclave.audit.findings import ERROR, FAIL, PASS, AuditFinding, AuditReport

TEMPLATES = Path(__file__).with_name("templates")
NO_REGION = "(no region)"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def summarise_by(findings: list[AuditFinding], key: str) -> list[dict[str, Any]]:
    """Counts per rule or per region, the worst first: most FAIL, then most ERROR, then by name."""
    counts: dict[str, Counter[str]] = {}
    for f in findings:
        name = (f.rule if key == "rule" else f.region) or NO_REGION
        counts.setdefault(name, Counter())[f.status] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1][FAIL], -item[1][ERROR], item[0]))
    return [{"name": name, FAIL: c[FAIL], ERROR: c[ERROR], PASS: c[PASS]} for name, c in ordered]


def render_html(report: AuditReport) -> str:
    scope = report.scope()
    counts = report.counts()
    findings = report.findings
    title = f"Residency audit: account {report.scan.account}, jurisdiction {report.jurisdiction.id}"
    context = {
        "title": title,
        "clean": report.exit_code == 0,
        "counts": counts,
        "scope": scope,
        "by_rule": summarise_by(findings, "rule"),
        "by_region": summarise_by(findings, "region"),
        "action": [f for f in findings if f.status in (FAIL, ERROR)],
        "passes": [f for f in findings if f.status == PASS],
        "rules": sorted({f.rule for f in findings}),
        "regions": sorted({f.region or NO_REGION for f in findings}),
        "no_region": NO_REGION,
        "exemptions": report.exemptions_used,
        "assessments": report.assessments_used,
        "errors": report.as_dict()["errors"],
    }
    return _environment().get_template("audit.html.j2").render(context)
