"""Through gRPC: registries that would widen an approval or a waiver stop the pack (fail closed); a transfer
exemption that names its covering assessment waives exactly that transfer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policy_engine.client import PolicyEngine
from tests.residency_pack.cases import ASSESSMENTS, CASES
from tests.residency_pack.engine_support import captured, of, start_engine

_, APPROVED_CDN = CASES["transfer-cloudfront"]
CDN_URN = APPROVED_CDN[0].urn
EXPIRED = ASSESSMENTS.replace("review_by = 2099-01-01", "review_by = 2025-03-01")
EXEMPTION = """[[exemption]]
id = "EX-CDN"
rule = "transfer-cloudfront"
resource = "{resource}"
jurisdiction = "eu"
{assessment}reason = "TRA-TEST-CDN is being re-reviewed"
owner = "dpo@example.com"
expires = 2099-12-31
"""


@pytest.fixture(scope="module")
def engine() -> Iterator[PolicyEngine]:
    running = start_engine({"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"})
    yield running
    running.close()


def _governance(root: Path, name: str, assessments: str, exemptions: str) -> str:
    directory = root / name
    directory.mkdir()
    (directory / "transfer-assessments.toml").write_text(assessments)
    (directory / "exemptions.toml").write_text(exemptions)
    return str(directory)


def test_a_transfer_exemption_naming_its_assessment_waives_the_lapsed_transfer(
    engine: PolicyEngine, tmp_path: Path
) -> None:
    exemptions = EXEMPTION.format(resource=CDN_URN, assessment='assessment = "TRA-TEST-CDN"\n')
    engine.configure({"residency-context": {"governanceDir": _governance(tmp_path, "ok", EXPIRED, exemptions)}})
    diags = engine.analyze(captured(APPROVED_CDN))
    assert not of(diags, "transfer-cloudfront") and not of(diags, "residency-context")
    assert "exempted by EX-CDN" in of(diags, "residency-exceptions", "advisory")[0].message


@pytest.mark.parametrize(
    ("resource", "assessment", "message"),
    [
        (CDN_URN, "", "name the transfer assessment that covers the flow"),
        ("approved-cdn", 'assessment = "TRA-TEST-CDN"\n', "an exemption names exactly one resource"),
    ],
)
def test_an_exemption_that_would_waive_too_much_stops_the_pack(
    engine: PolicyEngine, tmp_path: Path, resource: str, assessment: str, message: str
) -> None:
    exemptions = EXEMPTION.format(resource=resource, assessment=assessment)
    engine.configure({"residency-context": {"governanceDir": _governance(tmp_path, "bad", EXPIRED, exemptions)}})
    diags = engine.analyze(captured(APPROVED_CDN))
    context = of(diags, "residency-context")
    assert context and "exemption registry is invalid" in context[0].message and message in context[0].message
    assert of(diags, "transfer-cloudfront") or of(diags, "residency-location")  # nothing is waived


def test_a_typo_that_would_widen_an_assessment_stops_the_pack(engine: PolicyEngine, tmp_path: Path) -> None:
    typo = ASSESSMENTS.replace("resources = [", "resource = [")
    engine.configure({"residency-context": {"governanceDir": _governance(tmp_path, "typo", typo, "")}})
    context = of(engine.analyze(captured(APPROVED_CDN)), "residency-context")
    assert context and "unknown key 'resource'" in context[0].message
