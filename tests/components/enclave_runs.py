"""Shared helpers: run shipped stacks once through the offline runner and read what the engine saw."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from enclave.offline.model import CapturedResource, ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config

PROJECT_DIR = Path(__file__).resolve().parents[2]


@cache
def stack_config(stack: str) -> dict[str, str]:
    config, _secret_keys = load_stack_config(load_project(PROJECT_DIR), stack)
    return config


def enclave_stacks() -> list[str]:
    """Every shipped stack that deploys an enclave (stackKind org stacks are the guardrails engineer's)."""
    project = load_project(PROJECT_DIR)
    return [s for s in project.stacks() if stack_config(s).get("enclave:stackKind", "enclave") == "enclave"]


@cache
def shipped_run(stack: str) -> ProgramRun:
    return run_program(PROJECT_DIR, stack, stack_config(stack))


def run_with(stack: str, **changes: str | None) -> ProgramRun:
    """Run ``stack`` with some config keys changed (``enclave__vpcCidr=...``) or removed (``None``)."""
    config = dict(stack_config(stack))
    for key, value in changes.items():
        full = key.replace("__", ":")
        if value is None:
            config.pop(full, None)
        else:
            config[full] = value
    return run_program(PROJECT_DIR, stack, config)


def of_type(run: ProgramRun, token: str) -> list[CapturedResource]:
    return [r for r in run.resources if r.type == token]


def one(run: ProgramRun, token: str) -> CapturedResource:
    found = of_type(run, token)
    assert len(found) == 1, f"expected one {token}, found {len(found)}"
    return found[0]


def policy_of(resource: CapturedResource, key: str = "policy") -> dict[str, Any]:
    value = resource.inputs[key]
    document = json.loads(value) if isinstance(value, str) else value
    assert isinstance(document, dict), f"{resource.name}.{key} is not a policy document: {document!r}"
    return document


def statements(resource: CapturedResource, key: str = "policy") -> list[dict[str, Any]]:
    return list(policy_of(resource, key)["Statement"])


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def provider_json(value: Any) -> Any:
    """Provider inputs arrive JSON-encoded (``allowedAccountIds``, ``defaultTags``)."""
    return json.loads(value) if isinstance(value, str) else value


# The components this area owns; the Kubernetes layer (EnclaveCluster, EnclaveWorkloads) adds its own.
RING_COMPONENTS = {
    f"enclave:components:{name}"
    for name in (
        "RegionalEnclave",
        "EnclaveBoundary",
        "EnclaveKeys",
        "EnclaveNetwork",
        "EnclaveStorage",
        "EnclaveOversight",
        "EnclaveAccess",
        "SecureBucket",
    )
}


def ring_resources(run: ProgramRun, token: str) -> list[CapturedResource]:
    """Resources of ``token`` created by the ring components, every ancestor up to the RegionalEnclave being one
    (not the Kubernetes layer's, nor continuous oversight's, which has its own SecureBucket)."""
    by_urn = run.by_urn()

    def in_rings(r: CapturedResource) -> bool:
        parent = by_urn.get(r.parent) if r.parent else None
        if parent is None or parent.type not in RING_COMPONENTS:
            return False
        return parent.type == "enclave:components:RegionalEnclave" or in_rings(parent)

    return [r for r in of_type(run, token) if in_rings(r)]


def one_ring(run: ProgramRun, token: str) -> CapturedResource:
    found = ring_resources(run, token)
    assert len(found) == 1, f"expected one {token} in the rings, found {len(found)}"
    return found[0]
