"""What checkov scans for one program run, and how its findings come back as Pulumi URNs.

AWS resources go through the Terraform-plan bridge (``terraform_plan``); Kubernetes resources become
manifests through ``enclave.gate.kubernetes_manifests`` and are scanned with ``--framework kubernetes``.
checkov names a finding's resource by plan address (``aws_s3_bucket.x``) or by ``Kind.namespace.name``;
both map back to exactly one URN. Anything else is listed as an unmapped type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from enclave.gate.checkov_runner import FileReport, ScanFile
from enclave.gate.checkov_skips import skip_reason
from enclave.gate.kubernetes_manifests import render
from enclave.gate.results import CheckovFinding, CheckovSummary
from enclave.gate.terraform_plan import build_plan
from enclave.offline.model import ProgramRun
from residency.stack_config import REGION

KUBERNETES_PREFIX = "kubernetes:"
# Pulumi's own types are not cloud objects: nothing to scan and nothing to report as unmapped.
_NOT_RESOURCES = ("pulumi:",)


def scan_files_for(run: ProgramRun, index: int) -> tuple[list[ScanFile], dict[str, dict[str, str]], list[str]]:
    """The files to scan for ``run``, per file a map from checkov resource id to URN, and unmapped types."""
    files: list[ScanFile] = []
    mapping: dict[str, dict[str, str]] = {}
    region = run.config.get(REGION)
    plan = build_plan((r for r in run.resources if not r.type.startswith(KUBERNETES_PREFIX)), region)
    if plan.address_to_urn:
        name = f"target-{index}.json"
        files.append(ScanFile(run.stack, "terraform_plan", name, json.dumps(plan.document)))
        mapping[name] = dict(plan.address_to_urn)
    manifests = render(r for r in run.resources if r.custom)
    if manifests.manifests:
        name = f"target-{index}-k8s.yaml"
        files.append(ScanFile(run.stack, "kubernetes", name, manifests.to_yaml()))
        mapping[name] = dict(manifests.urns)
    unmapped = {t for t in plan.unmapped_types if not t.startswith(_NOT_RESOURCES)}
    unmapped.update(r.type for r in manifests.unmapped)
    return files, mapping, sorted(unmapped)


def summarise(
    run: ProgramRun, mapping: Mapping[str, Mapping[str, str]], reports: Mapping[str, FileReport]
) -> CheckovSummary:
    """checkov's results for one target, failures split into unjustified findings and justified skips."""
    by_urn = run.by_urn()
    summary = CheckovSummary()
    for name, ids in mapping.items():
        report = reports.get(name, FileReport())
        summary.passed += report.passed
        summary.skipped += report.skipped
        for raw in report.failed:
            urn = ids.get(raw.resource, raw.resource)
            reason = skip_reason(raw.check_id, by_urn.get(urn))
            finding = CheckovFinding(raw.check_id, urn, raw.check_name, skip_reason=reason)
            if reason:
                summary.skipped += 1
                summary.skips.append(finding)
            else:
                summary.failed += 1
                summary.findings.append(finding)
    return summary
