"""The Lambda entry points (``enclave.continuous.lambda_entry.<handler>``): read the environment, build the
boto3 Session from the function's role, run the same code `enclave audit` runs.

A bad environment or event raises, so Lambda records the invocation as failed and Config marks the rule
as errored: never a silent pass.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from enclave.continuous.config_rule import evaluate_change
from enclave.continuous.evidence import run_scheduled_audit
from enclave.continuous.settings import load_settings
from residency.assessments import AssessmentRegistry, load_registry
from residency.exemptions import ExemptionRegistry, load_exemptions
from residency.jurisdictions import default_catalogue
from residency.rules import RULE_VECTORS

# The governance registries packaged beside the code (the same files the pack and the CLI read).
GOVERNANCE = Path(__file__).resolve().parents[2] / "governance"


def registries() -> tuple[AssessmentRegistry, ExemptionRegistry]:
    assessments = load_registry(GOVERNANCE / "transfer-assessments.toml", default_catalogue())
    exemptions = load_exemptions(GOVERNANCE / "exemptions.toml", RULE_VECTORS, assessments)
    return assessments, exemptions


def _session() -> Any:
    import boto3

    return boto3.Session()


def config_rule_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = load_settings(os.environ, evidence=False)
    assessments, exemptions = registries()
    now = datetime.now(UTC)
    return evaluate_change(event, _session(), settings, assessments, exemptions, now.date())


def scheduled_audit_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = load_settings(os.environ, evidence=True)
    assessments, exemptions = registries()
    run = run_scheduled_audit(_session(), settings, assessments, exemptions, datetime.now(UTC).replace(microsecond=0))
    return {"prefix": run.prefix, "digests": run.digests, "counts": run.counts, "imported": run.imported}
