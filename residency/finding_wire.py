"""Findings as data across the policy engine: encoded once, decoded once.

A CrossGuard violation carries only a message (the engine passes it, with the policy name, level and URN,
to whatever drives it). So the pack appends to each message one line, ``residency-finding {json}``, holding
the finding itself: status, rule, resource, region, destination, the assessment it relied on, the
exemption that waived it (with reason, owner and expiry), and the input that was unknown. The gate, the
reports and any other reader decode that line here and never parse the prose above it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from residency.exemptions import Exemption
from residency.model import Finding, Status

MARKER = "residency-finding "


class FindingWireError(ValueError):
    """A message carries a finding line that cannot be read (a bug or a tampered message)."""


@dataclass(frozen=True)
class ExemptionRef:
    id: str
    reason: str
    owner: str
    expires: str  # YYYY-MM-DD


@dataclass(frozen=True)
class WireFinding:
    rule: str
    status: Status
    resource: str
    region: str | None
    message: str
    destination: str | None = None
    assessment: str | None = None
    unknown: str | None = None
    exemption: ExemptionRef | None = None

    @property
    def blocking(self) -> bool:
        return self.status in (Status.FAIL, Status.UNKNOWN) and self.exemption is None


def from_finding(finding: Finding, exemption: Exemption | None = None) -> WireFinding:
    """The wire form of a core finding; ``exemption`` is the registry entry its ``exemption`` id names."""
    if (finding.exemption is None) != (exemption is None) or (exemption and exemption.id != finding.exemption):
        raise ValueError(f"finding exemption {finding.exemption!r} does not match {exemption!r}")
    ref = None
    if exemption is not None:
        ref = ExemptionRef(exemption.id, exemption.reason, exemption.owner, exemption.expires.isoformat())
    return WireFinding(
        rule=finding.rule,
        status=finding.status,
        resource=finding.resource,
        region=finding.region,
        message=finding.message,
        destination=finding.destination,
        assessment=finding.assessment,
        unknown=finding.unknown,
        exemption=ref,
    )


def encode(finding: WireFinding) -> str:
    """One line: the marker and the finding as compact JSON."""
    return MARKER + json.dumps(asdict(finding), sort_keys=True, separators=(",", ":"))


def decode(text: str) -> WireFinding | None:
    """The finding a message carries (its last finding line), or None when it carries none."""
    line = next((line for line in reversed(text.splitlines()) if line.startswith(MARKER)), None)
    if line is None:
        return None
    try:
        data: Any = json.loads(line[len(MARKER) :])
        exemption = data.pop("exemption", None)
        return WireFinding(
            **{**data, "status": Status(data["status"])},
            exemption=ExemptionRef(**exemption) if exemption is not None else None,
        )
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise FindingWireError(f"unreadable finding line: {line[:200]!r} ({err})") from None


def prose(text: str) -> str:
    """The message without its finding line (what a person reads)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(MARKER))
