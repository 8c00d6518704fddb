"""external-auditor-configured: advisory, reported for an enclave stack without a third-party auditor only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from policy_engine.client import PolicyEngine, StackIdentity
from residency_pack.external_auditor import POLICY_NAME, has_external_auditor
from tests.residency_pack.engine_support import PACK_DIR

ROOT = Path(__file__).resolve().parents[2]
ROLE = "aws:iam/role:Role"


def trust(condition: dict[str, object]) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999901:root"}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, "Condition": condition}]})


def test_passing_case_a_role_that_requires_the_external_id() -> None:
    props = {
        "name": "enclave-eu-external-auditor",
        "assumeRolePolicy": trust({"StringEquals": {"sts:ExternalId": "x1"}}),
    }
    assert has_external_auditor([(ROLE, props)])


@pytest.mark.parametrize(
    "props",
    [
        {"name": "enclave-eu-external-auditor", "assumeRolePolicy": trust({})},
        {"name": "enclave-eu-auditor", "assumeRolePolicy": trust({"StringEquals": {"sts:ExternalId": "x1"}})},
        {"name": "enclave-eu-external-auditor", "assumeRolePolicy": "{}"},
    ],
)
def test_failing_cases(props: dict[str, object]) -> None:
    assert not has_external_auditor([(ROLE, props)])


@pytest.mark.parametrize("configured", [False, True])
def test_the_pack_reports_it_as_advisory(configured: bool) -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "uk-london")
    if not configured:
        config.pop("enclave:externalAuditor")
    run = run_program(ROOT, "uk-london", config, secret_keys=secrets)
    with PolicyEngine(PACK_DIR, StackIdentity(project.name, "uk-london", config)) as engine:
        ours = [d for d in engine.analyze(run.resources) if d.policy == POLICY_NAME]
    if configured:
        assert ours == []
    else:
        assert len(ours) == 1 and ours[0].level == "advisory" and not ours[0].mandatory
        assert "no external auditor is configured: no independent third party can audit this enclave" in ours[0].message
