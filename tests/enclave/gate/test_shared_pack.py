"""One pack process judges every target of a gate run, each stack named to it in turn (ConfigureStack)."""

from __future__ import annotations

from typing import Any

import pytest

from enclave.gate.pipeline import Target, run_gate
from policy_engine.client import PolicyEngine
from tests.enclave.gate.conftest import PROGRAMS


def _target(label: str, jurisdiction: str, pinned: str | None = None) -> Target:
    config = {"aws:region": "us-east-1", "breach:jurisdiction": jurisdiction}
    return Target(label, PROGRAMS / "breach", "dev", config, pinned_jurisdiction=pinned)


def test_one_pack_process_judges_each_stack_by_its_own_config(monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[str] = []
    start = PolicyEngine.start

    def counted(self: PolicyEngine, *args: Any, **kwargs: Any) -> None:
        starts.append(self.stack.stack)
        start(self, *args, **kwargs)

    monkeypatch.setattr(PolicyEngine, "start", counted)
    targets = [_target("eu", "eu"), _target("us", "us"), _target("eu-again", "eu"), _target("pinned", "us", "eu")]
    results = run_gate(targets, with_checkov=False)
    outside = [sorted({v.resource_type for v in r.violations if v.policy == "residency-location"}) for r in results]
    in_us = ["aws:s3/bucket:Bucket", "pulumi:providers:aws"]
    assert outside[:3] == [in_us, [], in_us]
    # The pin (policy-pack config) is sent with each target: the stack declaring us is refused under the eu pin.
    assert {v.policy for v in results[3].violations} >= {"residency-context"}
    assert not [v for v in results[1].violations if v.policy == "residency-context"]
    assert all(r.error is None for r in results) and len(starts) == 1
