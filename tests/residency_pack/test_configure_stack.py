"""The pack takes the stack's identity and config from ConfigureStack, as the current CLI sends them.

Pulumi CLI 3.274 (the engine tier, tests/engine) starts a pack with no PULUMI_CONFIG in its environment;
the stack's config arrives only in ConfigureStack. The pack adopts it (policy_packs/residency/residency_pack/configure_stack.py).
"""

from __future__ import annotations

import json

from pulumi.runtime.proto import analyzer_pb2

from residency_pack.configure_stack import adopt
from tests.residency_pack.cases import Res
from tests.residency_pack.engine_support import captured, of, start_engine


def request(**fields: object) -> analyzer_pb2.AnalyzerStackConfigureRequest:
    return analyzer_pb2.AnalyzerStackConfigureRequest(**fields)  # type: ignore[arg-type]


def test_adopt_copies_stack_identity_and_config_into_the_environment() -> None:
    env: dict[str, str] = {}
    adopt(
        request(stack="uk-london", project="enclave", organization="acme", dry_run=True, config={"a:b": "c"}),
        env,
    )
    assert env == {
        "PULUMI_CONFIG": json.dumps({"a:b": "c"}),
        "PULUMI_PROJECT": "enclave",
        "PULUMI_STACK": "uk-london",
        "PULUMI_ORGANIZATION": "acme",
        "PULUMI_DRY_RUN": "true",
    }


def test_a_request_without_a_stack_changes_nothing() -> None:
    env = {"PULUMI_CONFIG": '{"enclave:jurisdiction": "eu"}'}
    adopt(request(config={"enclave:jurisdiction": "uk"}), env)
    assert env == {"PULUMI_CONFIG": '{"enclave:jurisdiction": "eu"}'}


def test_the_pack_judges_by_the_jurisdiction_configure_stack_names() -> None:
    bucket = [Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "region": "eu-west-1"})]
    engine = start_engine({"enclave:jurisdiction": "uk", "aws:region": "eu-west-2"})
    try:
        diags = engine.analyze(captured(bucket))
    finally:
        engine.close()
    (violation,) = of(diags, "residency-location")
    assert "eu-west-1, outside United Kingdom" in violation.message
    assert of(diags, "residency-context") == []
