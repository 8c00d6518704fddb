"""A resource's outputs from one future each (enclave.offline.resource_outputs) behave as the SDK's own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import rpc

from enclave.offline import resource_outputs
from enclave.offline.resource_outputs import single_future_outputs, transfer_properties
from enclave.offline.runner import run_program, run_stack
from enclave.offline.stack_files import load_project, load_stack_config

ROOT = Path(__file__).resolve().parents[3]
PROPS = {"urn": None, "id": None, "bucket": None, "arn": None, "tags": None}


class _Resource:
    """What transfer_properties touches on a resource: its attributes."""


Resolution = tuple[Any, bool, bool, set[Any] | None, Exception | None]
RESOLUTIONS: list[Resolution] = [
    ("data-1", True, False, None, None),
    ({"nested": ["a", 1]}, True, True, {"dep"}, None),
    (None, False, False, set(), None),  # a preview's unknown
    ({"inner": rpc.UNKNOWN}, True, False, None, None),  # said known, but holds an unknown: not known
    (None, False, False, None, RuntimeError("the registration failed")),
]


async def _settle(transfer: Any, custom: bool, resolution: Resolution) -> tuple[list[str], dict[str, Any]]:
    resource = _Resource()
    resolvers = transfer(resource, PROPS, custom)
    for resolve in resolvers.values():
        resolve(*resolution)
    seen: dict[str, Any] = {}
    for name in resolvers:
        try:
            data = await resource.__dict__[name]._data
        except RuntimeError as err:
            seen[name] = ("raised", str(err))
            continue
        resources = {"the resource" if r is resource else r for r in data.resources}
        seen[name] = (data.value, data.is_known, data.is_secret, resources)
    return sorted(resolvers), seen


@pytest.mark.parametrize("custom", [True, False])
@pytest.mark.parametrize("resolution", RESOLUTIONS)
def test_outputs_settle_as_the_sdks(custom: bool, resolution: Resolution) -> None:
    sdk = asyncio.run(_settle(rpc.transfer_properties, custom, resolution))
    ours = asyncio.run(_settle(transfer_properties, custom, resolution))
    assert ours == sdk
    assert ("id" in ours[0]) is not custom and "urn" not in ours[0]  # the SDK sets those itself


def test_installed_only_inside() -> None:
    original = rpc.transfer_properties
    with single_future_outputs():
        assert rpc.transfer_properties is transfer_properties
    assert rpc.transfer_properties is original


def test_another_sdk_keeps_its_own_function(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_version(res: Any, props: Any, custom: bool, extra: int) -> dict[str, Any]:
        return {}

    monkeypatch.setattr(rpc, "transfer_properties", other_version)
    with single_future_outputs():
        assert rpc.transfer_properties is other_version  # type: ignore[comparison-overlap]  # replaced above


def _captured(run: Any) -> Any:
    """The run as a comparable value. Registrations reach the monitor from several threads and dependencies
    are collected in sets, so their order varies from run to run with the SDK alone: compared sorted."""
    resources = []
    for r in sorted(run.resources, key=lambda r: r.urn):
        item = asdict(r)
        item["dependencies"] = sorted(r.dependencies)
        item["property_dependencies"] = {k: sorted(v) for k, v in r.property_dependencies.items()}
        resources.append(item)
    return resources, run.stack_outputs, run.error


def _ours_and_sdks(monkeypatch: pytest.MonkeyPatch, run: Callable[[], Any]) -> list[Any]:
    runs = []
    for sdk_matches in (resource_outputs._sdk_matches, lambda: False):
        monkeypatch.setattr(resource_outputs, "_sdk_matches", sdk_matches)
        runs.append(run())  # one line for both: the registrations' stack traces are the same
    return runs


def test_a_stack_runs_to_the_same_resources_and_outputs_as_with_the_sdks(monkeypatch: pytest.MonkeyPatch) -> None:
    ours, sdk = _ours_and_sdks(monkeypatch, lambda: run_stack(ROOT, "eu-dublin"))
    assert len(ours.resources) > 100 and ours.error is None
    assert _captured(ours) == _captured(sdk)


def test_a_preview_with_unknowns_runs_as_with_the_sdks(monkeypatch: pytest.MonkeyPatch) -> None:
    program = Path(__file__).parent / "programs" / "demo"
    config, secrets = load_stack_config(load_project(program), "dev")

    def preview() -> Any:
        return run_program(program, "dev", config, secret_keys=secrets, preview=True, computed_unknown=True)

    ours, sdk = _ours_and_sdks(monkeypatch, preview)
    assert any(r.unknown_sources for r in ours.resources) and ours.error is None
    assert _captured(ours) == _captured(sdk)
