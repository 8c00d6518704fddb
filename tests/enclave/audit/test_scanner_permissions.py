"""The least-privilege policy is generated from the scanners, and covers every call the auditor makes."""

from __future__ import annotations

from typing import Any

from adapters.aws_live import SCANNERS, all_permissions, iam_actions, iam_policy
from tests.enclave.audit.identity_seed import identity_account
from tests.moto_world import audit, make_session

# Detail calls made only for what a list call returned, on APIs moto 5.2 does not emulate (DLM, Security
# Hub finding aggregators): they are proven to be in the policy by the Stubber tests, where Api refuses
# any operation its scanner does not list (test_audit_stubbed_vectors.py).
REACHED_ONLY_UNDER_STUBBER = {("dlm", "GetLifecyclePolicy"), ("securityhub", "GetFindingAggregator")}


def test_every_api_call_made_against_the_emulator_is_in_the_policy(world: Any) -> None:
    session = make_session()
    calls: set[tuple[str, str]] = set()

    def record(model: Any, **_: Any) -> None:
        calls.add((model.service_model.service_name, model.name))

    session.events.register("before-call.*.*", record)
    audit(world, tuple(SCANNERS), session=session, request={"max_retries": 0})
    # The account with roles under boundaries and a records bucket (IAM GetRole/GetPolicy*, S3 GetBucketPolicy).
    roles = identity_account(world.url)
    roles.session.events.register("before-call.*.*", record)
    audit(roles, ("iam", "s3"), regions=("eu-west-1",))
    audit(world, ("ecr",), regions=None, session=session)  # the default scope asks for the enabled regions
    allowed = all_permissions()
    assert calls - set(allowed) == set()
    # And the policy grants nothing the auditor never calls (the data-path scanners' calls are recorded
    # against their own seeded resources, in test_scanner_data_paths).
    from tests.enclave.audit.test_scanner_data_paths import data_path_operations

    assert set(allowed) - calls - data_path_operations() == REACHED_ONLY_UNDER_STUBBER


def test_policy_is_read_only_and_well_formed() -> None:
    policy = iam_policy()
    [statement] = policy["Statement"]
    assert policy["Version"] == "2012-10-17"
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == iam_actions() == sorted(set(statement["Action"]))
    verbs = {action.split(":", 1)[1].split("Bucket")[0] for action in statement["Action"]}
    assert all(v.startswith(("Describe", "List", "Get")) for v in verbs), verbs
    assert "s3:GetReplicationConfiguration" in statement["Action"]
    assert "elasticfilesystem:DescribeReplicationConfigurations" in statement["Action"]


def test_every_scanner_operation_exists_in_botocore() -> None:
    session = make_session()
    for scanner in SCANNERS.values():
        for client_name in (scanner.client_name, *scanner.other_clients):
            client = session.client(client_name, region_name="eu-west-1")
            operations = set(client.meta.service_model.operation_names)
            assert set(scanner.permissions_for(client_name)) <= operations, (scanner.name, client_name)


def test_the_policy_in_docs_is_the_generated_one() -> None:
    import json
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "audit.md").read_text()
    block = doc.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == iam_policy()
