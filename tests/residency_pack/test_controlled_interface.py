"""The pack's test-data rules: every enclave has the pipeline, its guard, and one writer to test data.

Judged on real programs (the shipped eu-dublin stack under the mock runtime, with and without the
pipeline) and on that program with a second writer added; and through the pack itself (gRPC) for a stack
without the pipeline.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from adapters.pulumi.controlled_interface import interface_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from policy_engine.client import PolicyEngine, StackIdentity
from residency.jurisdictions import default_catalogue
from residency.model import Status
from residency.rules import RULES_BY_ID, evaluate
from residency.rules.base import Context
from residency.rules.test_data import TEST_DATA_RULES
from tests.residency_pack.engine_support import PACK_DIR

ROOT = Path(__file__).resolve().parents[2]
STACK = "eu-dublin"
BUCKET = "aws:s3/bucket:Bucket"
CONTROLS = ["test-data-guard", "test-data-pipeline", "test-data-single-writer"]


@cache
def run(**changes: str) -> ProgramRun:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, STACK)
    config = {**config, **changes}
    return run_program(ROOT, STACK, config, secret_keys=secrets)


def program(r: ProgramRun) -> list[ProgramResource]:
    return [
        ProgramResource(
            ResourceView(c.urn, c.type, c.name, {**c.inputs, **c.outputs}, c.region),
            c.parent,
            tuple(c.dependencies),
            {k: tuple(u) for k, u in c.property_dependencies.items()},
        )
        for c in r.resources
    ]


def statuses(resources: list[ProgramResource]) -> dict[str, tuple[Status, str]]:
    catalogue = default_catalogue()
    findings = evaluate(list(interface_facts(resources)), Context(catalogue.get("eu"), catalogue))
    return {f.rule: (f.status, f.message) for f in findings}


def find(resources: list[ProgramResource], suffix: str, kind: str) -> ProgramResource:
    (found,) = [r for r in resources if r.view.name.endswith(suffix) and r.view.type == kind]
    return found


def test_the_shipped_enclave_passes_all_three() -> None:
    result = statuses(program(run()))
    assert sorted(result) == CONTROLS
    assert {rule: status for rule, (status, _) in result.items()} == dict.fromkeys(CONTROLS, Status.PASS)
    assert "only arn:aws:iam::" in result["test-data-single-writer"][1]


def test_an_enclave_without_the_pipeline_fails_all_three() -> None:
    result = statuses(program(run(**{"enclave:testDataPipeline": "false"})))
    assert {rule: status for rule, (status, _) in result.items()} == dict.fromkeys(CONTROLS, Status.FAIL)
    assert "no Lambda function tagged enclave-part=deidentify" in result["test-data-pipeline"][1]
    assert "no Macie classification job scans the test-data bucket" in result["test-data-guard"][1]


def _with(resources: list[ProgramResource], extra: ProgramResource) -> list[ProgramResource]:
    return [*resources, extra]


def test_a_second_writer_granted_by_an_iam_policy_fails() -> None:
    resources = program(run())
    bucket, operator = (
        find(resources, "-storage-testdata", BUCKET),
        find(resources, "-access-operator", "aws:iam/role:Role"),
    )
    document = {
        "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{bucket.view.props['arn']}/*"}]
    }
    writer = ProgramResource(
        ResourceView(
            "urn:pulumi:x::y::aws:iam/rolePolicy:RolePolicy::copy-in",
            "aws:iam/rolePolicy:RolePolicy",
            "copy-in",
            {"policy": json.dumps(document)},
            "eu-west-1",
        ),
        property_dependencies={"policy": (bucket.view.urn,), "role": (operator.view.urn,)},
    )
    status, message = statuses(_with(resources, writer))["test-data-single-writer"]
    assert (status, message) == (
        Status.FAIL,
        "not satisfied: Only the de-identification pipeline writes test data: a second writer: copy-in grants object writes",
    )


def test_an_object_uploaded_into_test_data_fails() -> None:
    resources = program(run())
    bucket = find(resources, "-storage-testdata", BUCKET)
    upload = ProgramResource(
        ResourceView(
            "urn:pulumi:x::y::aws:s3/bucketObjectv2:BucketObjectv2::dump",
            "aws:s3/bucketObjectv2:BucketObjectv2",
            "dump",
            {},
            "eu-west-1",
        ),
        property_dependencies={"bucket": (bucket.view.urn,)},
    )
    assert statuses(_with(resources, upload))["test-data-single-writer"][0] is Status.FAIL


def test_a_bucket_policy_admitting_a_second_writer_fails() -> None:
    resources = program(run())
    policy = find(resources, "-storage-testdata-policy", "aws:s3/bucketPolicy:BucketPolicy")
    document = json.loads(policy.view.props["policy"])
    for s in document["Statement"]:
        if s["Sid"] == "OnlyThePipelineWritesTestData":
            s["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] = [
                s["Condition"]["ArnNotEquals"]["aws:PrincipalArn"],
                "arn:aws:iam::1:role/x",
            ]
    changed = replace(policy, view=replace(policy.view, props={**policy.view.props, "policy": json.dumps(document)}))
    resources = [changed if r is policy else r for r in resources]
    status, message = statuses(resources)["test-data-single-writer"]
    assert status is Status.FAIL and "only the pipeline role may" in message


def test_a_program_that_is_not_an_enclave_gets_no_interface_facts() -> None:
    assert list(interface_facts(program(run(**{"enclave:stackKind": "org"})))) == []


def test_the_rules_are_in_the_catalogue_with_metadata() -> None:
    for rule in TEST_DATA_RULES:
        assert RULES_BY_ID[rule.id] is rule and rule.mandatory and rule.remediation and rule.references


@pytest.mark.parametrize(("changes", "blocked"), [({}, False), ({"enclave:testDataPipeline": "false"}, True)])
def test_the_pack_blocks_an_enclave_without_the_pipeline(changes: dict[str, str], blocked: bool) -> None:
    project = load_project(ROOT)
    config, _ = load_stack_config(project, STACK)
    config = {**config, **changes}
    r = run(**changes)
    with PolicyEngine(PACK_DIR, StackIdentity(project.name, STACK, config)) as engine:
        diagnostics = engine.analyze(r.resources)
    mandatory = {d.policy for d in diagnostics if d.mandatory}
    assert mandatory == (set(CONTROLS) if blocked else set())
