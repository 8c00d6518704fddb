"""Every guard the shipped stacks create is protected (and retained where its store is): issue 10.

The classification lives in residency/guards.py; a resource type in neither list fails here, so adding a type
is a decision (guard or not, with the reason), never a silent default.
"""

from __future__ import annotations

import pytest

from enclave.offline.model import CapturedResource
from enclave.offline.stack_files import load_project
from residency.guards import COMPONENT_PREFIX, GUARD_TYPES, NOT_GUARD_TYPES, RETAINED_GUARD_TYPES
from tests.components.enclave_runs import PROJECT_DIR, shipped_run

STACKS = load_project(PROJECT_DIR).stacks()


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _resources(stack: str) -> list[CapturedResource]:
    run = shipped_run(stack)
    assert run.error is None, run.error
    return [r for r in run.resources if not r.type.startswith(COMPONENT_PREFIX)]


def test_every_resource_type_is_classified(stack: str) -> None:
    unclassified = sorted({r.type for r in _resources(stack)} - set(GUARD_TYPES) - set(NOT_GUARD_TYPES))
    assert unclassified == [], "classify each type in residency/guards.py (guard, or not with the reason)"


def test_no_guard_is_unprotected(stack: str) -> None:
    unprotected = [f"{r.type} {r.name}" for r in _resources(stack) if r.type in GUARD_TYPES and not r.protect]
    assert unprotected == []


def test_guards_of_retained_stores_are_retained(stack: str) -> None:
    loose = [
        f"{r.type} {r.name}" for r in _resources(stack) if r.type in RETAINED_GUARD_TYPES and not r.retain_on_delete
    ]
    assert loose == []


def test_the_lists_are_disjoint_and_give_reasons() -> None:
    assert set(GUARD_TYPES).isdisjoint(NOT_GUARD_TYPES)
    assert set(GUARD_TYPES) >= RETAINED_GUARD_TYPES
    assert all(reason.strip() for reason in [*GUARD_TYPES.values(), *NOT_GUARD_TYPES.values()])


def test_an_enclave_has_its_guards() -> None:
    """eu-dublin: the guards the issue counted (154 across the stacks on main) are all here, and more."""
    guards = [r for r in _resources("eu-dublin") if r.type in GUARD_TYPES]
    types = {r.type for r in guards}
    assert {
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:cloudtrail/trail:Trail",
        "aws:ec2/flowLog:FlowLog",
        "aws:iam/policy:Policy",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
    } <= types
    assert len(guards) > 20
