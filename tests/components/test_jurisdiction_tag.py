"""No principal can give itself (or anyone) the jurisdiction tag that admits people to user records.

Two layers, each judged with the project's IAM evaluator (tests/components/iam_eval.py, fail-closed): the
permissions boundary every enclave role carries (read back from every shipped stack), and the identity-guard
SCP of every jurisdiction's OU, which exempts only the identity administration role of the OU's accounts.
On main before issue 10 neither denied it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.org_guardrails import OrgGuardrailsArgs, scp_documents
from components.principals import ROLE_PURPOSES, EnclavePrincipals
from residency.identity import JURISDICTION_TAG_ACTIONS
from residency.jurisdictions import default_catalogue
from tests.components import iam_eval
from tests.components.enclave_runs import enclave_stacks, one_ring, shipped_run, stack_config, statements
from tests.components.test_access import principals

STACKS = enclave_stacks()
# Tag keys as a caller would send them: IAM tag keys are case-insensitive, so every spelling must be refused.
ADMITTING_KEYS = [["jurisdiction"], ["Jurisdiction"], ["JURISDICTION"], ["team", "jurisdiction"]]


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _boundary(stack: str) -> list[dict[str, Any]]:
    return statements(one_ring(shipped_run(stack), "aws:iam/policy:Policy"))


@pytest.mark.parametrize("purpose", ROLE_PURPOSES)
def test_the_boundary_denies_every_enclave_role_the_tag(stack: str, purpose: str) -> None:
    arn, home = principals(stack).role_arn(purpose), stack_config(stack)["aws:region"]
    for action in JURISDICTION_TAG_ACTIONS:
        for keys in ADMITTING_KEYS:
            assert iam_eval.denied(_boundary(stack), action, iam_eval.context(arn, home, aws__TagKeys=keys)), (
                action,
                keys,
            )


def test_the_boundary_leaves_other_tags_to_the_role_policies(stack: str) -> None:
    """The deny is about the one key: tagging with other keys is neither denied by it nor granted."""
    arn, home = principals(stack).role_arn("operator"), stack_config(stack)["aws:region"]
    context = iam_eval.context(arn, home, aws__TagKeys=["team"])
    assert not iam_eval.denied(_boundary(stack), "iam:TagRole", context)
    assert not iam_eval.allowed([_boundary(stack)], "iam:TagRole", context)


ACCOUNT = "111111111101"


def _identity_guard(jid: str) -> list[dict[str, Any]]:
    args = OrgGuardrailsArgs({}, enclave_accounts={jid: (ACCOUNT,)})
    return list(json.loads(scp_documents(default_catalogue().get(jid), args)["identity-guard"])["Statement"])


@pytest.mark.parametrize("jid", default_catalogue().ids())
def test_the_scp_denies_everyone_but_the_identity_administrator(jid: str) -> None:
    guard = _identity_guard(jid)
    p = EnclavePrincipals(ACCOUNT, jid, "enclave-deploy")
    region = default_catalogue().get(jid).home_region
    everyone_else = [
        *(p.role_arn(purpose) for purpose in ROLE_PURPOSES),
        p.deploy_role_arn,
        p.account_root,
        f"arn:aws:iam::{ACCOUNT}:user/someone",
        "arn:aws:iam::999999999999:role/enclave-identity-admin",  # the right name in another account
        f"arn:aws:iam::{ACCOUNT}:role/enclave-identity-admin-2",
    ]
    for arn in everyone_else:
        for action in JURISDICTION_TAG_ACTIONS:
            for keys in ADMITTING_KEYS:
                assert iam_eval.denied(guard, action, iam_eval.context(arn, region, aws__TagKeys=keys)), (arn, action)
    admin = f"arn:aws:iam::{ACCOUNT}:role/enclave-identity-admin"
    for action in JURISDICTION_TAG_ACTIONS:
        context = iam_eval.context(admin, region, aws__TagKeys=["jurisdiction"])
        # (The evaluator applies a Deny whatever its resources, so only the tag statement is judged here: the
        # role-change statements name other roles.)
        assert "DenyJurisdictionTagChanges" not in [s["Sid"] for s in guard if iam_eval.denied([s], action, context)]


@pytest.mark.parametrize("jid", default_catalogue().ids())
def test_no_one_but_its_owner_creates_or_changes_the_trusted_roles(jid: str) -> None:
    """The SCP exemptions trust the deploy, identity-admin and auditor role names in the OU's accounts."""
    guard = _identity_guard(jid)
    region = default_catalogue().get(jid).home_region
    p = EnclavePrincipals(ACCOUNT, jid, "enclave-deploy")
    bootstrap = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"
    for action in (
        "iam:CreateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePermissionsBoundary",
    ):
        for arn in (p.role_arn("operator"), p.account_root, f"arn:aws:iam::{ACCOUNT}:user/someone"):
            assert iam_eval.denied(guard, action, iam_eval.context(arn, region))
        # The owners: the bootstrap role for the deploy role, the deploy role for the auditor role.
        deploy_sids = {"DenyDeployRoleChanges"}
        assert (
            not {s["Sid"] for s in guard if iam_eval.denied([s], action, iam_eval.context(bootstrap, region))}
            & deploy_sids
        )
        assert not {
            s["Sid"] for s in guard if iam_eval.denied([s], action, iam_eval.context(p.deploy_role_arn, region))
        } & {"DenyAuditorRoleChanges"}
