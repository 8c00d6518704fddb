"""The auditor role can make every call `enclave audit` makes, in every region, and nothing more.

Read back from the registered inputs of every shipped stack: the auditor's inline policy and the
permissions boundary, evaluated together (tests/components/iam_eval.py, fail-closed).
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from typing import Any

import pytest

from adapters.aws_live import iam_actions, iam_policy
from components.policy import OBJECT_DATA_ACTIONS
from components.principals import AUDITING_PURPOSES, ROLE_PURPOSES
from residency.jurisdictions import default_catalogue
from residency.policy_documents import covers
from residency.regions import AWS_COMMERCIAL_REGIONS
from tests.components import iam_eval
from tests.components.enclave_runs import (
    PROJECT_DIR,
    as_list,
    enclave_stacks,
    one_ring,
    ring_resources,
    shipped_run,
    stack_config,
    statements,
)
from tests.components.test_access import DATA_ACTIONS, principals, role_policy

STACKS = enclave_stacks()
INLINE_ROLE_POLICY_MAX = 10_240  # IAM: all inline policies of one role, whitespace not counted
MANAGED_POLICY_MAX = 6_144


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def live_audit_actions() -> list[str]:
    (statement,) = iam_policy()["Statement"]
    return list(statement["Action"])


def boundary(stack: str) -> list[dict[str, Any]]:
    return statements(one_ring(shipped_run(stack), "aws:iam/policy:Policy"))


def regions(stack: str) -> tuple[list[str], list[str]]:
    """(the jurisdiction's regions, every other commercial region)."""
    inside = default_catalogue().get(stack_config(stack)["enclave:jurisdiction"]).sorted_regions()
    return inside, sorted(AWS_COMMERCIAL_REGIONS - set(inside))


def test_the_auditor_may_make_every_live_audit_call_in_every_region(stack: str) -> None:
    identity = list(role_policy(stack, "auditor").values())
    auditor = principals(stack).role_arn("auditor")
    inside, outside = regions(stack)
    refused = [
        (action, region)
        for region in [*inside, *outside]
        for action in live_audit_actions()
        if not iam_eval.allowed([identity, boundary(stack)], action, iam_eval.context(auditor, region))
    ]
    assert refused == []
    # The global control planes the auditor calls from fixed regions, outside most jurisdictions.
    for action, region in (
        ("cloudfront:ListDistributions", "us-east-1"),
        ("s3:ListMultiRegionAccessPoints", "us-west-2"),
    ):
        assert iam_eval.allowed([identity, boundary(stack)], action, iam_eval.context(auditor, region))


def test_the_auditor_grant_is_the_live_auditors_own_list(stack: str) -> None:
    """One source: the role and the boundary carry exactly what `enclave audit --print-iam-policy` prints."""
    assert role_policy(stack, "auditor")["LiveResidencyAudit"]["Action"] == live_audit_actions()
    by_sid = {s["Sid"]: s for s in boundary(stack)}
    # What ReadConfiguration already allows every role is not repeated (the boundary's size limit).
    assert by_sid["AuditorLiveResidencyAudit"]["Action"] == [
        a for a in live_audit_actions() if not covers(by_sid["ReadConfiguration"]["Action"], a)
    ]
    together = [*by_sid["AuditorLiveResidencyAudit"]["Action"], *by_sid["ReadConfiguration"]["Action"]]
    assert all(covers(together, a) for a in live_audit_actions())
    # The auditing roles: the auditor, the continuous auditor (Lambda) and the external auditor.
    assert by_sid["AuditorLiveResidencyAudit"]["Condition"] == {
        "ArnEquals": {"aws:PrincipalArn": [principals(stack).role_arn(p) for p in AUDITING_PURPOSES]}
    }


@pytest.mark.parametrize("purpose", [p for p in ROLE_PURPOSES if p != "auditor"])
def test_other_roles_stay_denied_outside_the_jurisdiction(stack: str, purpose: str) -> None:
    """The boundary exempts only the auditor: every other role is denied every live-audit call elsewhere."""
    arn = principals(stack).role_arn(purpose)
    inside, outside = regions(stack)
    reads = [a for a in live_audit_actions() if not a.startswith(("sts:", "iam:"))]
    assert all(iam_eval.denied(boundary(stack), a, iam_eval.context(arn, r)) for a in reads for r in outside)
    assert not any(iam_eval.denied(boundary(stack), a, iam_eval.context(arn, inside[0])) for a in reads)
    # And the auditor-only boundary grant does not reach them, even in the jurisdiction.
    assert not iam_eval.allowed([boundary(stack)], "backup:ListBackupVaults", iam_eval.context(arn, inside[0]))


def test_a_look_alike_principal_gets_no_exemption(stack: str) -> None:
    p = principals(stack)
    other_account = p.role_arn("auditor").replace(p.account_id, "999999999999")
    for arn in (other_account, p.role_arn("auditor") + "-admin", p.deploy_role_arn):
        assert iam_eval.denied(boundary(stack), "ec2:DescribeVpcs", iam_eval.context(arn, regions(stack)[1][0]))


def test_the_auditor_identity_policy_grants_only_reads(stack: str) -> None:
    """What makes the region exemption safe: every action the auditor is allowed is a read."""
    allowed = [
        a for s in role_policy(stack, "auditor").values() if s["Effect"] == "Allow" for a in as_list(s["Action"])
    ]
    reads = ("Get", "List", "Describe", "LookupEvents", "FilterLogEvents")
    # kms:Decrypt is scoped to the audit key (reading the trail's evidence), checked by the resource below.
    assert [a for a in allowed if not a.split(":")[1].startswith(reads) and a != "kms:Decrypt"] == []
    decrypting = [
        s for s in role_policy(stack, "auditor").values() if s["Effect"] == "Allow" and "kms:Decrypt" in s["Action"]
    ]
    audit_key = next(
        k.outputs["arn"] for k in ring_resources(shipped_run(stack), "aws:kms/key:Key") if k.name.endswith("-audit")
    )
    assert [s["Resource"] for s in decrypting] == [audit_key]


@pytest.mark.parametrize("purpose", ROLE_PURPOSES)
def test_no_enclave_role_can_create_a_role(stack: str, purpose: str) -> None:
    """The SCP exemption trusts the name enclave-*-auditor: no enclave role may make a role of that name."""
    arn = principals(stack).role_arn(purpose)
    home = regions(stack)[0][0]
    for action in ("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"):
        assert not iam_eval.allowed([boundary(stack)], action, iam_eval.context(arn, home))


def test_no_live_audit_action_reads_objects_or_uses_keys() -> None:
    actions = iam_actions()
    assert [a for a in actions if "*" in a] == []
    assert [a for a in actions if a in DATA_ACTIONS] == []
    assert [a for a in actions if any(fnmatch.fnmatchcase(a, pattern) for pattern in OBJECT_DATA_ACTIONS)] == []
    # KMS: key metadata only (list, describe, rotation status, the key policy), never a cryptographic operation.
    assert {a for a in actions if a.startswith("kms:")} <= {
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:GetKeyRotationStatus",
        "kms:GetKeyPolicy",
    }


def test_the_auditor_keeps_its_explicit_denies_on_user_data(stack: str) -> None:
    policy = role_policy(stack, "auditor")
    assert "s3:GetObject*" in policy["DenyUserDataObjects"]["Action"]
    assert set(policy["DenyUserDataKeys"]["Action"]) == {
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
    }
    identity = list(policy.values())
    auditor = principals(stack).role_arn("auditor")
    for action in ("s3:GetObject", "kms:Decrypt", "kms:GenerateDataKey"):
        assert iam_eval.denied(identity, action, iam_eval.context(auditor, regions(stack)[0][0]))


def test_policies_fit_the_iam_size_limits(stack: str) -> None:
    run = shipped_run(stack)
    role = next(r for r in run.resources if r.inputs.get("name") == principals(stack).role_name("auditor"))
    inline = [r for r in run.resources if r.type == "aws:iam/rolePolicy:RolePolicy" and r.inputs["role"] == role.id]
    size = sum(len("".join(json.dumps(json.loads(p.inputs["policy"])).split())) for p in inline)
    assert size <= INLINE_ROLE_POLICY_MAX, size
    managed = one_ring(run, "aws:iam/policy:Policy").inputs["policy"]
    assert len("".join(managed.split())) <= MANAGED_POLICY_MAX
    assert as_list(role.inputs.get("managedPolicyArns", [])) == []


def test_the_program_does_not_load_botocore() -> None:
    """The auditor's action table reaches the Pulumi program without botocore (imported only to call AWS)."""
    code = "import sys, components.access, components.boundary; print('botocore' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
