"""The pack adopts the stack ConfigureStack names, so one pack process can judge several stacks in turn."""

from __future__ import annotations

import json

from pulumi.runtime.proto import analyzer_pb2

from residency_pack.configure_stack import adopt


def test_adopt_copies_stack_identity_and_config_into_the_environment() -> None:
    env: dict[str, str] = {"PULUMI_CONFIG": '{"enclave:jurisdiction": "eu"}'}
    request = analyzer_pb2.AnalyzerStackConfigureRequest(
        stack="uk-london", project="enclave", organization="acme", dry_run=True, config={"enclave:jurisdiction": "uk"}
    )
    adopt(request, env)
    assert env == {
        "PULUMI_CONFIG": json.dumps({"enclave:jurisdiction": "uk"}),
        "PULUMI_PROJECT": "enclave",
        "PULUMI_STACK": "uk-london",
        "PULUMI_ORGANIZATION": "acme",
        "PULUMI_DRY_RUN": "true",
    }


def test_a_request_without_a_stack_changes_nothing() -> None:
    env = {"PULUMI_CONFIG": '{"enclave:jurisdiction": "eu"}'}
    adopt(analyzer_pb2.AnalyzerStackConfigureRequest(config={"enclave:jurisdiction": "uk"}), env)
    assert env == {"PULUMI_CONFIG": '{"enclave:jurisdiction": "eu"}'}
