"""`enclave transfers --check` refuses registries that would widen what is approved or waived."""

from __future__ import annotations

from pathlib import Path

import pytest

from enclave.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "governance" / "examples"
CDN_URN = "urn:pulumi:eu-dublin::website::aws:cloudfront/distribution:Distribution::public-assets-cdn"


def _governance(tmp_path: Path, assessments: str, exemptions: str) -> Path:
    (tmp_path / "transfer-assessments.toml").write_text(assessments)
    (tmp_path / "exemptions.toml").write_text(exemptions)
    return tmp_path


ASSESSMENTS = (EXAMPLES / "transfer-assessments.toml").read_text()
EXEMPTIONS = (EXAMPLES / "exemptions.toml").read_text()
TRANSFER_EXEMPTION = f"""
[[exemption]]
id = "EX-CDN"
rule = "transfer-cloudfront"
resource = "{CDN_URN}"
jurisdiction = "eu"
reason = "TRA-EU-2026-002 is being re-reviewed"
owner = "dpo@example.com"
expires = 2027-03-01
"""


@pytest.mark.parametrize(
    ("assessments", "exemptions", "message"),
    [
        (ASSESSMENTS.replace("resources = [", "resource = [", 1), EXEMPTIONS, "unknown key 'resource'"),
        (ASSESSMENTS.replace("approved_on = 2026-01-15", "approved_on = 2026-07-01"), EXEMPTIONS, "is in the future"),
        (
            ASSESSMENTS.replace('destination = { jurisdiction = "uk" }', 'destination = { account = "444455556666" }'),
            EXEMPTIONS,
            "account id alone cannot prove where data goes",
        ),
        (
            ASSESSMENTS,
            EXEMPTIONS.replace("urn:pulumi:eu-dublin::enclave::aws:ec2/vpc:Vpc::", ""),
            "not a full Pulumi URN",
        ),
        (ASSESSMENTS, EXEMPTIONS + TRANSFER_EXEMPTION, "name the transfer assessment that covers the flow"),
        (ASSESSMENTS.replace("[[assessment]]", "[[assesment]]"), EXEMPTIONS, "unknown top-level key 'assesment'"),
    ],
)
def test_check_exits_1_naming_the_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, assessments: str, exemptions: str, message: str
) -> None:
    directory = _governance(tmp_path, assessments, exemptions)
    code = main(["transfers", "--check", "--governance-dir", str(directory), "--today", "2026-06-01"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_transfer_exemption_naming_its_covering_assessment_is_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    exemption = TRANSFER_EXEMPTION.replace('jurisdiction = "eu"', 'jurisdiction = "eu"\nassessment = "TRA-EU-2026-002"')
    directory = _governance(tmp_path, ASSESSMENTS, EXEMPTIONS + exemption)
    code = main(["transfers", "--check", "--governance-dir", str(directory), "--today", "2026-06-01"])
    assert code == 0, capsys.readouterr().err
