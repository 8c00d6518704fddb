"""The project's own stacks (every stacks/Pulumi.<stack>.yaml) raise no mandatory violation in the pack."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adapters.pulumi.aws_program import program_facts
from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import AWS_PROVIDER, ResourceView, facts_for, is_regional_aws_type
from enclave.offline.model import CapturedResource
from enclave.offline.runner import run_program
from enclave.offline.stack_files import load_project, load_stack_config
from policy_engine.client import PolicyEngine, StackIdentity
from residency.model import Status
from residency.rules import RULES
from residency_pack.context import build_context
from residency_pack.evaluation import judge
from tests.residency_pack.engine_support import PACK_DIR

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
    assert all(d.level == "advisory" for d in diagnostics)
    _assert_the_rules_ran_and_passed(run.resources, config, project.name)


def _assert_the_rules_ran_and_passed(resources: list[CapturedResource], config: dict[str, str], project: str) -> None:
    """Clean because the rules ran and passed, not because nothing was judged: the same captured program,
    judged directly by the core rules, places every regional AWS resource and explicit AWS provider in the
    jurisdiction (one residency-location PASS each) and has no blocking finding."""
    env = {"PULUMI_CONFIG": json.dumps(config), "PULUMI_PROJECT": project}
    ctx = build_context(None, ROOT / "governance", environ=env)
    assert ctx.ok, ctx.problems
    providers = {r.urn: r.inputs for r in resources if r.is_provider}
    views = [
        ResourceView(
            r.urn,
            r.type,
            r.name,
            r.inputs,
            r.region,
            providers.get(r.provider) if r.provider else None,
            protect=r.protect,
            component=not r.custom and not r.remote,  # the enclave's own components hold nothing themselves
        )
        for r in resources
    ]
    program = [
        ProgramResource(
            ResourceView(
                v.urn, v.type, v.name, {**r.inputs, **r.outputs}, v.region, v.provider_props, protect=r.protect
            ),
            r.parent,
            tuple(r.dependencies),
            {k: tuple(u) for k, u in r.property_dependencies.items()},
        )
        for v, r in zip(views, resources, strict=True)
    ]
    findings = judge(RULES, [f for v in views for f in facts_for(v)] + program_facts(program), ctx)
    assert not [f for f in findings if f.blocking], [f.message for f in findings if f.blocking]
    located = [f for f in findings if f.rule == "residency-location" and f.status is Status.PASS]
    placed = [r for r in resources if r.custom and (is_regional_aws_type(r.type) or r.type == AWS_PROVIDER)]
    assert placed and len(located) == len(placed)


def test_the_same_stack_in_the_wrong_region_is_blocked() -> None:
    project = load_project(ROOT)
    config, secrets = load_stack_config(project, "eu-dublin")
    run = run_program(ROOT, "eu-dublin", config, secret_keys=secrets)
    # Declared for the UK with a UK enclave account: the EU regions and keys are outside it.
    moved = {**run.config, "enclave:jurisdiction": "uk", "enclave:accountId": "111111111102"}
    with PolicyEngine(PACK_DIR, StackIdentity(run.project, "eu-dublin", moved)) as engine:
        blocking = [d for d in engine.analyze(run.resources) if d.mandatory]
    assert {d.policy for d in blocking} >= {"residency-location", "key-custody"}
    # Declared for the UK but still with the EU's enclave account: the catalogue says whose it is.
    relabelled = {**run.config, "enclave:jurisdiction": "uk"}
    with PolicyEngine(PACK_DIR, StackIdentity(run.project, "eu-dublin", relabelled)) as engine:
        context = [d for d in engine.analyze(run.resources) if d.mandatory and d.policy == "residency-context"]
    assert context and "is an enclave account of European Union (eu)" in context[0].message
