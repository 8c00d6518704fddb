"""The pack's diagnostics become the report's violations and exemptions (the format is the pack's own)."""

from __future__ import annotations

from datetime import date

from enclave.gate.pipeline import add_diagnostics
from enclave.gate.results import ExemptionUse, TargetResult, Violation
from policy_engine.client import Diagnostic
from residency.exemptions import Exemption, ExemptionRegistry
from residency.model import Finding, Status
from residency_pack.context import PackContext
from residency_pack.policies import EXCEPTIONS_POLICY, _exception_lines

URN = "urn:pulumi:dev::demo::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::records"


def diagnostic(policy: str, level: str, message: str, urn: str = URN) -> Diagnostic:
    return Diagnostic(policy, level, urn, message, "residency", "1.0.0", "unspecified")


def test_violations_keep_rule_metadata_and_drop_the_description_prefix() -> None:
    result = TargetResult("t", "dev", "eu")
    message = "Every regional resource ...\n[residency-location violated] bucket is in us-east-1\nFix: move it"
    add_diagnostics(result, [diagnostic("residency-location", "mandatory", message)], {URN: "aws:s3/bucket:Bucket"})
    assert result.violations == [
        Violation(
            "residency-location",
            "residency",
            "critical",
            "mandatory",
            URN,
            "aws:s3/bucket:Bucket",
            "[residency-location violated] bucket is in us-east-1\nFix: move it",
        )
    ]


def test_exemption_lines_from_the_pack_become_exemptions_not_violations() -> None:
    exemption = Exemption(
        "EX-7", "s3-encryption-kms", URN, "legacy import, re-keyed in Q1", "data-platform", date(2030, 1, 31)
    )
    ctx = PackContext(rules=None, stack_region="eu-west-1", exemptions=ExemptionRegistry((exemption,)))
    finding = Finding("s3-encryption-kms", Status.FAIL, URN, "eu-west-1", "no SSE config", exemption="EX-7")
    [(_, line)] = _exception_lines([finding], ctx)
    assessment = "[transfer-s3-replication] covered by assessment TA-1"
    result = TargetResult("t", "dev", "eu")
    add_diagnostics(
        result,
        [
            diagnostic(EXCEPTIONS_POLICY, "advisory", f"Lists exemptions...\n{line}"),
            diagnostic(EXCEPTIONS_POLICY, "advisory", f"Lists exemptions...\n{assessment}"),
        ],
        {},
    )
    assert result.violations == []
    assert result.exemptions == [
        ExemptionUse("EX-7", "s3-encryption-kms", URN, "legacy import, re-keyed in Q1", "data-platform", "2030-01-31")
    ]


def test_a_mandatory_policy_that_could_not_run_blocks_and_an_advisory_one_does_not() -> None:
    result = TargetResult("t", "dev", "eu")
    cant = "can't run policy '{}' from policy pack 'residency@v1.0.0' during preview: unknown"
    add_diagnostics(
        result,
        [
            diagnostic("residency-location", "advisory", cant.format("residency-location")),
            diagnostic(EXCEPTIONS_POLICY + "-other", "advisory", "an advisory note"),
        ],
        {},
    )
    assert [v.blocking for v in result.violations] == [True, False]
    assert result.blocking and len(result.blocking_violations) == 1
