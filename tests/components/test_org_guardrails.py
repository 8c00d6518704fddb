"""Organisation guardrails: SCP documents from the catalogue, the component, and the org stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.aws_live import iam_actions
from components.org_guardrails import (
    GLOBAL_SERVICE_ACTIONS,
    REPLICATION_ACTIONS,
    SCP_MAX_CHARS,
    OrgGuardrailsArgs,
    parse_organizational_units,
    scp_documents,
)
from components.principals import ROLE_PURPOSES, EnclavePrincipals
from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from residency.errors import ConfigError
from residency.jurisdictions import default_catalogue
from residency.regions import AWS_COMMERCIAL_REGIONS
from tests.components import iam_eval

ROOT = Path(__file__).resolve().parents[2]
# Two enclave accounts per jurisdiction: the exemptions name each.
ACCOUNTS = {jid: ("111111111111", "333333333333") for jid in default_catalogue().ids()}
LONGEST = OrgGuardrailsArgs(
    {},
    deploy_role_name="r" * 64,
    audit_bucket_pattern="enclave-*-" + "a" * 40 + "-*",
    enclave_accounts=ACCOUNTS,
    identity_admin_role_name="i" * 64,
    bootstrap_role_name="b" * 64,
)
ARGS = OrgGuardrailsArgs({}, enclave_accounts=ACCOUNTS)


@pytest.mark.parametrize("jid", default_catalogue().ids())
def test_every_scp_fits_the_size_limit(jid: str) -> None:
    for kind, doc in scp_documents(default_catalogue().get(jid), LONGEST).items():
        assert len(doc) <= SCP_MAX_CHARS, f"{jid} {kind}: {len(doc)}"
        assert json.loads(doc)["Version"] == "2012-10-17"


def test_region_guard_denies_everything_outside_the_jurisdiction_except_global_services() -> None:
    eu = default_catalogue().get("eu")
    (statement,) = json.loads(scp_documents(eu, ARGS)["region-guard"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Resource"] == "*"
    assert statement["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": eu.sorted_regions()},
        "ArnNotEquals": {
            "aws:PrincipalARN": [
                "arn:aws:iam::111111111111:role/enclave-eu-auditor",
                "arn:aws:iam::333333333333:role/enclave-eu-auditor",
            ]
        },
    }
    assert set(statement["NotAction"]) == set(GLOBAL_SERVICE_ACTIONS)
    # Key custody and edge caching are never exempt from the region deny.
    assert not [
        a
        for a in statement["NotAction"]
        if a.startswith(("kms:", "cloudfront:", "s3:Put", "s3:Get")) and "Account" not in a
    ]
    assert all(reason for reason in GLOBAL_SERVICE_ACTIONS.values())


def _region_guard(jid: str) -> list[dict[str, object]]:
    return list(json.loads(scp_documents(default_catalogue().get(jid), ARGS)["region-guard"])["Statement"])


@pytest.mark.parametrize("jid", default_catalogue().ids())
def test_region_guard_lets_every_enclave_auditor_read_every_region(jid: str) -> None:
    """The live auditor scans every commercial region for strays: the SCP must not refuse any of its calls."""
    guard = _region_guard(jid)
    for account in ACCOUNTS[jid]:  # each enclave account of the OU
        auditor = EnclavePrincipals(account, jid, "enclave-deploy").role_arn("auditor")
        refused = [
            (action, region)
            for region in sorted(AWS_COMMERCIAL_REGIONS)
            for action in iam_actions()
            if iam_eval.denied(guard, action, iam_eval.context(auditor, region))
        ]
        assert refused == []


@pytest.mark.parametrize("jid", default_catalogue().ids())
def test_region_guard_still_denies_every_other_principal_outside_the_jurisdiction(jid: str) -> None:
    guard, jurisdiction = _region_guard(jid), default_catalogue().get(jid)
    outside = sorted(AWS_COMMERCIAL_REGIONS - set(jurisdiction.regions))
    p = EnclavePrincipals("111111111111", jid, "enclave-deploy")
    others = [
        *(p.role_arn(purpose) for purpose in ROLE_PURPOSES if purpose != "auditor"),
        p.deploy_role_arn,
        p.account_root,
        p.role_arn("auditor") + "-admin",  # the exemption is the exact name, not a prefix
        p.role_arn("auditor").replace("111111111111", "222222222222"),  # a look-alike outside the OU's accounts
        EnclavePrincipals("111111111111", "xx", "enclave-deploy").role_arn("auditor"),  # another jurisdiction's name
        "arn:aws:iam::111111111111:role/auditor",
        "arn:aws:iam::111111111111:user/enclave-eu-auditor",
    ]
    for arn in others:
        for action in ("ec2:RunInstances", "s3:CreateBucket", "kms:CreateKey", "ec2:DescribeVpcs"):
            assert all(iam_eval.denied(guard, action, iam_eval.context(arn, r)) for r in outside), (arn, action)
            assert not iam_eval.denied(guard, action, iam_eval.context(arn, jurisdiction.sorted_regions()[0]))


def test_data_guard_protects_trail_audit_bucket_keys_and_replication() -> None:
    doc = json.loads(
        scp_documents(
            default_catalogue().get("uk"), OrgGuardrailsArgs({}, deploy_role_name="deployer", enclave_accounts=ACCOUNTS)
        )["data-guard"]
    )
    by_sid = {s["Sid"]: s for s in doc["Statement"]}
    assert {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail"} <= set(by_sid["DenyStopTrail"]["Action"])
    assert "Condition" not in by_sid["DenyStopTrail"], "nobody may stop the trail"
    assert "s3:DeleteBucket" in by_sid["DenyDeleteAudit"]["Action"]
    assert by_sid["DenyDeleteAudit"]["Resource"][0] == "arn:aws:s3:::enclave-*-audit-logs-*"
    assert set(by_sid["DenyKeyDestruction"]["Action"]) == {"kms:ScheduleKeyDeletion", "kms:DisableKey"}
    replication = by_sid["DenyReplication"]
    assert "s3:PutReplicationConfiguration" in replication["Action"] and set(replication["Action"]) == set(
        REPLICATION_ACTIONS
    )
    assert replication["Condition"] == {
        "ArnNotEquals": {
            "aws:PrincipalARN": ["arn:aws:iam::111111111111:role/deployer", "arn:aws:iam::333333333333:role/deployer"]
        }
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "must map jurisdiction ids"),
        ({"atlantis": "ou-ab12-cdef3456"}, "unknown jurisdiction 'atlantis'"),
        ({"eu": "ou-AB"}, "'ou-AB' is not an OU id"),
    ],
)
def test_bad_organizational_units_name_the_value(raw: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        parse_organizational_units(raw, default_catalogue())
    assert err.value.key == "enclave:organizationalUnits"


def _org_run(config_override: dict[str, str] | None = None) -> ProgramRun:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "org")
    config.update(config_override or {})
    return run_program(ROOT, "org", config, secret_keys=secrets)


def test_org_stack_attaches_three_protected_scps_per_ou() -> None:
    run = _org_run()
    assert run.error is None
    policies = [r for r in run.resources if r.type == "aws:organizations/policy:Policy"]
    attachments = [r for r in run.resources if r.type == "aws:organizations/policyAttachment:PolicyAttachment"]
    units = parse_organizational_units(json.loads(run.config["enclave:organizationalUnits"]), default_catalogue())
    assert len(policies) == len(attachments) == 3 * len(units)
    assert all(
        p.inputs["type"] == "SERVICE_CONTROL_POLICY" and len(p.inputs["content"]) <= SCP_MAX_CHARS for p in policies
    )
    assert all(p.protect for p in policies) and all(a.protect for a in attachments)
    assert {a.inputs["targetId"] for a in attachments} == set(units.values())
    # The Organizations provider (the deploy roles' providers, one per enclave account, are tested in
    # test_deploy_role.py).
    (provider,) = [r for r in run.resources if r.type == "pulumi:providers:aws" and "deploy-roles" not in r.urn]
    assert provider.inputs["region"] == run.config["aws:region"]
    assert json.loads(provider.inputs["allowedAccountIds"]) == [run.config["enclave:accountId"]]
    assert all(r.provider == provider.urn for r in policies + attachments)


@pytest.mark.parametrize(
    ("override", "key", "value"),
    [
        (
            {"enclave:organizationalUnits": json.dumps({"eu": "not-an-ou"})},
            "enclave:organizationalUnits",
            "'not-an-ou'",
        ),
        ({"enclave:accountId": "12345"}, "enclave:accountId", "'12345'"),
        ({"aws:region": "mars-north-1"}, "aws:region", "'mars-north-1'"),
    ],
)
def test_org_stack_with_bad_config_stops_with_one_line(override: dict[str, str], key: str, value: str) -> None:
    run = _org_run(override)
    assert run.error is not None and key in run.error and value in run.error
    assert "\n" not in run.error.strip()
