"""parliament (the IAM linter) on every shipped stack's identity policies and SCPs: no unreviewed finding.

parliament runs in its own pinned environment (uvx), like checkov; .ci/run builds it up front.
"""

from __future__ import annotations

import json

import pytest

from enclave.gate.parliament_runner import (
    PARLIAMENT_VERSION,
    REVIEWED_FINDINGS,
    ParliamentError,
    ParliamentFinding,
    linted,
    parliament_command,
    parse_parliament_output,
    review_reason,
    run_parliament,
)
from enclave.offline.stack_files import load_project
from tests.components.enclave_runs import PROJECT_DIR, shipped_run

STACKS = load_project(PROJECT_DIR).stacks()


def test_parliament_runs_pinned_in_its_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENCLAVE_PARLIAMENT", raising=False)
    command = parliament_command()
    assert command[:4] == ["uvx", "--quiet", "--from", f"parliament=={PARLIAMENT_VERSION}"]
    monkeypatch.setenv("ENCLAVE_PARLIAMENT", "/opt/parliament --x")
    assert parliament_command() == ["/opt/parliament", "--x"]


@pytest.mark.parametrize("stack", STACKS)
def test_no_unreviewed_finding_on_a_shipped_stack(stack: str) -> None:
    run = shipped_run(stack)
    assert linted(run.resources), "every stack has a boundary, role policies or SCPs"
    types = {r.urn: r.type for r in run.resources}
    unreviewed = [
        (f.issue, f.urn.split("::")[-1], f.detail[:120])
        for f in run_parliament(run.resources)
        if review_reason(f, types[f.urn]) is None
    ]
    assert unreviewed == []


def test_a_real_finding_is_reported_and_not_reviewed() -> None:
    """A misspelt action is a finding nothing excuses: the gate is not a rubber stamp."""
    line = json.dumps(
        {
            "issue": "UNKNOWN_ACTION",
            "severity": "MEDIUM",
            "detail": {"unknown_action": "s3:GetObjekt"},
            "location": {"filepath": "/tmp/x/doc0000.json"},
        }
    )
    [finding] = parse_parliament_output(line, 1, {"doc0000.json": "urn:pulumi:s::p::aws:iam/policy:Policy::b"})
    assert finding == ParliamentFinding(
        "UNKNOWN_ACTION", "MEDIUM", "urn:pulumi:s::p::aws:iam/policy:Policy::b", '{"unknown_action": "s3:GetObjekt"}'
    )
    assert review_reason(finding, "aws:iam/policy:Policy") is None


def test_a_review_is_bound_to_its_detail() -> None:
    urn = "urn:pulumi:org::enclave::enclave:components:DeployRoles$aws:iam/policy:Policy::b"
    known = ParliamentFinding(
        "UNKNOWN_CONDITION_FOR_ACTION", "LOW", urn, '"Unknown condition kms:ResourceAliases for action kms:Decrypt"'
    )
    other = ParliamentFinding(
        "UNKNOWN_CONDITION_FOR_ACTION", "LOW", urn, '"Unknown condition aws:Typo for action kms:Decrypt"'
    )
    assert review_reason(known, "aws:iam/policy:Policy") is not None
    assert review_reason(other, "aws:iam/policy:Policy") is None


@pytest.mark.parametrize(
    ("stdout", "code", "message"),
    [
        ("", 1, "reported findings but printed none"),
        ("not json", 1, "not a finding"),
        ('{"issue": "X"}', 1, "not a finding"),
    ],
)
def test_unreadable_output_is_an_error_not_a_pass(stdout: str, code: int, message: str) -> None:
    with pytest.raises(ParliamentError, match=message):
        parse_parliament_output(stdout, code, {})


def test_a_parliament_that_cannot_run_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCLAVE_PARLIAMENT", "/nonexistent/parliament")
    with pytest.raises(ParliamentError, match="could not run"):
        run_parliament(shipped_run("us-virginia").resources)


def test_every_review_has_a_reason() -> None:
    assert all(len(r.reason) > 40 for r in REVIEWED_FINDINGS)
