"""Every shipped stack under the real Pulumi CLI with the residency pack: preview, up, protection, destroy.

For each stack: ``pulumi preview --policy-pack policy_packs/residency`` reports no mandatory violation and
registers exactly the resources ``enclave plan`` shows; ``pulumi up`` deploys it into the local backend
with no mandatory violation; the state marks protected exactly what the plan marks protected; and
``pulumi destroy`` is refused, leaving every protected resource in the state.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.engine.conftest import DeploymentFactory
from tests.engine.harness import ROOT, EngineResult

pytestmark = pytest.mark.engine

STACKS = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
STATEFUL_TYPES = {"aws:s3/bucket:Bucket", "aws:kms/key:Key"}


def stack_config(stack: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
    return dict(data["config"])


def plan(stack: str) -> list[dict[str, Any]]:
    """``enclave plan STACK --format json``: the offline runner's resources (components, providers, resources)."""
    out = subprocess.run(
        [sys.executable, "-m", "enclave.cli", "plan", stack, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return list(json.loads(out.stdout)["stacks"][0]["resources"])


def _default_provider(urn: str) -> bool:
    return urn.split("::")[-2].startswith("pulumi:providers:") and urn.rsplit("::", 1)[1].startswith("default")


def registered(result: EngineResult) -> set[str]:
    """What the program registered, as the engine saw it: every step but the stack and default providers."""
    urns = {s["urn"] for s in result.steps()}
    return {u for u in urns if u.split("::")[-2] != "pulumi:pulumi:Stack" and not _default_provider(u)}


def default_providers(result: EngineResult) -> set[str]:
    return {s["urn"] for s in result.steps() if _default_provider(s["urn"])}


@pytest.mark.parametrize("stack", STACKS)
def test_stack_previews_deploys_and_refuses_destroy_under_the_real_cli(
    stack: str, deployment: DeploymentFactory
) -> None:
    config = stack_config(stack)
    expected = plan(stack)
    run = deployment(ROOT, stack, config, str(config["enclave:accountId"]))

    preview = run.preview()
    assert preview.returncode == 0, preview.explain()
    assert preview.mandatory() == []
    assert registered(preview) == {r["urn"] for r in expected}
    assert default_providers(preview) == set(), "every resource should use the enclave's explicit provider"

    up = run.up()
    assert up.returncode == 0, up.explain()
    assert up.mandatory() == []

    state = run.state()["resources"]
    protected = {r["urn"] for r in state if r.get("protect")}
    assert protected == {r["urn"] for r in expected if r["protect"]}
    assert {r["urn"] for r in state if r.get("retainOnDelete")} == {r["urn"] for r in expected if r["retain_on_delete"]}
    stateful = {r["urn"] for r in state if r["type"] in STATEFUL_TYPES}
    assert stateful <= protected

    destroy = run.destroy()
    assert destroy.returncode != 0, destroy.explain()
    refused = " ".join(destroy.diagnostics())
    assert "protected" in refused, destroy.explain()
    remaining = {r["urn"] for r in run.state()["resources"]}
    assert protected <= remaining
