"""The deploy role is code: the org stack creates one per enclave account, bounded, trusted only by the CI of
that stack's protected environment and by break-glass, with no path to user records.

Read back from the org stack's plan and judged with the project's IAM evaluator (fail-closed). On main before
issue 10 the project did not define the deploy role at all.
"""

from __future__ import annotations

import fnmatch
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from components.org_guardrails import OrgGuardrailsArgs, scp_documents
from components.principals import EnclavePrincipals
from enclave.offline.model import CapturedResource, ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from residency.identity import GITHUB_OIDC_HOST, ci_subject
from residency.jurisdictions import default_catalogue
from tests.components import iam_eval
from tests.components.enclave_runs import enclave_stacks, shipped_run, stack_config

ROOT = Path(__file__).resolve().parents[2]
STACKS = enclave_stacks()


@cache
def org_run() -> ProgramRun:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "org")
    run = run_program(ROOT, "org", config, secret_keys=secrets)
    assert run.error is None, run.error
    return run


def _of(token: str) -> list[CapturedResource]:
    return [r for r in org_run().resources if r.type == token]


def _provider_account(resource: CapturedResource) -> str:
    [provider] = [p for p in _of("pulumi:providers:aws") if p.urn == resource.provider]
    [account] = json.loads(provider.inputs["allowedAccountIds"])
    return str(account)


def _deploy_role(stack: str) -> CapturedResource:
    account = stack_config(stack)["enclave:accountId"]
    [role] = [r for r in _of("aws:iam/role:Role") if _provider_account(r) == account]
    return role


def _doc(resource: CapturedResource, key: str) -> list[dict[str, Any]]:
    return list(json.loads(resource.inputs[key])["Statement"])


def _boundary(stack: str) -> list[dict[str, Any]]:
    role = _deploy_role(stack)
    [policy] = [p for p in _of("aws:iam/policy:Policy") if p.outputs["arn"] == role.inputs["permissionsBoundary"]]
    return _doc(policy, "policy")


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_enclave_account_gets_a_protected_bounded_deploy_role(stack: str) -> None:
    role = _deploy_role(stack)
    assert role.inputs["name"] == "enclave-deploy" and role.protect
    assert role.inputs["permissionsBoundary"] and role.inputs["maxSessionDuration"] == 3600
    # Created in that account through its bootstrap role, never by hand.
    [provider] = [p for p in _of("pulumi:providers:aws") if p.urn == role.provider]
    [assume] = json.loads(provider.inputs["assumeRoles"])
    assert (
        assume["roleArn"]
        == f"arn:aws:iam::{stack_config(stack)['enclave:accountId']}:role/OrganizationAccountAccessRole"
    )


def test_only_the_protected_environments_ci_and_break_glass_may_assume(stack: str) -> None:
    trust = {s["Sid"]: s for s in _doc(_deploy_role(stack), "assumeRolePolicy")}
    assert set(trust) == {"ProtectedEnvironmentCi", "BreakGlass"}
    ci = trust["ProtectedEnvironmentCi"]
    [oidc] = [
        o
        for o in _of("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
        if _provider_account(o) == _provider_account(_deploy_role(stack))
    ]
    # IAM's ARN of that provider (oidc-provider/<host>), built from its URL so the trust is known at preview.
    account = stack_config(stack)["enclave:accountId"]
    assert ci["Principal"] == {"Federated": f"arn:aws:iam::{account}:oidc-provider/{GITHUB_OIDC_HOST}"}
    assert oidc.outputs["arn"] == ci["Principal"]["Federated"] and oidc.inputs["url"] == f"https://{GITHUB_OIDC_HOST}"
    assert ci["Condition"] == {
        "StringEquals": {
            f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
            f"{GITHUB_OIDC_HOST}:sub": ci_subject("example-org/regional-enclaves", stack),
        }
    }
    p = EnclavePrincipals(
        stack_config(stack)["enclave:accountId"], stack_config(stack)["enclave:jurisdiction"], "enclave-deploy"
    )
    assert trust["BreakGlass"]["Principal"] == {"AWS": p.role_arn("break-glass")}
    home = stack_config(stack)["aws:region"]
    assert iam_eval.may_assume([trust["BreakGlass"]], iam_eval.context(p.role_arn("break-glass"), home))
    assert not iam_eval.may_assume(
        [trust["BreakGlass"]],
        iam_eval.context(p.role_arn("break-glass"), "us-west-2" if home != "us-west-2" else "eu-west-1"),
    )


def test_the_deploy_boundary_closes_every_path_to_records(stack: str) -> None:
    boundary, home = _boundary(stack), stack_config(stack)["aws:region"]
    p = EnclavePrincipals(
        stack_config(stack)["enclave:accountId"], stack_config(stack)["enclave:jurisdiction"], "enclave-deploy"
    )
    me = p.deploy_role_arn
    by_sid = {s["Sid"]: s for s in boundary}
    # Objects of every enclave bucket: the pattern covers the records bucket the enclave stack creates.
    records = next(
        b.outputs["arn"]
        for b in shipped_run(stack).resources
        if b.type == "aws:s3/bucket:Bucket" and "-records" in b.name
    )
    assert any(fnmatch.fnmatchcase(records + "/x", r) for r in by_sid["DenyEnclaveObjects"]["Resource"])
    # ... and the same objects through the records access point, whose ARN IAM evaluates for such a request.
    [point] = [a.outputs["arn"] for a in shipped_run(stack).resources if a.type == "aws:s3/accessPoint:AccessPoint"]
    assert any(fnmatch.fnmatchcase(point + "/object/x", r) for r in by_sid["DenyEnclaveObjects"]["Resource"])
    assert iam_eval.denied([by_sid["DenyEnclaveObjects"]], "s3:GetObject", iam_eval.context(me, home))
    # The records key's data actions, found by its alias.
    alias = f"alias/enclave-{p.jurisdiction_id}-records"
    assert iam_eval.denied(boundary, "kms:Decrypt", iam_eval.context(me, home, kms__ResourceAliases=[alias]))
    # Becoming one of the people.
    assert iam_eval.denied(boundary, "sts:AssumeRole", iam_eval.context(me, home))
    assert p.role_arn("operator") in by_sid["DenyBecomingPeople"]["Resource"]
    # A role without an enclave boundary, or with a made-up one; a user; removing a boundary.
    boundaries = by_sid["DenyUnboundedRoles"]["Condition"]["ArnNotEquals"]["iam:PermissionsBoundary"]
    for made_up in (f"arn:aws:iam::{p.account_id}:policy/anything", "arn:aws:iam::aws:policy/AdministratorAccess"):
        assert iam_eval.denied(boundary, "iam:CreateRole", iam_eval.context(me, home, iam__PermissionsBoundary=made_up))
    for allowed in boundaries:
        context = iam_eval.context(me, home, iam__PermissionsBoundary=allowed)
        assert not iam_eval.denied([by_sid["DenyUnboundedRoles"]], "iam:CreateRole", context)
    for action in ("iam:CreateUser", "iam:DeleteRolePermissionsBoundary"):
        assert iam_eval.denied(boundary, action, iam_eval.context(me, home))
    # The jurisdiction tag, and changing itself.
    assert iam_eval.denied(boundary, "iam:TagRole", iam_eval.context(me, home, aws__TagKeys=["jurisdiction"]))
    assert me in by_sid["DenySelfChange"]["Resource"]


def test_the_scp_repeats_the_data_denies_whatever_policies_the_deployer_writes(stack: str) -> None:
    """Even after rewriting a key or bucket policy to admit itself, the deploy role is refused (SCP)."""
    jid, account = stack_config(stack)["enclave:jurisdiction"], stack_config(stack)["enclave:accountId"]
    guard = json.loads(
        scp_documents(default_catalogue().get(jid), OrgGuardrailsArgs({}, enclave_accounts={jid: (account,)}))[
            "identity-guard"
        ]
    )["Statement"]
    me = EnclavePrincipals(account, jid, "enclave-deploy").deploy_role_arn
    home = stack_config(stack)["aws:region"]
    assert iam_eval.denied(guard, "s3:GetObject", iam_eval.context(me, home))
    assert iam_eval.denied(
        guard, "kms:Decrypt", iam_eval.context(me, home, kms__ResourceAliases=[f"alias/enclave-{jid}-records"])
    )
    assert iam_eval.denied(guard, "sts:AssumeRole", iam_eval.context(me, home))
    # The records objects directly and through the records access point (judged against the access point's ARN).
    [resource] = [s["Resource"] for s in guard if s.get("Sid") == "DenyDeployerRecords"]
    records = resource if isinstance(resource, list) else [resource]
    run = shipped_run(stack).resources
    [bucket] = [b.outputs["arn"] for b in run if b.type == "aws:s3/bucket:Bucket" and "-records" in b.name]
    [point] = [a.outputs["arn"] for a in run if a.type == "aws:s3/accessPoint:AccessPoint"]
    for target in (f"{bucket}/x", f"{point}/object/x"):
        assert any(fnmatch.fnmatchcase(target, pattern) for pattern in records), target


def test_key_and_bucket_policy_changes_are_alarmed(stack: str) -> None:
    [rule] = [
        r
        for r in shipped_run(stack).resources
        if r.type == "aws:cloudwatch/eventRule:EventRule" and r.inputs["name"].endswith("guardrail-changed")
    ]
    names = json.loads(rule.inputs["eventPattern"])["detail"]["eventName"]
    assert {
        "PutKeyPolicy",
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "UpdateAssumeRolePolicy",
        "CreatePolicyVersion",
    } <= set(names)


@pytest.mark.parametrize(
    ("override", "value"),
    [({"enclave:ciRepository": "not a repo"}, "'not a repo'"), ({"enclave:ciRepository": ""}, "''")],
)
def test_a_bad_ci_repository_stops_with_one_line(override: dict[str, str], value: str) -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "org")
    config.update(override)
    run = run_program(ROOT, "org", config, secret_keys=secrets)
    assert run.error is not None and "enclave:ciRepository" in run.error and value in run.error
    assert "\n" not in run.error.strip()
