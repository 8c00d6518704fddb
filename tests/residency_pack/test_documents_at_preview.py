"""The enclave's policy documents at preview, as the real engine previews a new stack.

The mock runtime runs as a preview in which every output AWS computes is unknown (an ARN, an id), as the
aws provider answers the engine then (``run_program(..., preview=True, computed_unknown=True)``); names
the provider's Check gives are known. The components build the documents the pack reads from names (bucket
ARNs ``arn:aws:s3:::<bucket>``, role, topic, rule, log group and workgroup ARNs from account and name) and
keep statements on KMS keys and the pseudonymisation secret, whose ARNs exist only once they are created,
in a second inline policy (components.policy.role_policies). The test-data rules then decide at preview;
a document that is still unknown stays UNKNOWN (it raises), never a pass.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from adapters.pulumi.aws_identity import identity_facts
from adapters.pulumi.controlled_interface import interface_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from residency.jurisdictions import default_catalogue
from residency.model import Status
from residency.rules import evaluate
from residency.rules.base import Context
from tests.residency_pack.direct import wrap

ROOT = Path(__file__).resolve().parents[2]
STACK = "eu-dublin"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"


@cache
def preview() -> ProgramRun:
    config, secrets = load_stack_config(load_project(ROOT), STACK)
    return run_program(ROOT, STACK, config, secret_keys=secrets, preview=True, computed_unknown=True)


def program(r: ProgramRun, policies: dict[str, str] | None = None) -> list[ProgramResource]:
    """The program as AnalyzeStack gives it to the pack: outputs over inputs, unknowns raise when read;
    ``policies`` replaces the ``policy`` of resources by name."""
    policies = policies or {}
    return [
        ProgramResource(
            ResourceView(
                c.urn,
                c.type,
                c.name,
                wrap({**c.inputs, **c.outputs, **({"policy": policies[c.name]} if c.name in policies else {})}),
                c.region,
            ),
            c.parent,
            tuple(c.dependencies),
            {k: tuple(u) for k, u in c.property_dependencies.items()},
        )
        for c in r.resources
    ]


def one(resources: list[ProgramResource], token: str, suffix: str) -> ProgramResource:
    [found] = [r for r in resources if r.view.type == token and r.view.name.endswith(suffix)]
    return found


def test_the_run_leaves_computed_outputs_unknown_and_names_known() -> None:
    resources = program(preview())
    bucket = one(resources, "aws:s3/bucket:Bucket", "-storage-testdata")
    with pytest.raises(UnknownValueError):
        bucket.view.props["arn"]
    assert bucket.view.props["bucket"].startswith("enclave-eu-storage-testdata-")


def test_the_documents_the_test_data_rules_read_are_known_at_preview() -> None:
    r = preview()
    bucket = next(c for c in r.resources if c.name.endswith("-storage-testdata") and c.type.endswith(":Bucket"))
    on_test_data = [c for c in r.resources if bucket.urn in c.property_dependencies.get("policy", [])]
    assert {c.type for c in on_test_data} == {ROLE_POLICY, BUCKET_POLICY}
    for c in on_test_data:
        assert UNKNOWN_STRING_VALUE not in c.inputs["policy"], c.name
        assert f"arn:aws:s3:::{bucket.outputs['bucket']}" in c.inputs["policy"], c.name


def test_key_statements_are_apart_from_the_s3_grants() -> None:
    r = preview()
    keys = [c for c in r.resources if c.type == ROLE_POLICY and c.name.endswith("-keys")]
    assert {c.name.removeprefix("enclave-eu-") for c in keys} == {
        "access-operator-policy-keys",
        "access-engineer-policy-keys",
        "access-auditor-policy-keys",
        "access-break-glass-policy-keys",
        "continuous-audit-role-policy-keys",
        "external-auditor-policy-keys",
        "test-data-deidentify-policy-keys",
    }
    for c in keys:  # what is unknown until created, and nothing else: no S3 grant is hidden there
        assert c.inputs["policy"] == UNKNOWN_STRING_VALUE
        assert all(":kms/key:" in u or ":secretsmanager/secret:" in u for u in c.property_dependencies["policy"])


def statuses(resources: list[ProgramResource]) -> dict[str, Status]:
    catalogue = default_catalogue()
    findings = evaluate(list(interface_facts(resources)), Context(catalogue.get("eu"), catalogue))
    return {f.rule: f.status for f in findings}


def test_the_test_data_controls_decide_at_preview() -> None:
    assert statuses(program(preview())) == dict.fromkeys(
        ("test-data-guard", "test-data-pipeline", "test-data-single-writer"), Status.PASS
    )


OPERATOR_POLICY = "enclave-eu-access-operator-policy"


def test_a_second_writer_in_a_known_document_fails_at_preview() -> None:
    name = one(program(preview()), "aws:s3/bucket:Bucket", "-storage-testdata").view.props["bucket"]
    grant = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*"}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [grant]})
    assert statuses(program(preview(), {OPERATOR_POLICY: policy}))["test-data-single-writer"] == Status.FAIL


def test_an_unknown_document_that_depends_on_the_test_data_bucket_stays_unknown() -> None:
    # What the operator's policy was before its key statements went apart: the whole document unknown.
    with pytest.raises(UnknownValueError):
        statuses(program(preview(), {OPERATOR_POLICY: UNKNOWN_STRING_VALUE}))


def test_the_records_bucket_policy_is_known_at_preview_and_its_access_point_resolves() -> None:
    """records-source-vpce reads the records bucket's policy, which names the records access point by an ARN
    built from its name (known at preview), and the access point, whose VPC id is unknown until the VPC exists
    and depends on the program's VPC alone: the control holds at the first preview. Other buckets' policies,
    whose ``bucket`` is their own bucket's unknown id, are not taken for the records bucket's."""
    resources = program(preview())
    records = one(resources, BUCKET_POLICY, "-storage-records-policy")
    assert "s3:DataAccessPointArn" in records.view.props["policy"]
    point = one(resources, "aws:s3/accessPoint:AccessPoint", "-storage-records-access-point")
    with pytest.raises(UnknownValueError):
        point.view.props["vpcConfiguration"]["vpcId"]
    [vpce] = [f for f in identity_facts(resources) if f.control == "records-source-vpce"]
    assert (vpce.satisfied, vpce.detail) == (
        True,
        "objects only through access points with a VPC network origin (the program's VPC enclave-eu-network-vpc)",
    )


def test_an_unknown_records_policy_still_stays_unknown() -> None:
    """What the policy was when it named the gateway endpoint's id: unknown as a whole, so UNKNOWN (raised)."""
    resources = program(preview())
    records = one(resources, BUCKET_POLICY, "-storage-records-policy")
    with pytest.raises(UnknownValueError) as raised:
        list(identity_facts(program(preview(), {records.view.name: UNKNOWN_STRING_VALUE})))
    assert tuple(raised.value.props) == ("policy",)
