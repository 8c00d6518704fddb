"""`enclave check --program` on programs that try to hide where data goes from the offline run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.enclave.gate.conftest import check, program

OFFLINE_PROGRAMS = Path(__file__).parents[1] / "offline" / "programs"


def _location_failures(*config: str) -> tuple[int, set[str]]:
    args = [f"--config={c}" for c in ("aws:region=eu-west-1", *config)]
    run = check(
        "--program",
        str(OFFLINE_PROGRAMS / "transforms"),
        "--jurisdiction",
        "eu",
        "--no-checkov",
        "--format",
        "json",
        *args,
    )
    [result] = run.json()["results"]
    assert result["error"] is None, result["error"]
    names = {v["urn"].rsplit("::", 1)[1] for v in result["violations"] if v["policy"] == "residency-location"}
    return run.code, names


def test_a_bucket_a_stack_transform_moves_abroad_blocks() -> None:
    code, names = _location_failures("mode=abroad")
    assert code == 1 and names == {"records"}


def test_the_same_program_without_the_rewrite_keeps_the_bucket_home() -> None:
    _, names = _location_failures("mode=home")
    assert names == set()


def _cluster_findings(mode: str) -> tuple[int, list[str]]:
    run = check(
        "--program", program("k8s_default"), "--jurisdiction", "eu", "--no-checkov", "--format", "json",
        "--config", f"mode={mode}",
    )  # fmt: skip
    [result] = run.json()["results"]
    assert result["error"] is None, result["error"]
    return run.code, [v["urn"] for v in result["violations"] if v["policy"] == "k8s-cluster-in-enclave"]


def test_a_kubernetes_object_left_on_the_default_provider_blocks_beside_explicit_providers() -> None:
    code, urns = _cluster_findings("stray")
    # The engine registers the default provider like any resource; offline it is registered the same way.
    assert code == 1 and len(urns) == 1 and "::pulumi:providers:kubernetes::default_" in urns[0]


def test_the_same_program_with_every_object_on_the_enclave_provider_binds_to_the_enclave_cluster() -> None:
    _, urns = _cluster_findings("clean")
    assert urns == []


def _endpoint_findings(*config: str) -> tuple[int, list[str]]:
    args = [a for c in config for a in ("--config", c)]
    run = check(
        "--program", program("endpoints"), "--jurisdiction", "eu", "--no-checkov", "--format", "json", *args
    )  # fmt: skip
    [result] = run.json()["results"]
    assert result["error"] is None, result["error"]
    return run.code, [v["message"] for v in result["violations"] if v["policy"] == "residency-location"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (("mode=abroad",), "endpoint override s3=https://s3.us-east-1.amazonaws.com is in us-east-1, outside"),
        (("mode=local",), "endpoint override s3=http://localhost:4566 is not an AWS endpoint (host 'localhost')"),
        (
            ("mode=none", 'aws:endpoints=[{"s3": "https://s3.us-east-1.amazonaws.com"}]'),
            "endpoint override s3=https://s3.us-east-1.amazonaws.com is in us-east-1, outside",
        ),
    ],
)
def test_a_provider_whose_endpoints_leave_the_jurisdiction_blocks(config: tuple[str, ...], expected: str) -> None:
    code, messages = _endpoint_findings(*config)
    assert code == 1 and [m for m in messages if expected in m]


@pytest.mark.parametrize(
    "config", [("mode=home",), ("mode=none", 'aws:endpoints=[{"s3": "https://s3.eu-west-1.amazonaws.com"}]')]
)
def test_endpoints_of_the_jurisdictions_own_regions_pass(config: tuple[str, ...]) -> None:
    _, messages = _endpoint_findings(*config)
    assert messages == []
