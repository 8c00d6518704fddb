"""`enclave check --program` on programs that try to hide where data goes from the offline run."""

from __future__ import annotations

from pathlib import Path

from tests.enclave.gate.conftest import check

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
