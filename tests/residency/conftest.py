from collections.abc import Mapping
from datetime import date

import pytest

from residency.assessments import AssessmentRegistry, parse_registry
from residency.jurisdictions import default_catalogue
from residency.rules import Context

TODAY = date(2026, 11, 30)


def assessment(**overrides: object) -> dict[str, object]:
    """A valid transfer assessment record as the registry file holds it; overrides replace (or break) fields."""
    raw: dict[str, object] = {
        "id": "TRA-EU-2026-001",
        "source": "eu",
        "destination": {"jurisdiction": "uk"},
        "vectors": ["s3-replication"],
        "data_categories": ["account profile"],
        "purpose": "disaster recovery copy",
        "legal_mechanism": "adequacy-decision",
        "supplementary_measures": ["encryption with EU-held keys"],
        "residual_risk": "low",
        "approver": "dpo@example.com",
        "approved_on": "2026-01-15",
        "review_by": "2027-01-15",
    }
    raw.update(overrides)
    return raw


@pytest.fixture
def eu_ctx() -> Context:
    return Context(jurisdiction=default_catalogue().get("eu"), catalogue=default_catalogue(), today=TODAY)


def ctx_with(*raw_assessments: Mapping[str, object], jurisdiction: str = "eu") -> Context:
    c = default_catalogue()
    registry = parse_registry(raw_assessments, c) if raw_assessments else AssessmentRegistry()
    return Context(jurisdiction=c.get(jurisdiction), catalogue=c, assessments=registry, today=TODAY)
