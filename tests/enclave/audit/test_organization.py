"""`enclave audit --organization` against moto's server: several member accounts, one run, one report.

moto enforces the organisation auditor's IAM policy during these audits (``enforcing_iam``), so the account
whose role cannot be assumed is refused by the emulator itself (AccessDenied), not by a stub.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from enclave.audit import AuditRequest
from enclave.audit.org_report import render_org
from enclave.audit.organization import OrgAuditReport, OrgAuditRequest, audit_organization
from enclave.cli import main
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue
from tests.enclave.audit.org_seed import AccountSpec, SeededOrg, enforcing_iam, seed_organization

SPECS = [
    AccountSpec("eu-enclave", "eu", "eu", (("org-eu-home", "eu-west-1"),)),
    AccountSpec("uk-enclave", None, "uk", (("org-uk-stray", "us-east-1"),)),
    AccountSpec("eu-locked", "eu", "eu", denied=True),
    AccountSpec("untagged", None),
    AccountSpec("us-enclave", "us", "us", (("org-us-home", "us-east-1"),)),
]
REGIONS = ("eu-west-1", "eu-west-2", "us-east-1")


@pytest.fixture(scope="module")
def org(moto_url: str) -> SeededOrg:
    return seed_organization(moto_url, SPECS)


def _audit(org: SeededOrg, **changes: Any) -> OrgAuditReport:
    catalogue = default_catalogue()
    per = AuditRequest(catalogue.get("eu"), regions=REGIONS, services=("s3",), endpoint_url=org.url, max_workers=2)
    request = OrgAuditRequest(
        per_account=per,
        max_accounts_in_flight=3,
        # The uk account is named by a stack, not by a tag: the project's own record maps it.
        stack_accounts={org.accounts["uk-enclave"]: ("uk", "uk-london")},
        **changes,
    )
    with enforcing_iam():
        return audit_organization(
            org.session(), request, catalogue, AssessmentRegistry(), ExemptionRegistry(), date(2026, 12, 3), "test"
        )


@pytest.fixture(scope="module")
def report(org: SeededOrg) -> OrgAuditReport:
    return _audit(org)


def _by_name(report: OrgAuditReport) -> dict[str, Any]:
    return {o.account.name: o for o in report.outcomes}


def test_every_account_is_audited_or_named(org: SeededOrg, report: OrgAuditReport) -> None:
    outcomes = _by_name(report)
    assert report.caller_account == org.management
    assert set(outcomes) >= {s.name for s in SPECS}
    assert outcomes["eu-enclave"].state == "audited"
    assert outcomes["eu-enclave"].account.source == "tag"
    assert outcomes["uk-enclave"].state == "audited"
    assert outcomes["uk-enclave"].account.source == "stack uk-london"
    assert outcomes["us-enclave"].state == "audited"
    # Each account was audited with its own credentials, for its own jurisdiction.
    eu, uk = outcomes["eu-enclave"].report, outcomes["uk-enclave"].report
    assert eu.scan.account == org.accounts["eu-enclave"] and eu.jurisdiction.id == "eu"
    assert uk.scan.account == org.accounts["uk-enclave"] and uk.jurisdiction.id == "uk"
    assert ("residency-location", "PASS") in {(f.rule, f.status) for f in eu.findings if "org-eu-home" in f.resource}
    stray = [f for f in uk.findings if f.resource == "arn:aws:s3:::org-uk-stray" and f.rule == "residency-location"]
    assert [f.status for f in stray] == ["FAIL"]
    # Only the account's own buckets: nothing of another account leaks into its section.
    assert not [f for f in eu.findings if "org-uk-stray" in f.resource or "org-us-home" in f.resource]


def test_the_account_whose_role_cannot_be_assumed_is_a_named_error(org: SeededOrg, report: OrgAuditReport) -> None:
    locked = _by_name(report)["eu-locked"]
    account = org.accounts["eu-locked"]
    assert locked.state == "ERROR" and locked.report is None
    assert locked.error is not None
    assert locked.error.startswith(f"cannot assume arn:aws:iam::{account}:role/enclave-eu-auditor (AccessDenied")
    [finding] = locked.findings()
    assert (finding.status, finding.resource) == ("ERROR", f"account:{account}")
    assert report.exit_code == 1


def test_an_account_without_jurisdiction_is_an_error_and_a_tagged_none_is_not(
    org: SeededOrg, report: OrgAuditReport
) -> None:
    outcomes = _by_name(report)
    untagged = outcomes["untagged"]
    assert untagged.state == "ERROR"
    assert untagged.error is not None and untagged.error.startswith("no jurisdiction: tag the account jurisdiction=")
    management = next(o for o in outcomes.values() if o.account.id == org.management)
    assert (management.state, management.account.source, management.error) == (
        "no enclave (tagged)",
        "tag jurisdiction=none",
        None,
    )


def test_jurisdiction_filter_leaves_other_accounts_out_of_scope_but_listed(org: SeededOrg) -> None:
    outcomes = _by_name(_audit(org, jurisdictions=("uk",)))
    assert outcomes["uk-enclave"].state == "audited"
    assert outcomes["eu-enclave"].state == "out of scope" and outcomes["eu-enclave"].report is None
    assert outcomes["us-enclave"].state == "out of scope"
    # An account with no jurisdiction may be the filtered jurisdiction's: still an ERROR.
    assert outcomes["untagged"].state == "ERROR"


def test_a_tag_that_contradicts_the_stacks_is_an_error(org: SeededOrg) -> None:
    eu = org.accounts["eu-enclave"]
    catalogue = default_catalogue()
    per = AuditRequest(catalogue.get("eu"), regions=REGIONS, services=("s3",), endpoint_url=org.url)
    request = OrgAuditRequest(per_account=per, stack_accounts={eu: ("uk", "uk-london")})
    with enforcing_iam():
        contradicted = audit_organization(
            org.session(), request, catalogue, AssessmentRegistry(), ExemptionRegistry(), date(2026, 12, 3), "t"
        )
    outcome = _by_name(contradicted)["eu-enclave"]
    assert outcome.state == "ERROR"
    assert outcome.error == "tag jurisdiction='eu' contradicts stack uk-london (jurisdiction 'uk')"


def test_one_report_in_every_format(org: SeededOrg, report: OrgAuditReport) -> None:
    doc = json.loads(render_org(report, "json"))
    rows = {a["name"]: a for a in doc["accounts"]}
    assert rows["eu-locked"]["state"] == "ERROR" and "AccessDenied" in rows["eu-locked"]["error"]
    assert rows["uk-enclave"]["report"]["scope"]["account"] == org.accounts["uk-enclave"]
    assert doc["summary"]["findings"] == report.counts()
    assert doc["summary"]["accounts"]["audited"] == 3
    html = render_org(report, "html")
    assert html.count("<h2>Account ") == len(report.outcomes)
    assert f"Account {org.accounts['eu-locked']} (eu-locked): ERROR" in html
    markdown = render_org(report, "markdown")
    assert "## Summary across accounts" in markdown
    assert f"## Account {org.accounts['uk-enclave']} (uk-enclave): audited" in markdown
    table = render_org(report, "table", width=200)
    assert f"account {org.accounts['eu-locked']}: ERROR: cannot assume" in table


def test_cli_organization_run(
    org: SeededOrg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", org.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", org.secret_key)
    out = tmp_path / "org.html"
    args = ["audit", "--organization", "--endpoint-url", org.url, "--regions", ",".join(REGIONS)]
    args += ["--services", "s3", "--jurisdiction", "eu", "--jurisdiction", "us", "--max-accounts-in-flight", "2"]
    with enforcing_iam():
        code = main([*args, "--format", "html", "--output", str(out)])
    assert code == 1
    html = out.read_text()
    assert f"Account {org.accounts['eu-locked']} (eu-locked): ERROR" in html
    assert f"Account {org.accounts['us-enclave']} (us-enclave): audited" in html
    assert "wrote " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--max-accounts-in-flight", "0"], "--max-accounts-in-flight 0 must be between 1 and 64"),
        (["--jurisdiction", "atlantis"], "atlantis"),
        (["--role-name", "enclave-{region}-auditor"], "--role-name 'enclave-{region}-auditor'"),
    ],
)
def test_bad_organization_arguments_are_one_line(
    org: SeededOrg, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "--organization", "--endpoint-url", org.url, *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_single_account_audit_still_needs_exactly_one_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--jurisdiction", "eu", "--jurisdiction", "uk"])
    assert code == 2
    assert "--jurisdiction is given more than once" in capsys.readouterr().err
