"""The network half of "only the jurisdiction's people reach user records": endpoint policies, and the records
bucket's objects only through its access point with a VPC network origin (s3:DataAccessPointArn).

Read back from every shipped stack's plan and judged with the project's IAM evaluator (fail-closed). On main
before issue 10 no endpoint had a policy and the records bucket admitted its readers from anywhere.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.endpoint_policies import PRINCIPAL_ONLY
from components.principals import PIPELINE
from tests.components import iam_eval
from tests.components.enclave_runs import (
    enclave_stacks,
    of_type,
    ring_resources,
    shipped_run,
    stack_config,
    statements,
)
from tests.components.test_access import bucket_arn, principals, records_access_point_arn

STACKS = enclave_stacks()
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
OTHER_ACCOUNT = "999999999999"
OTHER_REGION = "sa-east-1"  # no shipped stack is in South America


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _service(endpoint: Any) -> str:
    return str(endpoint.inputs["serviceName"]).split(".", 3)[3]


def test_every_endpoint_has_a_policy_for_the_enclave_account_only(stack: str) -> None:
    account = stack_config(stack)["enclave:accountId"]
    endpoints = of_type(shipped_run(stack), ENDPOINT)
    assert endpoints and [e.name for e in endpoints if not e.inputs.get("policy")] == []
    for endpoint in endpoints:
        for s in statements(endpoint):
            assert s["Effect"] == "Allow" and s["Condition"]["StringEquals"]["aws:PrincipalAccount"] == account
            if _service(endpoint) not in PRINCIPAL_ONLY and s["Sid"] != "EcrImageLayers":
                assert s["Condition"]["StringEquals"]["aws:ResourceAccount"] == account, endpoint.name


def test_an_endpoint_admits_the_enclave_and_refuses_other_accounts(stack: str) -> None:
    account, home = stack_config(stack)["enclave:accountId"], stack_config(stack)["aws:region"]
    ours = principals(stack).role_arn("operator")
    theirs = ours.replace(account, OTHER_ACCOUNT)
    for endpoint in of_type(shipped_run(stack), ENDPOINT):
        policy = [statements(endpoint)]
        action = "s3:GetObject" if _service(endpoint) == "s3" else "kms:Decrypt"

        def ctx(principal_account: str, resource_account: str, arn: str) -> dict[str, Any]:
            return iam_eval.context(
                arn, home, aws__PrincipalAccount=principal_account, aws__ResourceAccount=resource_account
            )

        assert iam_eval.allowed(policy, action, ctx(account, account, ours)), endpoint.name
        assert not iam_eval.allowed(policy, action, ctx(OTHER_ACCOUNT, account, theirs)), endpoint.name
        if _service(endpoint) not in PRINCIPAL_ONLY:
            # An enclave principal copying to another account's resource does not pass either.
            assert not iam_eval.allowed(policy, action, ctx(account, OTHER_ACCOUNT, ours)), endpoint.name


def _records_policy(stack: str) -> list[dict[str, Any]]:
    records = bucket_arn(stack, "records")
    [policy] = [
        p
        for p in ring_resources(shipped_run(stack), "aws:s3/bucketPolicy:BucketPolicy")
        # Resource or NotResource (the test-data bucket's single-writer denies use NotResource).
        if any(records in json.dumps(s.get("Resource", s.get("NotResource"))) for s in statements(p))
    ]
    return statements(policy)


def test_the_records_bucket_requires_its_access_point(stack: str) -> None:
    policy, home = _records_policy(stack), stack_config(stack)["aws:region"]
    p, through = principals(stack), records_access_point_arn(stack)

    def denied(arn: str, access_point: str) -> bool:
        context = iam_eval.context(arn, home, s3__DataAccessPointArn=access_point, aws__SecureTransport="true")
        return iam_eval.denied(policy, "s3:GetObject", context)

    elsewhere = through.replace(":accesspoint/enclave-", ":accesspoint/other-")
    assert not denied(p.role_arn("operator"), through)
    assert denied(p.role_arn("operator"), elsewhere)
    # The de-identification pipeline runs in the enclave's subnets: it reads records through the access point only.
    assert not denied(p.role_arn(PIPELINE), through)
    assert denied(p.role_arn(PIPELINE), elsewhere)
    # The one exemption, with its reason in components/storage.py: break-glass, from anywhere.
    assert not denied(p.role_arn("break-glass"), elsewhere)
    [network] = [s for s in policy if s["Sid"] == "DenyObjectAccessOutsideEnclaveNetwork"]
    assert network["Condition"]["StringNotEquals"] == {"s3:DataAccessPointArn": [through]}
    assert network["Condition"]["ArnNotEquals"] == {"aws:PrincipalArn": [p.role_arn("break-glass")]}


def test_the_records_access_point_is_bound_to_the_enclaves_vpc(stack: str) -> None:
    """VPC network origin (S3 rejects requests to it from outside that VPC), no public access, on the records
    bucket, protected and retained as the bucket's other guards."""
    run = shipped_run(stack)
    [point] = ring_resources(run, "aws:s3/accessPoint:AccessPoint")
    [vpc] = ring_resources(run, "aws:ec2/vpc:Vpc")
    records = bucket_arn(stack, "records").removeprefix("arn:aws:s3:::")
    assert point.inputs["vpcConfiguration"] == {"vpcId": vpc.id}
    assert point.inputs["bucket"] == records and point.inputs["accountId"] == stack_config(stack)["enclave:accountId"]
    assert point.outputs["arn"] == records_access_point_arn(stack)
    assert set(point.inputs["publicAccessBlockConfiguration"].values()) == {True}
    assert len(point.inputs["publicAccessBlockConfiguration"]) == 4
    assert point.protect and point.retain_on_delete


def test_the_s3_endpoint_admits_requests_through_the_access_point(stack: str) -> None:
    """AWS requires the VPC endpoint's policy to allow the access point and the bucket for a request through a
    VPC-origin access point: the S3 endpoint allows the enclave's principals on the account's own resources."""
    account, home = stack_config(stack)["enclave:accountId"], stack_config(stack)["aws:region"]
    [s3] = [e for e in of_type(shipped_run(stack), ENDPOINT) if _service(e) == "s3"]
    [grant] = [s for s in statements(s3) if s["Sid"] == "EnclavePrincipalsOnEnclaveResources"]
    assert grant["Resource"] == "*" and grant["Action"] == "*"
    assert records_access_point_arn(stack).split(":")[4] == account
    context = iam_eval.context(
        principals(stack).role_arn("operator"), home, aws__PrincipalAccount=account, aws__ResourceAccount=account
    )
    assert iam_eval.allowed([[grant]], "s3:GetObject", context)


def test_the_records_key_serves_only_s3_in_the_home_region(stack: str) -> None:
    home = stack_config(stack)["aws:region"]
    [key] = [k for k in ring_resources(shipped_run(stack), "aws:kms/key:Key") if k.name.endswith("-records")]
    operator = principals(stack).role_arn("operator")
    for via, refused in (
        (f"s3.{home}.amazonaws.com", False),
        # The pseudonym secret is encrypted under the records key (components/test_data.py).
        (f"secretsmanager.{home}.amazonaws.com", False),
        (f"ec2.{home}.amazonaws.com", True),
        (f"s3.{OTHER_REGION}.amazonaws.com", True),
    ):
        context = iam_eval.context(operator, home, kms__ViaService=via)
        assert iam_eval.denied(statements(key), "kms:Decrypt", context) is refused, via
