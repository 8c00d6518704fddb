"""A new stack of every shipped jurisdiction (the enclave stacks), and the organisation's stack, previews with no
mandatory finding, as the real engine previews it.

``run_program(..., preview=True, computed_unknown=True)`` answers registrations as the aws provider answers the
engine at the first preview (every output AWS computes unknown: ids, ARNs; the names Check gives known), and the
residency pack judges the program over gRPC as a dry run. Before the records bucket was reached through its
access point, every stack had one blocking unknown here: the policy named the S3 gateway endpoint's id
(docs/engine.md#status). Unknown values still block: this holds because every document the pack reads is
known at preview, not because unknowns pass (tests/residency_pack/test_unknowns.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from policy_engine.client import PolicyEngine, StackIdentity
from tests.components.enclave_runs import enclave_stacks
from tests.residency_pack.engine_support import PACK_DIR

ROOT = Path(__file__).resolve().parents[2]
ENCLAVES = enclave_stacks()
# The org stack's deploy roles trust the OIDC provider it creates in each member account: before their ARNs were
# built from names, the trust was unknown at preview and refused.
STACKS = [*ENCLAVES, "org"]


def test_every_jurisdiction_is_previewed() -> None:
    assert len(ENCLAVES) == 8 and "eu-dublin" in ENCLAVES and "org" not in ENCLAVES


@pytest.mark.parametrize("stack", STACKS)
def test_a_new_stack_previews_with_no_mandatory_finding(stack: str) -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, stack)
    engine = PolicyEngine(PACK_DIR, StackIdentity(project.name, stack, config, dry_run=True))
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = pool.submit(engine.start)
        run = run_program(ROOT, stack, config, secret_keys=secrets, preview=True, computed_unknown=True)
        started.result()
    try:
        assert run.error is None, run.error
        # A preview in earnest: the records bucket's own ARN is unknown, as the engine has it before it exists.
        records = [r for r in run.resources if r.type == "aws:s3/bucket:Bucket" and "-storage-records" in r.name]
        assert [r.outputs["arn"] for r in records] == ([UNKNOWN_STRING_VALUE] if stack in ENCLAVES else [])
        roles = [r for r in run.resources if r.type == "aws:iam/role:Role"]
        assert roles and all(r.outputs["arn"] == UNKNOWN_STRING_VALUE for r in roles)
        diagnostics = engine.analyze(run.resources)
    finally:
        engine.close()
    blocking = [f"{d.policy} {d.urn}: {d.message}" for d in diagnostics if d.mandatory]
    assert not blocking, "\n".join(blocking)
