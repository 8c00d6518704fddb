"""The project's own stacks (every stacks/Pulumi.<stack>.yaml) raise no mandatory violation in the pack."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from enclave.policy.engine import PolicyEngine, StackIdentity
from tests.policy.engine_support import PACK_DIR

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def test_every_stack_file_is_checked() -> None:
    assert "org" in STACKS and "eu-dublin" in STACKS


@pytest.mark.parametrize("stack", STACKS)
def test_shipped_stack_is_clean(stack: str) -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, stack)
    engine = PolicyEngine(PACK_DIR, StackIdentity(project.name, stack, config))
    # The pack's start-up (imports) runs on the other core while the program runs under mocks.
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = pool.submit(engine.start)
        run = run_program(ROOT, stack, config, secret_keys=secrets)
        started.result()
    try:
        assert run.error is None, run.error
        assert run.resources and run.config == config
        diagnostics = engine.analyze(run.resources)
    finally:
        engine.close()
    blocking = [f"{d.policy} {d.urn}: {d.message}" for d in diagnostics if d.mandatory]
    assert not blocking, "\n".join(blocking)
    # Clean because the rules ran and passed, not because nothing was judged: a broken region would show.
    assert all(d.level == "advisory" for d in diagnostics)


def test_the_same_stack_in_the_wrong_region_is_blocked() -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "eu-dublin")
    run = run_program(ROOT, "eu-dublin", config, secret_keys=secrets)
    moved = {**run.config, "enclave:jurisdiction": "uk"}
    with PolicyEngine(PACK_DIR, StackIdentity(run.project, "eu-dublin", moved)) as engine:
        blocking = [d for d in engine.analyze(run.resources) if d.mandatory]
    assert {d.policy for d in blocking} >= {"residency-location", "key-custody"}
