"""Judge a scan with the shared rule catalogue and turn the outcome into an auditor's evidence record.

Statuses in an audit are PASS, FAIL and ERROR:
- the core's UNKNOWN (a value the rule cannot judge) is a FAIL whose message starts "cannot be verified";
- a blocking finding waived by an unexpired exemption is a PASS that names the exemption;
- an API call that returned no evidence (access denied, throttled past retries, ...) is an ERROR naming
  the service, region, operation and IAM permission.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from enclave.audit.scanner import AuditScan
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import Catalogue, Jurisdiction
from residency.model import Finding, Status
from residency.rules import Context, evaluate

PASS, FAIL, ERROR = "PASS", "FAIL", "ERROR"


@dataclass(frozen=True)
class AuditFinding:
    rule: str
    status: str
    resource: str
    region: str | None
    message: str
    assessment: str | None = None
    exemption: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("assessment", "exemption") or v is not None}
        return out


@dataclass
class AuditReport:
    scan: AuditScan
    jurisdiction: Jurisdiction
    tool_version: str
    findings: list[AuditFinding]
    exemptions_used: list[dict[str, str]] = field(default_factory=list)
    assessments_used: list[dict[str, str]] = field(default_factory=list)
    # The commit the tool ran from and the digest of the rules that judged (enclave.audit.provenance).
    commit: str = "unknown"
    rule_catalogue_sha256: str = ""

    def counts(self) -> dict[str, int]:
        counts = {PASS: 0, FAIL: 0, ERROR: 0}
        for f in self.findings:
            counts[f.status] += 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 when clean, 1 when any finding is FAIL or ERROR."""
        return 1 if any(f.status in (FAIL, ERROR) for f in self.findings) else 0

    @property
    def allowed_regions_not_scanned(self) -> list[str]:
        """The jurisdiction's own regions this scan did not look at (a narrowed or partial audit)."""
        return sorted(set(self.jurisdiction.sorted_regions()) - set(self.scan.regions))

    def scope(self) -> dict[str, Any]:
        return {
            "account": self.scan.account,
            "identity": self.scan.identity,
            "jurisdiction": self.jurisdiction.id,
            "jurisdiction_name": self.jurisdiction.name,
            "allowed_regions": self.jurisdiction.sorted_regions(),
            "regions": self.scan.regions,
            "region_source": self.scan.region_source,
            "allowed_regions_not_scanned": self.allowed_regions_not_scanned,
            "services": self.scan.services,
            "started_at": self.scan.started_at.isoformat(),
            "finished_at": self.scan.finished_at.isoformat(),
            "tool_version": self.tool_version,
            "commit": self.commit,
            "rule_catalogue_sha256": self.rule_catalogue_sha256,
            "endpoint": self.scan.endpoint,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "scope": self.scope(),
            "summary": self.counts(),
            "errors": [failure.as_dict() for failure in self.scan.failures],
            "exemptions_used": self.exemptions_used,
            "assessments_used": self.assessments_used,
        }


def audit_status(finding: Finding) -> AuditFinding:
    """Map one core finding to the audit's PASS/FAIL/ERROR vocabulary."""
    status, message = str(finding.status), finding.message
    if finding.exemption is not None:
        status, message = PASS, f"{message} (waived by exemption {finding.exemption})"
    elif finding.status == Status.UNKNOWN:
        status, message = FAIL, f"cannot be verified: {message}"
    return AuditFinding(
        finding.rule, status, finding.resource, finding.region, message, finding.assessment, finding.exemption
    )


def judge(
    scan: AuditScan,
    jurisdiction: Jurisdiction,
    catalogue: Catalogue,
    assessments: AssessmentRegistry,
    exemptions: ExemptionRegistry,
    today: date,
    tool_version: str,
) -> AuditReport:
    # The audited account is the enclave's: a key of any other account is custody elsewhere.
    ctx = Context(
        jurisdiction=jurisdiction, catalogue=catalogue, assessments=assessments, today=today, account=scan.account
    )
    core = exemptions.apply(evaluate(scan.facts, ctx), jurisdiction.id, today)
    findings = [audit_status(f) for f in core]
    findings += [
        AuditFinding(failure.rule, ERROR, failure.resource, failure.region, failure.message)
        for failure in scan.failures
    ]
    findings.sort(key=lambda f: ({FAIL: 0, ERROR: 1, PASS: 2}[f.status], f.region or "", f.rule, f.resource))
    return AuditReport(
        scan=scan,
        jurisdiction=jurisdiction,
        tool_version=tool_version,
        findings=findings,
        exemptions_used=_exemptions_used(core, exemptions),
        assessments_used=_assessments_used(core, assessments, today),
    )


def _exemptions_used(core: list[Finding], registry: ExemptionRegistry) -> list[dict[str, str]]:
    used = []
    for eid in sorted({f.exemption for f in core if f.exemption}):
        ex = registry.get(eid)
        if ex is not None:
            used.append(
                {
                    "id": ex.id,
                    "rule": ex.rule,
                    "resource": ex.resource,
                    "reason": ex.reason,
                    "owner": ex.owner,
                    "expires": ex.expires.isoformat(),
                }
            )
    return used


def _assessments_used(core: list[Finding], registry: AssessmentRegistry, today: date) -> list[dict[str, str]]:
    # Expired assessments are listed too (their findings FAIL), marked as such.
    used = []
    for aid in sorted({f.assessment for f in core if f.assessment}):
        a = registry.get(aid)
        if a is not None:
            used.append(
                {
                    "id": a.id,
                    "source": a.source,
                    "destination": a.destination.describe(),
                    "legal_mechanism": str(a.legal_mechanism),
                    "approver": a.approver,
                    "review_by": a.review_by.isoformat(),
                    "state": "expired" if a.expired(today) else "valid",
                    "vectors": ", ".join(sorted(str(v) for v in a.vectors)),
                }
            )
    return used
