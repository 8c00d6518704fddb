"""Justified checkov skips: a failed check counts as skipped only with a written reason, shown in every report.

checkov honours skip comments only in source files it parses, and it never sees a Pulumi program's source.
So a skip is either
- a tag on the resource itself, next to it in the program: ``checkov:skip:<CHECK_ID>`` = ``<reason>``
  (AWS tag keys allow ``:``; the reason is the tag value and is deployed with the resource), or
- an entry in ``REVIEWED_SKIPS`` below, for checks that contradict residency itself. Each entry names the
  check, the Pulumi type it applies to, a pattern for the resource name, and the reason; changing this
  table is a reviewed change to the gate.
A skip without a reason is not a skip: the finding stays a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from enclave.offline.model import CapturedResource

SKIP_TAG_PREFIX = "checkov:skip:"


@dataclass(frozen=True)
class JustifiedSkip:
    check_id: str
    resource_type: str  # a Pulumi type token
    name_pattern: str  # fnmatch pattern over the Pulumi resource name
    reason: str


REVIEWED_SKIPS: tuple[JustifiedSkip, ...] = (
    JustifiedSkip(
        "CKV_AWS_144",
        "aws:s3/bucket:Bucket",
        "*",
        "Cross-region replication copies data to another region; residency rules forbid copies outside the "
        "jurisdiction (rule transfer-s3-replication), and most jurisdictions have one region. Durability comes "
        "from S3's multi-AZ storage and versioning inside the home region.",
    ),
)


def _tags(resource: CapturedResource) -> Mapping[str, object]:
    tags = resource.inputs.get("tags")
    return tags if isinstance(tags, Mapping) else {}


def skip_reason(check_id: str, resource: CapturedResource | None) -> str | None:
    """The written reason ``check_id`` does not apply to ``resource``, or None (the failure stands)."""
    if resource is None:
        return None
    tagged = _tags(resource).get(f"{SKIP_TAG_PREFIX}{check_id}")
    if isinstance(tagged, str) and tagged.strip():
        return f"{tagged.strip()} (resource tag)"
    for skip in REVIEWED_SKIPS:
        if (
            skip.check_id == check_id
            and skip.resource_type == resource.type
            and fnmatchcase(resource.name, skip.name_pattern)
        ):
            return skip.reason
    return None
