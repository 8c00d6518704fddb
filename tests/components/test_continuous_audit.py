"""Every enclave stack plans continuous oversight in its home region: the AWS Config rules (one per rule
family), the daily evidence schedule, Security Hub, and (where configured) the external auditor's door."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.aws_live.config_families import FAMILIES
from components.continuous_audit import DEFAULT_SCHEDULE, log_retention
from components.lambda_code import AUDIT_CODE, code_files
from enclave.offline.model import CapturedResource, ProgramRun
from tests.components.enclave_runs import (
    enclave_stacks,
    of_type,
    one,
    one_ring,
    run_with,
    shipped_run,
    stack_config,
    statements,
)

STACKS = enclave_stacks()
ROOT = Path(__file__).resolve().parents[2]
CONTINUOUS = "enclave:components:EnclaveContinuousAudit"


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _home(stack: str) -> str:
    return stack_config(stack)["aws:region"]


def _ours(run: ProgramRun) -> list[CapturedResource]:
    by_urn = run.by_urn()
    component = one(run, CONTINUOUS)
    out = []
    for r in run.resources:
        parent = r.parent
        while parent and parent != component.urn:
            parent = by_urn[parent].parent if parent in by_urn else None
        if parent == component.urn:
            out.append(r)
    return out


def test_every_resource_of_continuous_oversight_is_in_the_home_region(stack: str) -> None:
    run = shipped_run(stack)
    ours = [r for r in _ours(run) if r.custom]
    assert len(ours) > 20
    assert {r.region for r in ours} == {_home(stack)}


def test_config_rules_one_per_family_triggered_by_changes(stack: str) -> None:
    run = shipped_run(stack)
    jid = stack_config(stack)["enclave:jurisdiction"]
    rules = {r.inputs["name"]: r for r in of_type(run, "aws:cfg/rule:Rule")}
    assert set(rules) == {f"enclave-{jid}-{f.name}" for f in FAMILIES}
    function = next(
        f for f in of_type(run, "aws:lambda/function:Function") if f.inputs["name"].endswith("-config-rules")
    )
    for family in FAMILIES:
        rule = rules[f"enclave-{jid}-{family.name}"]
        assert json.loads(rule.inputs["inputParameters"]) == {"family": family.name}
        assert rule.inputs["scope"]["complianceResourceTypes"] == list(family.resource_types)
        source = rule.inputs["source"]
        assert source["owner"] == "CUSTOM_LAMBDA"
        assert source["sourceIdentifier"] == function.outputs["arn"]
        assert {d["messageType"] for d in source["sourceDetails"]} == {
            "ConfigurationItemChangeNotification",
            "OversizedConfigurationItemChangeNotification",
        }
    recorder = one(run, "aws:cfg/recorder:Recorder")
    assert recorder.inputs["recordingGroup"] == {"allSupported": True, "includeGlobalResourceTypes": True}
    assert one(run, "aws:cfg/recorderStatus:RecorderStatus").inputs["isEnabled"] is True
    [permission] = [
        p for p in of_type(run, "aws:lambda/permission:Permission") if p.inputs["function"] == function.outputs["name"]
    ]
    assert (permission.inputs["principal"], permission.inputs["sourceAccount"]) == (
        "config.amazonaws.com",
        stack_config(stack)["enclave:accountId"],
    )


def test_config_history_is_locked_and_encrypted_under_a_rotating_enclave_key(stack: str) -> None:
    run = shipped_run(stack)
    channel = one(run, "aws:cfg/deliveryChannel:DeliveryChannel")
    bucket = next(
        b for b in of_type(run, "aws:s3/bucket:Bucket") if b.outputs["bucket"] == channel.inputs["s3BucketName"]
    )
    assert bucket.protect and bucket.retain_on_delete and bucket.inputs["objectLockEnabled"] is True
    key = next(k for k in of_type(run, "aws:kms/key:Key") if k.outputs["arn"] == channel.inputs["s3KmsKeyArn"])
    assert key.inputs["enableKeyRotation"] is True and key.inputs["multiRegion"] is False and key.protect


def test_functions_run_the_repository_code_under_the_boundary(stack: str) -> None:
    run = shipped_run(stack)
    jid = stack_config(stack)["enclave:jurisdiction"]
    names = {f"enclave-{jid}-config-rules", f"enclave-{jid}-evidence"}
    every = {f.inputs["name"]: f for f in of_type(run, "aws:lambda/function:Function")}
    functions = {name: f for name, f in every.items() if name in names}
    assert set(functions) == names
    role = next(
        r for r in of_type(run, "aws:iam/role:Role") if r.inputs.get("name") == f"enclave-{jid}-continuous-auditor"
    )
    boundary = one_ring(run, "aws:iam/policy:Policy")
    assert role.inputs["permissionsBoundary"] == boundary.outputs["arn"]
    for fn in functions.values():
        assert fn.inputs["role"] == role.outputs["arn"]
        assert fn.inputs["runtime"] == "python3.12"
        assert fn.inputs["handler"].startswith("enclave.continuous.lambda_entry.")
        assert fn.inputs["environment"]["variables"]["ENCLAVE_REGION"] == _home(stack)
        log_group = fn.inputs["loggingConfig"]["logGroup"]
        logs = next(g for g in of_type(run, "aws:cloudwatch/logGroup:LogGroup") if g.inputs.get("name") == log_group)
        assert logs.protect and logs.inputs["kmsKeyId"] == one_key(run, "audit").outputs["arn"]
        assert logs.inputs["retentionInDays"] >= int(stack_config(stack).get("enclave:auditRetentionDays", 365))
    # The role's inline policies: its grants and, apart, its statements on KMS keys (role_policies).
    policies = [p for p in of_type(run, "aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.id]
    sids = {s["Sid"]: s for policy in policies for s in statements(policy)}
    assert sids["DenyUserDataObjects"]["Effect"] == sids["DenyUserDataKeys"]["Effect"] == "Deny"
    assert sids["WriteEvidence"]["Action"] == ["s3:PutObject"]


def one_key(run: ProgramRun, purpose: str) -> CapturedResource:
    return next(k for k in of_type(run, "aws:kms/key:Key") if f": {purpose} key" in k.inputs["description"])


def test_daily_schedule_runs_the_evidence_function(stack: str) -> None:
    run = shipped_run(stack)
    evidence = next(f for f in of_type(run, "aws:lambda/function:Function") if f.inputs["name"].endswith("-evidence"))
    [schedule] = [
        s
        for s in of_type(run, "aws:scheduler/schedule:Schedule")
        if s.inputs["target"]["arn"] == evidence.outputs["arn"]
    ]
    assert schedule.inputs["scheduleExpression"] == DEFAULT_SCHEDULE == "rate(1 day)"
    assert schedule.inputs["target"]["arn"] == evidence.outputs["arn"]
    assert schedule.inputs["state"] == "ENABLED"
    env = evidence.inputs["environment"]["variables"]
    assert env["ENCLAVE_AUDIT_BUCKET"].startswith(f"enclave-{stack_config(stack)['enclave:jurisdiction']}")
    hub = one(run, "aws:securityhub/account:Account")
    assert hub.region == _home(stack)


def test_the_functions_run_the_repository_itself_with_the_lambda_layer() -> None:
    run = shipped_run("eu-dublin")
    layers = {r.inputs["layerName"]: r for r in of_type(run, "aws:lambda/layerVersion:LayerVersion")}
    assert "enclave-eu-audit-deps" in layers
    expected = {name: str(path) for name, path in code_files(AUDIT_CODE).items()}
    assert "enclave/audit/templates/audit.html.j2" in expected and "governance/transfer-assessments.toml" in expected
    functions = [f for f in of_type(run, "aws:lambda/function:Function") if f.inputs["name"].endswith("-evidence")]
    functions += [f for f in of_type(run, "aws:lambda/function:Function") if f.inputs["name"].endswith("-config-rules")]
    assert len(functions) == 2
    for function in functions:
        assets = function.inputs["code"]["assets"]
        assert {name: a["path"] for name, a in assets.items()} == expected
        assert function.inputs["layers"] == [layers["enclave-eu-audit-deps"].outputs["arn"]]


@pytest.mark.parametrize(("days", "kept"), [(1, 1), (2, 3), (365, 365), (366, 400), (3650, 3653)])
def test_log_retention_keeps_at_least_the_audit_retention(days: int, kept: int) -> None:
    assert log_retention(days) == kept


def test_the_external_auditor_door_is_read_only_guarded_and_alarmed() -> None:
    run = shipped_run("eu-dublin")
    role = next(r for r in of_type(run, "aws:iam/role:Role") if r.inputs.get("name") == "enclave-eu-external-auditor")
    [trust] = statements(role, "assumeRolePolicy")
    assert trust["Principal"] == {"AWS": "arn:aws:iam::999999999901:root"}
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "eu-dublin-external-audit-2026"}}
    assert role.inputs["permissionsBoundary"] == one_ring(run, "aws:iam/policy:Policy").outputs["arn"]
    assert role.region == "eu-west-1"
    # The role's inline policies: its grants and, apart, its statements on KMS keys (role_policies).
    policies = [p for p in of_type(run, "aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.id]
    sids = {s["Sid"]: s for policy in policies for s in statements(policy)}
    assert sids["DenyUserDataObjects"]["Effect"] == "Deny" and sids["DenyUserDataKeys"]["Effect"] == "Deny"
    assert not [
        s for s in sids.values() if s["Effect"] == "Allow" and any("Put" in a or "Delete" in a for a in _actions(s))
    ]
    alarms = [
        r for r in of_type(run, "aws:cloudwatch/eventRule:EventRule") if "external-auditor" in r.inputs.get("name", "")
    ]
    assert {r.inputs["name"] for r in alarms} == {
        "enclave-eu-external-auditor-assumed",
        "enclave-eu-external-auditor-used",
    }
    assert all(role.outputs["arn"] in r.inputs["eventPattern"] for r in alarms)


def test_every_shipped_enclave_opens_the_door_to_its_own_auditor(stack: str) -> None:
    jid = stack_config(stack)["enclave:jurisdiction"]
    doors = [
        r
        for r in of_type(shipped_run(stack), "aws:iam/role:Role")
        if r.inputs.get("name", "").endswith("-external-auditor")
    ]
    assert [d.inputs["name"] for d in doors] == [f"enclave-{jid}-external-auditor"]
    [trust] = statements(doors[0], "assumeRolePolicy")
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": f"{stack}-external-audit-2026"}}


def test_without_an_external_auditor_there_is_no_door() -> None:
    names = {
        r.inputs.get("name", "")
        for r in of_type(run_with("uk-london", enclave__externalAuditor=None), "aws:iam/role:Role")
    }
    assert names and not [n for n in names if n.endswith("-external-auditor")]


def _actions(statement: dict[str, object]) -> list[str]:
    action = statement.get("Action", [])
    if isinstance(action, str):
        return [action]
    assert isinstance(action, list), action
    return [str(a) for a in action]


def test_a_bad_external_auditor_stops_the_program_before_any_resource() -> None:
    run = run_with("eu-dublin", enclave__externalAuditor='{"accountId": "111111111101", "externalId": "eu-2026"}')
    assert run.error == (
        "enclave:externalAuditor: accountId '111111111101' is the enclave's own account; "
        "allowed: a third party's account"
    )
    assert [r.type for r in run.resources if r.custom] == []


def test_the_continuous_auditor_writes_only_evidence_and_reports_only_at_home(stack: str) -> None:
    """It reads every region (like the auditor), so every write it may make is pinned to the home region."""
    run = shipped_run(stack)
    jid = stack_config(stack)["enclave:jurisdiction"]
    role = next(
        r for r in of_type(run, "aws:iam/role:Role") if r.inputs.get("name") == f"enclave-{jid}-continuous-auditor"
    )
    policies = [p for p in of_type(run, "aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.id]
    reads = ("Get", "List", "Describe", "LookupEvents", "FilterLogEvents")
    writes = {
        a: s
        for policy in policies
        for s in statements(policy)
        if s["Effect"] == "Allow"
        for a in _actions(s)
        if not a.split(":")[1].startswith(reads)
    }
    assert set(writes) == {
        "config:PutEvaluations",
        "securityhub:BatchImportFindings",
        "s3:PutObject",
        "kms:GenerateDataKey",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    home = _home(stack)
    account = stack_config(stack)["enclave:accountId"]
    assert sorted(writes["logs:PutLogEvents"]["Resource"]) == [
        f"arn:aws:logs:{home}:{account}:log-group:/aws/lambda/enclave-{jid}-{kind}:*"
        for kind in ("config-rules", "evidence")
    ]
    assert writes["config:PutEvaluations"]["Condition"] == {"StringEquals": {"aws:RequestedRegion": home}}
    assert f":securityhub:{home}:" in writes["securityhub:BatchImportFindings"]["Resource"]
    assert writes["s3:PutObject"]["Resource"].endswith(f"/evidence/{jid}/*")
