"""The scheduled evidence run: the full audit of the enclave's account, its evidence written into the
object-locked audit bucket with a digest, and its findings imported into Security Hub as ASFF.

Evidence layout (one folder per run, never overwritten; the bucket's default COMPLIANCE retention locks
every object): ``evidence/<jurisdiction>/<YYYY>/<MM>/<DD>/<YYYYMMDDTHHMMSSZ>/`` with ``audit.json``,
``audit.html`` and ``SHA256SUMS`` (``<hex digest>  <file name>`` per line, as ``sha256sum`` writes it).
Each object also carries its digest in its metadata (``x-amz-meta-sha256``) and as S3's own
``ChecksumSHA256``, which S3 verifies on upload; a changed object no longer matches the digest recorded
beside it, and object lock keeps the original version.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from enclave.audit import run_audit
from enclave.audit.findings import AuditReport
from enclave.audit.report import render_html, render_json
from enclave.audit.scanner import AuditRequest
from enclave.continuous.asff import batches, to_asff
from enclave.continuous.settings import HandlerSettings
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue

DIGEST_FILE = "SHA256SUMS"


@dataclass
class EvidenceRun:
    prefix: str
    digests: dict[str, str]
    counts: dict[str, int]
    imported: int = 0
    keys: list[str] = field(default_factory=list)


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def write_evidence(s3: Any, settings: HandlerSettings, report: AuditReport, now: datetime) -> EvidenceRun:
    """Write the report's JSON and HTML, and their digests, under a new prefix of the audit bucket."""
    prefix = f"evidence/{settings.jurisdiction.id}/{now:%Y/%m/%d}/{now:%Y%m%dT%H%M%SZ}/"
    files = {"audit.json": render_json(report).encode(), "audit.html": render_html(report).encode()}
    content_types = {"audit.json": "application/json", "audit.html": "text/html; charset=utf-8"}
    digests = {name: sha256_hex(body) for name, body in files.items()}
    files[DIGEST_FILE] = "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)).encode()
    content_types[DIGEST_FILE] = "text/plain; charset=utf-8"
    run = EvidenceRun(prefix, digests, report.counts())
    for name, body in files.items():
        digest = hashlib.sha256(body).digest()
        s3.put_object(
            Bucket=settings.audit_bucket,
            Key=prefix + name,
            Body=body,
            ContentType=content_types[name],
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=settings.audit_key_arn,
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=base64.b64encode(digest).decode(),
            Metadata={"sha256": digest.hex(), "jurisdiction": settings.jurisdiction.id},
        )
        run.keys.append(prefix + name)
    return run


def import_findings(securityhub: Any, settings: HandlerSettings, report: AuditReport, now: datetime) -> int:
    """Every finding (PASS too: a resolved finding must be seen as PASSED) into Security Hub, 100 a call."""
    records = [
        to_asff(
            f,
            account=report.scan.account,
            region=settings.region,
            jurisdiction=settings.jurisdiction.id,
            observed_at=now,
            tool_version=report.tool_version,
        )
        for f in report.findings
    ]
    for batch in batches(records):
        answer = securityhub.batch_import_findings(Findings=batch)
        if answer.get("FailedCount"):
            first = (answer.get("FailedFindings") or [{}])[0]
            raise RuntimeError(f"Security Hub refused {answer['FailedCount']} finding(s): {first}")
    return len(records)


def run_scheduled_audit(
    session: Any,
    settings: HandlerSettings,
    assessments: AssessmentRegistry,
    exemptions: ExemptionRegistry,
    now: datetime,
    *,
    regions: tuple[str, ...] | None = None,
    services: tuple[str, ...] | None = None,
) -> EvidenceRun:
    """The full audit (every enabled region and every scanner unless narrowed), evidence, then Security Hub.

    Evidence is written before the import, so a Security Hub failure never loses the evidence."""
    request = AuditRequest(settings.jurisdiction, regions=regions, endpoint_url=settings.endpoint_url)
    if services is not None:
        request = replace(request, services=services)
    report = run_audit(session, request, default_catalogue(), assessments, exemptions, now.date())
    client = {"region_name": settings.region, "endpoint_url": settings.endpoint_url}
    run = write_evidence(session.client("s3", **client), settings, report, now)
    if settings.security_hub:
        run.imported = import_findings(session.client("securityhub", **client), settings, report, now)
    return run
