"""Programs in the style of the Pulumi examples (AWS and Kubernetes; tests/enclave/gate/programs/examples/README.md)
are judged without a crash: the gate completes and reports, whatever the verdict."""

from __future__ import annotations

import pytest

from tests.enclave.gate.conftest import check, program

EXAMPLES = [
    "examples/kubernetes_guestbook",
    "examples/kubernetes_app_provider",
    "examples/aws_fargate",
    "examples/aws_lambda_sns",
    "s3_folder",
    "webserver",
    "eks",
    "serverless",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_judged_without_a_crash(name: str) -> None:
    run = check("--program", program(name), "--jurisdiction", "eu", "--no-checkov", "--format", "json")
    [result] = run.json()["results"]
    assert result["error"] is None, result["error"]
    assert run.code in (0, 1) and result["resource_count"] > 0
    assert "Traceback" not in run.stderr


def test_an_apply_over_a_computed_output_does_not_run_in_the_preview() -> None:
    # kubernetes-py-guestbook reads status.load_balancer.ingress[0] inside apply: the cluster computes status,
    # so in a preview it is unknown and the apply does not run; the gate says it judged a preview.
    run = check("--program", program("examples/kubernetes_guestbook"), "--jurisdiction", "eu", "--no-checkov",
                "--format", "json")  # fmt: skip
    [result] = run.json()["results"]
    assert result["error"] is None
    assert any("run again as a preview" in note for note in result["notes"])
