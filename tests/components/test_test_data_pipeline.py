"""Every shipped enclave plans the de-identification pipeline, its secret, its guard and the research
workgroup, in its home region, wired the way docs/deidentify.md says."""

from __future__ import annotations

import json

import pytest

from components.lambda_code import code_files
from components.storage import QUERY_RESULTS_PREFIX
from components.test_data_guard import SCAN_LIMIT_BYTES
from enclave.offline.model import CapturedResource, ProgramRun
from tests.components.enclave_runs import enclave_stacks, of_type, one, run_with, shipped_run, stack_config, statements
from tests.components.test_access import bucket_arn, records_access_point_arn

STACKS = enclave_stacks()
FUNCTION = "aws:lambda/function:Function"


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def home(stack: str) -> str:
    return stack_config(stack)["aws:region"]


def by_name(run: ProgramRun, token: str, suffix: str) -> CapturedResource:
    found = [r for r in of_type(run, token) if r.name.endswith(suffix)]
    assert len(found) == 1, f"expected one {token} named *{suffix}, found {[r.name for r in found]}"
    return found[0]


def test_the_pipeline_its_secret_the_macie_job_and_the_workgroup_are_planned_in_the_home_region(stack: str) -> None:
    run = shipped_run(stack)
    planned = [
        by_name(run, FUNCTION, "-test-data-deidentify"),
        one(run, "aws:secretsmanager/secret:Secret"),
        one(run, "aws:secretsmanager/secretRotation:SecretRotation"),
        one(run, "aws:macie2/classificationJob:ClassificationJob"),
        one(run, "aws:athena/workgroup:Workgroup"),
        by_name(run, "aws:scheduler/schedule:Schedule", "-test-data-schedule"),
    ]
    assert {(r.type, r.region) for r in planned} == {(r.type, home(stack)) for r in planned}


def test_the_function_runs_the_cli_s_code_in_the_private_subnets(stack: str) -> None:
    run = shipped_run(stack)
    function = by_name(run, FUNCTION, "-test-data-deidentify")
    subnets = {r.outputs.get("id") or r.id for r in of_type(run, "aws:ec2/subnet:Subnet") if "-private-" in r.name}
    assert set(function.inputs["vpcConfig"]["subnetIds"]) <= subnets and function.inputs["vpcConfig"]["subnetIds"]
    assert function.inputs["handler"] == "enclave_lambda.deidentify.handler"
    archive = function.inputs["code"]["assets"]
    assert set(archive) == set(code_files())
    assert "residency/deidentify/pipeline.py" in archive and "governance/datasets/people.toml" in archive
    assert function.inputs["environment"]["variables"]["DATASETS"] == "people"
    # Records are read through the access point (the bucket policy denies object requests that do not use it).
    point = records_access_point_arn(stack)
    assert function.inputs["environment"]["variables"]["RECORDS_ACCESS_POINT"] == point
    policy = by_name(run, "aws:iam/rolePolicy:RolePolicy", "-test-data-deidentify-policy")
    [read] = [s for s in statements(policy) if s["Sid"] == "ReadRecords"]
    records = bucket_arn(stack, "records")
    assert read["Resource"] == [records, records + "/*", point, point + "/object/*"]
    assert read["Action"] == ["s3:GetObject", "s3:ListBucket"]
    role = by_name(run, "aws:iam/role:Role", "-test-data-deidentify-role")
    assert (
        role.inputs["permissionsBoundary"]
        and role.inputs["name"] == f"enclave-{stack_config(stack)['enclave:jurisdiction']}-deidentify"
    )
    # No internet: the security group reaches HTTPS inside the VPC and the S3 gateway endpoint only.
    group = by_name(run, "aws:ec2/securityGroup:SecurityGroup", "-test-data-sg")
    assert {(e["fromPort"], e["toPort"]) for e in group.inputs["egress"]} == {(443, 443)}
    assert not group.inputs.get("ingress")


def test_the_secret_is_under_the_records_key_unreplicated_rotated_and_protected(stack: str) -> None:
    run = shipped_run(stack)
    secret = one(run, "aws:secretsmanager/secret:Secret")
    records_key = by_name(run, "aws:kms/key:Key", "-keys-records")
    assert secret.inputs["kmsKeyId"] == records_key.outputs["arn"]
    assert not secret.inputs.get("replicas") and secret.protect and secret.retain_on_delete
    rotation = one(run, "aws:secretsmanager/secretRotation:SecretRotation")
    assert rotation.inputs["rotationRules"]["automaticallyAfterDays"] == 90
    assert "secretString" not in json.dumps(
        [r.inputs for r in of_type(run, "aws:secretsmanager/secretVersion:SecretVersion")]
    )


def test_macie_scans_the_test_data_bucket_and_a_finding_raises_the_alarm(stack: str) -> None:
    run = shipped_run(stack)
    testdata = by_name(run, "aws:s3/bucket:Bucket", "-storage-testdata")
    job = one(run, "aws:macie2/classificationJob:ClassificationJob")
    definition = job.inputs["s3JobDefinition"]["bucketDefinitions"][0]
    assert definition["buckets"] == [testdata.outputs["bucket"]] and job.inputs["jobType"] == "SCHEDULED"
    alarm = by_name(run, "aws:cloudwatch/eventRule:EventRule", "-sensitive-data-found")
    assert json.loads(alarm.inputs["eventPattern"])["source"] == ["aws.macie"]
    topic = by_name(run, "aws:sns/topic:Topic", "-access-alarms")
    targets = [
        t for t in of_type(run, "aws:cloudwatch/eventTarget:EventTarget") if t.inputs["rule"] == alarm.outputs["name"]
    ]
    assert [t.inputs["arn"] for t in targets] == [topic.outputs["arn"]]


def test_the_workgroup_enforces_results_in_the_test_data_bucket_under_its_key_with_a_scan_limit(stack: str) -> None:
    run = shipped_run(stack)
    workgroup = one(run, "aws:athena/workgroup:Workgroup")
    config = workgroup.inputs["configuration"]
    testdata = by_name(run, "aws:s3/bucket:Bucket", "-storage-testdata")
    key = by_name(run, "aws:kms/key:Key", "-keys-testdata")
    assert config["enforceWorkgroupConfiguration"] is True
    assert config["bytesScannedCutoffPerQuery"] == SCAN_LIMIT_BYTES
    result = config["resultConfiguration"]
    assert result["outputLocation"] == f"s3://{testdata.outputs['bucket']}/{QUERY_RESULTS_PREFIX}"
    assert result["encryptionConfiguration"] == {"encryptionOption": "SSE_KMS", "kmsKeyArn": key.outputs["arn"]}


def test_only_the_pipeline_writes_test_data_and_the_engineer_queries_only_its_workgroup(stack: str) -> None:
    run = shipped_run(stack)
    jid, account = stack_config(stack)["enclave:jurisdiction"], stack_config(stack)["enclave:accountId"]
    policy = by_name(run, "aws:s3/bucketPolicy:BucketPolicy", "-storage-testdata-policy")
    by_sid = {s["Sid"]: s for s in statements(policy)}
    writers = by_sid["OnlyThePipelineWritesTestData"]
    assert writers["Effect"] == "Deny" and "s3:PutObject*" in writers["Action"]
    assert writers["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{account}:role/enclave-{jid}-deidentify"}
    }
    research = by_name(run, "aws:iam/rolePolicy:RolePolicy", "-test-data-guard-engineer-research")
    workgroup = one(run, "aws:athena/workgroup:Workgroup")
    by_sid = {s["Sid"]: s for s in statements(research)}
    assert by_sid["QueryThroughResearchWorkgroup"]["Resource"] == workgroup.outputs["arn"]
    # The engineer's S3 grants and, apart, its statements on KMS keys (components.policy.role_policies).
    engineer = [
        *statements(by_name(run, "aws:iam/rolePolicy:RolePolicy", "-access-engineer-policy")),
        *statements(by_name(run, "aws:iam/rolePolicy:RolePolicy", "-access-engineer-policy-keys")),
    ]
    assert {s["Sid"] for s in engineer if s["Effect"] == "Deny"} == {"DenyUserRecords", "DenyUserRecordKey"}


def test_the_pipeline_is_on_by_default_and_switched_off_only_in_config() -> None:
    # On by default; `enclave:testDataPipeline: false` removes it.
    run = run_with(STACKS[0], enclave__testDataPipeline="false")
    assert run.error is None
    assert of_type(run, "aws:macie2/classificationJob:ClassificationJob") == []
