"""What the enclave's IAM documents actually allow: read back from the registered inputs of every stack."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest

from components.principals import AUDITING_PURPOSES, EnclavePrincipals
from tests.components.enclave_runs import (
    as_list,
    enclave_stacks,
    one_ring,
    ring_resources,
    shipped_run,
    stack_config,
    statements,
)

STACKS = enclave_stacks()
# Data actions: a wildcard in an Allow statement that matches any of them grants more than the listed ones.
DATA_ACTIONS = (
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:RestoreObject",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)


def is_data_wildcard(action: str) -> bool:
    return "*" in action and any(fnmatch.fnmatchcase(data, action) for data in DATA_ACTIONS)


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def principals(stack: str) -> EnclavePrincipals:
    config = stack_config(stack)
    return EnclavePrincipals(config["enclave:accountId"], config["enclave:jurisdiction"], "enclave-deploy")


def role_policy(stack: str, purpose: str) -> dict[str, dict[str, Any]]:
    """Statements of the inline policies of the ``purpose`` role, by Sid (its S3 grants and, apart, its
    statements on KMS keys: components.policy.role_policies). IAM evaluates them together."""
    run = shipped_run(stack)
    role = next(
        r
        for r in ring_resources(run, "aws:iam/role:Role")
        if r.inputs.get("name") == principals(stack).role_name(purpose)
    )
    policies = [p for p in ring_resources(run, "aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.id]
    assert sorted(p.name for p in policies) == [f"{role.name}-policy", f"{role.name}-policy-keys"]
    return {s["Sid"]: s for policy in policies for s in statements(policy)}


def trust(stack: str, purpose: str) -> dict[str, Any]:
    run = shipped_run(stack)
    role = next(
        r
        for r in ring_resources(run, "aws:iam/role:Role")
        if r.inputs.get("name") == principals(stack).role_name(purpose)
    )
    [statement] = statements(role, "assumeRolePolicy")
    return statement


def bucket_arn(stack: str, kind: str) -> str:
    run = shipped_run(stack)
    [bucket] = [b for b in ring_resources(run, "aws:s3/bucket:Bucket") if f"-{kind}" in b.name]
    return str(bucket.outputs["arn"])


def test_no_allow_statement_grants_a_wildcard_on_data(stack: str) -> None:
    """Role policies, the boundary, key, bucket and topic policies of the rings (not the Kubernetes layer's)."""
    run = shipped_run(stack)
    documents = [
        *(statements(p) for p in ring_resources(run, "aws:iam/rolePolicy:RolePolicy")),
        *(statements(p) for p in ring_resources(run, "aws:iam/policy:Policy")),
        *(statements(k) for k in ring_resources(run, "aws:kms/key:Key")),
        *(statements(b) for b in ring_resources(run, "aws:s3/bucketPolicy:BucketPolicy")),
        *(statements(t) for t in ring_resources(run, "aws:sns/topicPolicy:TopicPolicy")),
    ]
    # 5 role policies, and the 4 access roles' statements on KMS keys apart (components.policy.role_policies).
    assert len(documents) == 5 + 4 + 1 + 3 + 3 + 1
    wildcards = [
        action
        for document in documents
        for s in document
        if s["Effect"] == "Allow"
        for action in as_list(s.get("Action", []))
        if is_data_wildcard(action)
    ]
    assert wildcards == []


@pytest.mark.parametrize("kubernetes_stack", ["eu-dublin", "uk-london"])
def test_no_policy_in_the_whole_program_allows_a_data_wildcard(kubernetes_stack: str) -> None:
    """Every JSON policy any resource carries, the Kubernetes layer's key and role policies included.

    VPC endpoint policies are left out: an endpoint policy never grants, it only narrows what passes through
    the endpoint (``Action: *`` there means "any action the caller's own policies allow", held to the enclave's
    accounts by its conditions; tests/components/test_data_perimeter.py checks them).
    """
    run = shipped_run(kubernetes_stack)
    found = []
    for resource in run.resources:
        if resource.type == "aws:ec2/vpcEndpoint:VpcEndpoint":
            continue
        for key in ("policy", "assumeRolePolicy"):
            raw = resource.inputs.get(key)
            if not isinstance(raw, str) or not raw.lstrip().startswith("{"):
                continue
            for s in statements(resource, key):
                if s.get("Effect") == "Allow":
                    found += [(resource.name, a) for a in as_list(s.get("Action", [])) if is_data_wildcard(a)]
    assert found == []


def test_operator_needs_mfa_and_the_jurisdiction_tag(stack: str) -> None:
    condition = trust(stack, "operator")["Condition"]
    assert condition["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
    assert condition["StringEquals"] == {"aws:PrincipalTag/jurisdiction": stack_config(stack)["enclave:jurisdiction"]}


@pytest.mark.parametrize("purpose", ["engineer", "auditor", "break-glass"])
def test_every_human_role_needs_mfa(stack: str, purpose: str) -> None:
    statement = trust(stack, purpose)
    assert statement["Principal"] == {"AWS": principals(stack).account_root}
    assert statement["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}


def records_access_point_arn(stack: str) -> str:
    """``arn:aws:s3:<home>:<account>:accesspoint/enclave-<jid>-records``, as IAM names requests through it."""
    config = stack_config(stack)
    jid, home, account = config["enclave:jurisdiction"], config["aws:region"], config["enclave:accountId"]
    return f"arn:aws:s3:{home}:{account}:accesspoint/enclave-{jid}-records"


@pytest.mark.parametrize("purpose", ["operator", "break-glass"])
def test_record_readers_are_granted_the_bucket_and_its_access_point(stack: str, purpose: str) -> None:
    """A request through the access point is authorised against the access point's resources (identity policy)
    and the bucket's (bucket policy): the grant names both, with the same actions."""
    records, point = bucket_arn(stack, "records"), records_access_point_arn(stack)
    grant = role_policy(stack, purpose)["UserRecords"]
    assert grant["Effect"] == "Allow"
    assert grant["Resource"] == [records, records + "/*", point, point + "/object/*"]
    assert grant["Action"] == [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:ListBucket",
        "s3:PutObject",
        "s3:DeleteObject",
    ]


def test_engineer_reads_test_data_and_is_denied_user_records(stack: str) -> None:
    policy = role_policy(stack, "engineer")
    records, testdata = bucket_arn(stack, "records"), bucket_arn(stack, "testdata")
    assert policy["ReadTestData"]["Resource"] == [testdata, testdata + "/*"]
    assert policy["ReadTestData"]["Action"] == ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
    point = records_access_point_arn(stack)
    assert policy["DenyUserRecords"] == {
        "Sid": "DenyUserRecords",
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": [records, records + "/*", point, point + "/object/*"],
    }
    records_key = next(
        k.outputs["arn"] for k in ring_resources(shipped_run(stack), "aws:kms/key:Key") if k.name.endswith("-records")
    )
    assert policy["DenyUserRecordKey"]["Resource"] == records_key
    granted = [r for s in policy.values() if s["Effect"] == "Allow" for r in as_list(s["Resource"])]
    assert records not in granted and records + "/*" not in granted


def test_auditor_reads_evidence_and_configuration_but_no_user_data(stack: str) -> None:
    policy = role_policy(stack, "auditor")
    audit = bucket_arn(stack, "audit-logs")
    assert policy["ReadAuditEvidence"]["Resource"] == [audit, audit + "/*"]
    assert "cloudtrail:LookupEvents" in policy["ReadConfiguration"]["Action"]
    assert "kms:GetKeyRotationStatus" in policy["ReadConfiguration"]["Action"]
    denied = policy["DenyUserDataObjects"]
    assert denied["Effect"] == "Deny" and "s3:GetObject*" in denied["Action"]
    for kind in ("records", "testdata"):
        assert bucket_arn(stack, kind) + "/*" in denied["Resource"]
    assert records_access_point_arn(stack) + "/object/*" in denied["Resource"]
    assert [a for a in policy["ReadConfiguration"]["Action"] if a.startswith("s3:GetObject")] == []


def test_break_glass_use_and_guardrail_changes_are_alarmed_through_an_encrypted_topic(stack: str) -> None:
    run = shipped_run(stack)
    role_arn = principals(stack).role_arn("break-glass")
    rules = ring_resources(run, "aws:cloudwatch/eventRule:EventRule")
    patterns = [json.loads(r.inputs["eventPattern"]) for r in rules]
    assert {
        "eventSource": ["sts.amazonaws.com"],
        "eventName": ["AssumeRole"],
        "requestParameters": {"roleArn": [role_arn]},
    } in [p["detail"] for p in patterns]
    assert {"userIdentity": {"sessionContext": {"sessionIssuer": {"arn": [role_arn]}}}} in [
        p["detail"] for p in patterns
    ]
    guardrails = next(
        p["detail"] for p in patterns if "eventName" in p["detail"] and "StopLogging" in p["detail"]["eventName"]
    )
    assert {"ScheduleKeyDeletion", "PutKeyPolicy", "DeleteBucketPolicy", "DeleteFlowLogs"} <= set(
        guardrails["eventName"]
    )
    assert {"cloudtrail.amazonaws.com", "kms.amazonaws.com", "s3.amazonaws.com", "ec2.amazonaws.com"} <= set(
        guardrails["eventSource"]
    )
    topic = one_ring(run, "aws:sns/topic:Topic")
    audit_key = next(k.outputs["arn"] for k in ring_resources(run, "aws:kms/key:Key") if k.name.endswith("-audit"))
    assert topic.inputs["kmsMasterKeyId"] == audit_key
    targets = ring_resources(run, "aws:cloudwatch/eventTarget:EventTarget")
    assert sorted(t.inputs["rule"] for t in targets) == sorted(r.inputs["name"] for r in rules)
    assert {t.inputs["arn"] for t in targets} == {topic.outputs["arn"]}
    [publish] = statements(one_ring(run, "aws:sns/topicPolicy:TopicPolicy"))
    assert publish["Principal"] == {"Service": "events.amazonaws.com"}
    assert sorted(publish["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(r.outputs["arn"] for r in rules)


def test_key_policies_let_only_the_deploy_role_administer(stack: str) -> None:
    p = principals(stack)
    for key in ring_resources(shipped_run(stack), "aws:kms/key:Key"):
        by_sid = {s["Sid"]: s for s in statements(key)}
        admin = by_sid["DeployRoleAdministersKey"]
        assert admin["Principal"] == {"AWS": p.deploy_role_arn}
        assert "kms:ScheduleKeyDeletion" in admin["Action"]
        forbidden = {"kms:*", "kms:Create*", "kms:CreateGrant", "kms:Decrypt", "kms:Disable*", "kms:DisableKeyRotation"}
        assert forbidden.isdisjoint(admin["Action"])
        use = by_sid["EnclaveRolesUseKeyThroughS3"]
        assert (
            use["Condition"]["StringEquals"]["kms:ViaService"]
            == f"s3.{stack_config(stack)['aws:region']}.amazonaws.com"
        )
        users = use["Condition"]["ArnEquals"]["aws:PrincipalArn"]
        assert p.role_arn("operator") in users
        if key.name.endswith("-records"):
            assert p.role_arn("engineer") not in users
            assert p.role_arn("auditor") not in users


def test_audit_key_serves_the_home_region_services_only(stack: str) -> None:
    region, p = stack_config(stack)["aws:region"], principals(stack)
    audit = next(k for k in ring_resources(shipped_run(stack), "aws:kms/key:Key") if k.name.endswith("-audit"))
    services = {s["Sid"]: s["Principal"] for s in statements(audit) if "Service" in s.get("Principal", {})}
    assert services == {
        "CloudTrailEncryptsEnclaveTrail": {"Service": "cloudtrail.amazonaws.com"},
        "CloudTrailDescribesKey": {"Service": "cloudtrail.amazonaws.com"},
        "CloudWatchLogsInHomeRegion": {"Service": f"logs.{region}.amazonaws.com"},
        "EventBridgePublishesAlarms": {"Service": "events.amazonaws.com"},
    }
    trail = {s["Sid"]: s for s in statements(audit)}["CloudTrailEncryptsEnclaveTrail"]
    assert (
        trail["Condition"]["StringEquals"]["aws:SourceArn"]
        == one_ring(shipped_run(stack), "aws:cloudtrail/trail:Trail").outputs["arn"]
    )
    assert p.account_id in trail["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"]
    # DescribeKey has no encryption context: a context condition there would make trail creation fail.
    describe = {s["Sid"]: s for s in statements(audit)}["CloudTrailDescribesKey"]
    assert describe["Action"] == "kms:DescribeKey"
    assert describe["Condition"] == {
        "StringEquals": {
            "aws:SourceArn": trail["Condition"]["StringEquals"]["aws:SourceArn"],
            "aws:SourceAccount": p.account_id,
        }
    }


def test_boundary_denies_regions_outside_the_jurisdiction(stack: str) -> None:
    from residency.jurisdictions import default_catalogue

    boundary = one_ring(shipped_run(stack), "aws:iam/policy:Policy")
    by_sid = {s["Sid"]: s for s in statements(boundary)}
    jurisdiction = default_catalogue().get(stack_config(stack)["enclave:jurisdiction"])
    outside = by_sid["DenyOutsideJurisdiction"]
    assert outside["Effect"] == "Deny"
    # The auditing roles, and only they, are exempt (they scan every region for strays; see
    # test_access_auditor): the auditor, the continuous auditor and the external auditor.
    assert outside["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": jurisdiction.sorted_regions()},
        "ArnNotEquals": {"aws:PrincipalArn": [principals(stack).role_arn(p) for p in AUDITING_PURPOSES]},
    }
    assert "cloudtrail:StopLogging" in by_sid["DenyGuardrailChanges"]["Action"]
    assert by_sid["DataActionsOnThisAccountOnly"]["Condition"] == {
        "StringEquals": {"aws:ResourceAccount": stack_config(stack)["enclave:accountId"]}
    }


def test_audit_bucket_admits_cloudtrail_for_this_trail_only(stack: str) -> None:
    run = shipped_run(stack)
    trail_arn = one_ring(run, "aws:cloudtrail/trail:Trail").outputs["arn"]
    audit = bucket_arn(stack, "audit-logs")
    policies = [
        p
        for p in ring_resources(run, "aws:s3/bucketPolicy:BucketPolicy")
        if "CloudTrailWrite" in {s["Sid"] for s in statements(p)}
    ]
    [policy] = policies
    write = {s["Sid"]: s for s in statements(policy)}["CloudTrailWrite"]
    assert write["Resource"] == f"{audit}/AWSLogs/{stack_config(stack)['enclave:accountId']}/*"
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn


@pytest.mark.parametrize(
    ("action", "wildcard"),
    [
        ("*", True),
        ("s3:*", True),
        ("s3:Get*", True),
        ("kms:GenerateDataKey*", True),
        ("kms:Re*", True),
        ("s3:GetObject", False),
        ("kms:Get*", False),
        ("kms:Describe*", False),
        ("ec2:Describe*", False),
    ],
)
def test_data_wildcard_detector(action: str, wildcard: bool) -> None:
    assert is_data_wildcard(action) is wildcard
