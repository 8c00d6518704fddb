"""The pack's diagnostics become the report's violations and exemptions, read from the finding each one
carries (residency.finding_wire), never from its prose."""

from __future__ import annotations

from datetime import date

from enclave.gate.pipeline import add_diagnostics
from enclave.gate.results import ExemptionUse, TargetResult, Violation
from policy_engine.client import Diagnostic
from residency.exemptions import Exemption
from residency.model import Finding, Status
from residency_pack.evaluation import render
from residency_pack.policies import EXCEPTIONS_POLICY

URN = "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::records"
DESCRIPTION = "Every regional resource ..."


def diagnostic(policy: str, level: str, message: str, urn: str = URN) -> Diagnostic:
    return Diagnostic(policy, level, urn, message, "residency", "1.0.0", "unspecified")


def test_violations_keep_rule_metadata_and_the_finding_and_drop_the_description_prefix() -> None:
    result = TargetResult("t", "dev", "eu")
    finding = Finding("residency-location", Status.FAIL, URN, "us-east-1", "bucket is in us-east-1")
    message = f"{DESCRIPTION}\n{render(finding)}"
    add_diagnostics(result, [diagnostic("residency-location", "mandatory", message)], {URN: "aws:s3/bucket:Bucket"})
    assert result.violations == [
        Violation(
            "residency-location",
            "residency",
            "critical",
            "mandatory",
            URN,
            "aws:s3/bucket:Bucket",
            "[residency-location violated] bucket is in us-east-1\nFix: Set the resource's `region` (or its "
            "provider's `region`) to one of the jurisdiction's regions, and its provider's "
            "`allowedAccountIds`/`assumeRoles` to the jurisdiction's enclave accounts.",
            status="FAIL",
        )
    ]


def test_exemption_findings_from_the_pack_become_exemptions_not_violations() -> None:
    exemption = Exemption(
        "EX-7", "s3-encryption-kms", URN, "legacy import; re-keyed in Q1", "data-platform", date(2030, 1, 31)
    )
    waived = Finding("s3-encryption-kms", Status.FAIL, URN, "eu-west-1", "no SSE config", exemption="EX-7")
    covered = Finding("transfer-s3-replication", Status.PASS, URN, "eu-west-2", "covered", assessment="TA-1")
    result = TargetResult("t", "dev", "eu")
    add_diagnostics(
        result,
        [
            diagnostic(EXCEPTIONS_POLICY, "advisory", f"Lists exemptions...\n{render(waived, exemption)}"),
            diagnostic(EXCEPTIONS_POLICY, "advisory", f"Lists exemptions...\n{render(covered)}"),
        ],
        {},
    )
    assert result.violations == []
    assert result.exemptions == [
        ExemptionUse("EX-7", "s3-encryption-kms", URN, "legacy import; re-keyed in Q1", "data-platform", "2030-01-31")
    ]


def test_a_mandatory_policy_whose_diagnostic_carries_no_finding_blocks_and_an_advisory_one_does_not() -> None:
    result = TargetResult("t", "dev", "eu")
    cant = "can't run policy '{}' from policy pack 'residency@v1.0.0' during preview: unknown"
    add_diagnostics(
        result,
        [
            diagnostic("residency-location", "advisory", cant.format("residency-location")),
            diagnostic("residency-location", "mandatory", "x\nresidency-finding {broken"),
            diagnostic(EXCEPTIONS_POLICY + "-other", "advisory", "an advisory note"),
        ],
        {},
    )
    assert [v.blocking for v in result.violations] == [True, True, False]
    assert result.blocking and len(result.blocking_violations) == 2


def test_an_unknown_finding_names_the_offline_source_of_exactly_its_input() -> None:
    result = TargetResult("t", "dev", "eu")
    finding = Finding("residency-location", Status.UNKNOWN, URN, None, "region unknown", unknown=".region")
    sources = {URN: {"region": "StackReference 'org/net/prod' output 'region'", "tags": "invoke x"}}
    add_diagnostics(result, [diagnostic("residency-location", "mandatory", render(finding))], {}, sources)
    [violation] = result.violations
    assert violation.unknown == ".region" and violation.status == "UNKNOWN"
    assert violation.message.endswith(
        "Unknown offline: region comes from StackReference 'org/net/prod' output 'region'"
    )
