"""The pack's servicer answers exactly as pulumi_policy's own handler would, while reading each resource once.

``PackServicer`` replaces pulumi_policy's Analyze/AnalyzeStack loops so that a request's properties are
converted and its facts judged once for all the policies. Every failing and passing case of every rule,
values unknown during preview, policy-pack config (a rule disabled, one made advisory) and a stack the pack
cannot judge go through both handlers, and the responses must be identical.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

import residency_pack.evaluation as evaluation
import residency_pack.judgement as judgement
from enclave.offline.model import CapturedResource
from policy_engine.client import PolicyEngine
from residency_pack.policies import CONTEXT_POLICY, PACK_NAME, build_policies
from residency_pack.servicer import PLACEHOLDER_VERSION, PackServicer
from residency_pack.settings import DEFAULT_PACK_DIR, PackSettings
from tests.residency_pack.cases import Case, Res, all_cases
from tests.residency_pack.engine_support import captured

LEVELS = {"advisory": 0, "mandatory": 1, "disabled": 2}


def _configure_request(config: Mapping[str, Mapping[str, Any]]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, value in config.items():
        entry = request.policyConfig[name]
        entry.enforcementLevel = LEVELS[value.get("enforcementLevel", "mandatory")]
        props = {k: v for k, v in value.items() if k != "enforcementLevel"}
        if props:
            entry.properties.update(props)
    return request


class _Stock:
    """pulumi_policy's own servicer over the same policies, with the settings the pack's Configure would set."""

    def __init__(self) -> None:
        self.settings = PackSettings()
        self.servicer = _PolicyAnalyzerServicer(
            PACK_NAME, PLACEHOLDER_VERSION, build_policies(lambda: self.settings), EnforcementLevel.MANDATORY
        )

    def configure(self, config: Mapping[str, Mapping[str, Any]]) -> None:
        # pulumi_policy's servicer is unannotated (the pack's own servicer makes the same call).
        self.servicer.Configure(_configure_request(config), None)  # type: ignore[no-untyped-call]
        self.settings = PackSettings.from_config(DEFAULT_PACK_DIR, config.get(CONTEXT_POLICY, {}))


def _requests(resources: list[CapturedResource]) -> tuple[list[Any], Any]:
    engine = PolicyEngine.__new__(PolicyEngine)  # only its request builders are used
    by_urn = {r.urn: r for r in resources}
    analyze = [engine._analyze_request(r, by_urn) for r in resources]
    stack = analyzer_pb2.AnalyzeStackRequest(resources=[engine._stack_resource(r, by_urn) for r in resources])
    return analyze, stack


def _answers(analyze: Callable[[Any, Any], Any], stack: Callable[[Any, Any], Any], case: Case) -> list[Any]:
    requests, stack_request = _requests(captured(case))
    responses = [analyze(r, None) for r in requests] + [stack(stack_request, None)]
    return [json_format.MessageToDict(r) for r in responses]


def _compare(cases: list[Case], config: Mapping[str, Mapping[str, Any]], monkeypatch: pytest.MonkeyPatch) -> int:
    """Both handlers' answers on every case; returns how many diagnostics they agreed on."""
    # The runtime settings (pulumi's global config) are the same call in both handlers; not under test here.
    monkeypatch.setattr(_PolicyAnalyzerServicer, "_configure_runtime_settings", lambda self: None)
    pack, stock = PackServicer(DEFAULT_PACK_DIR), _Stock()
    pack.Configure(_configure_request(config), None)
    stock.configure(config)
    agreed = 0
    for case in cases:
        ours = _answers(pack.Analyze, pack.AnalyzeStack, case)
        theirs = _answers(stock.servicer.Analyze, stock.servicer.AnalyzeStack, case)
        assert ours == theirs, [r.urn for r in case]
        agreed += sum(len(r.get("diagnostics", [])) + len(r.get("notApplicable", [])) for r in ours)
    return agreed


CASES = [case for pair in all_cases().values() for case in pair]
UNKNOWN_CASES = [
    [Res("aws:s3/bucket:Bucket", "data", {"region": UNKNOWN_STRING_VALUE})],
    [
        Res(
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "replication",
            {"bucket": "source", "role": "r", "rules": [{"status": "Enabled", "destination": {"bucket": UNKNOWN_STRING_VALUE}}]},
        )
    ],
    [Res("aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": UNKNOWN_STRING_VALUE})],
]  # fmt: skip


@pytest.mark.usefixtures("eu_stack")
def test_same_answers_as_pulumi_policy_on_every_case(governance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    agreed = _compare(CASES + UNKNOWN_CASES, {CONTEXT_POLICY: {"governanceDir": str(governance)}}, monkeypatch)
    assert agreed > len(CASES)  # the failing cases did report


@pytest.mark.usefixtures("eu_stack")
def test_same_answers_with_rules_disabled_or_advisory(governance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = {
        CONTEXT_POLICY: {"governanceDir": str(governance)},
        "residency-location": {"enforcementLevel": "advisory"},
        "s3-encryption-kms": {"enforcementLevel": "disabled"},
        "transfer-s3-replication": {"enforcementLevel": "disabled"},
    }
    assert _compare(CASES + UNKNOWN_CASES, config, monkeypatch)


def test_same_answers_when_the_stack_cannot_be_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", '{"aws:region": "eu-west-1"}')  # no jurisdiction: fail closed
    monkeypatch.setenv("PULUMI_PROJECT", "enclave")
    assert _compare(CASES[:6], {}, monkeypatch)


@pytest.mark.usefixtures("eu_stack")
def test_each_resource_and_stack_is_judged_once_per_request(governance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"resource": 0, "stack": 0}
    resource_facts, stack_facts = evaluation.resource_facts, evaluation.stack_facts

    def count_resource(*args: Any) -> Any:
        calls["resource"] += 1
        return resource_facts(*args)

    def count_stack(*args: Any) -> Any:
        calls["stack"] += 1
        return stack_facts(*args)

    monkeypatch.setattr(judgement, "resource_facts", count_resource)
    monkeypatch.setattr(judgement, "stack_facts", count_stack)
    pack = PackServicer(DEFAULT_PACK_DIR)
    pack.Configure(_configure_request({CONTEXT_POLICY: {"governanceDir": str(governance)}}), None)
    failing, _ = all_cases()["transfer-s3-replication"]
    requests, stack_request = _requests(captured(failing))
    for request in requests:
        pack.Analyze(request, None)
    response = pack.AnalyzeStack(stack_request, None)
    assert [d.policyName for d in response.diagnostics if d.policyName == "transfer-s3-replication"]
    assert calls == {"resource": len(requests), "stack": 1}
