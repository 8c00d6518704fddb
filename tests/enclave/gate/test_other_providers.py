"""What the gate cannot see one by one blocks as "cannot be verified", naming the type and the package: a
multi-language component (offline its plugin never creates the children), a dynamic provider's resource (its
code runs at deployment), another provider's resource. Their counterparts the gate can judge pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.enclave.gate.conftest import check, program


def _check(mode: str) -> tuple[int, dict[str, Any]]:
    run = check("--program", program("other_providers"), "--jurisdiction", "eu", "--no-checkov", "--format", "json",
                "--config", "aws:region=eu-west-1", "--config", f"mode={mode}")  # fmt: skip
    [result] = run.json()["results"]
    assert result["error"] is None, result
    return run.code, result


@pytest.mark.parametrize(
    ("mode", "resource_type", "said"),
    [
        ("remote-component", "awsx:ec2:Vpc", "is from provider package awsx, which the resource-type catalogue"),
        (
            "dynamic",
            "pulumi-python:dynamic/exports:Export",
            "a dynamic provider: its own code runs at deployment and can send data anywhere",
        ),
        ("saas", "snowflake:index/database:Database", "is from provider package snowflake, which the resource-type"),
    ],
)
def test_what_the_gate_cannot_see_blocks_naming_type_and_package(mode: str, resource_type: str, said: str) -> None:
    code, result = _check(mode)
    assert code == 1
    [violation] = [v for v in result["violations"] if v["resource_type"] == resource_type]
    assert violation["policy"] == "transfer-data-path" and violation["enforcement_level"] == "mandatory"
    assert violation["status"] == "UNKNOWN" and said in violation["message"]
    assert resource_type in violation["message"]


def test_the_provider_of_an_unknown_package_blocks_too() -> None:
    _, result = _check("saas")
    [violation] = [v for v in result["violations"] if v["resource_type"] == "pulumi:providers:snowflake"]
    assert violation["enforcement_level"] == "mandatory" and "provider snowflake" in violation["message"]


@pytest.mark.parametrize("mode", ["local-component", "random"])
def test_a_local_component_and_a_known_package_pass(mode: str) -> None:
    code, result = _check(mode)
    assert (code, result["violations"]) == (0, [])
    assert result["resource_count"] == 1
