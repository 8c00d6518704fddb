"""The live residency auditor: scan an AWS account, judge it with the shared rules, report evidence."""

from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from enclave.audit.findings import AuditFinding, AuditReport, judge
from enclave.audit.provenance import rule_catalogue_digest, source_commit
from enclave.audit.scanner import AuditRequest, AuditScan, AuditSetupError, ScanProgress, scan
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import Catalogue


def tool_version() -> str:
    try:
        return version("regional-enclaves")
    except PackageNotFoundError:
        return "unknown"


def run_audit(
    session: Any,
    request: AuditRequest,
    catalogue: Catalogue,
    assessments: AssessmentRegistry | None = None,
    exemptions: ExemptionRegistry | None = None,
    today: date | None = None,
    progress: ScanProgress | None = None,
) -> AuditReport:
    """Scan with ``session`` and judge the facts. Raises AuditSetupError when the audit cannot start."""
    result = scan(session, request, progress)
    report = judge(
        result,
        request.jurisdiction,
        catalogue,
        assessments or AssessmentRegistry(),
        exemptions or ExemptionRegistry(),
        today or date.today(),
        tool_version(),
    )
    report.commit = source_commit()
    report.rule_catalogue_sha256 = rule_catalogue_digest()
    return report


__all__ = ["AuditFinding", "AuditReport", "AuditRequest", "AuditScan", "AuditSetupError", "run_audit", "scan"]
