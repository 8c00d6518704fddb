"""The finding line round-trips every field, and anything else is refused rather than guessed."""

from __future__ import annotations

from datetime import date

import pytest

from residency.exemptions import Exemption
from residency.finding_wire import FindingWireError, WireFinding, decode, encode, from_finding, prose
from residency.model import Finding, Status

URN = "urn:pulumi:eu::enclave::aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission::share"
EXEMPTION = Exemption(
    "EX-1", "transfer-ebs-snapshot-share", URN, "re-review; due 1 Jan", "dpo", date(2027, 1, 1), "eu", "TRA-1"
)


@pytest.mark.parametrize(
    "finding",
    [
        Finding("residency-location", Status.FAIL, URN, "us-east-1", "outside the EU\nsecond line"),
        Finding("residency-location", Status.UNKNOWN, URN, None, "region unknown", unknown="region"),
        Finding("transfer-cloudfront", Status.PASS, URN, None, "covered", assessment="TRA-2", destination="edges"),
    ],
)
def test_a_finding_survives_the_wire(finding: Finding) -> None:
    wire = from_finding(finding)
    assert decode("Policy description\n[prose]\n" + encode(wire)) == wire
    assert (wire.rule, wire.status, wire.unknown, wire.assessment) == (
        finding.rule,
        finding.status,
        finding.unknown,
        finding.assessment,
    )


def test_an_exemption_travels_with_its_reason_owner_and_expiry() -> None:
    waived = Finding(
        "transfer-ebs-snapshot-share", Status.FAIL, URN, None, "lapsed", assessment="TRA-1", exemption="EX-1"
    )
    wire = decode(encode(from_finding(waived, EXEMPTION)))
    assert wire is not None and not wire.blocking
    assert wire.exemption is not None and (wire.exemption.id, wire.exemption.expires) == ("EX-1", "2027-01-01")
    with pytest.raises(ValueError, match="does not match"):
        from_finding(waived)


def test_a_message_without_a_finding_line_carries_none_and_a_broken_one_is_an_error() -> None:
    assert decode("can't run policy 'x' during preview") is None
    with pytest.raises(FindingWireError, match="unreadable finding line"):
        decode('residency-finding {"rule": "x"}')
    with pytest.raises(FindingWireError):
        decode("residency-finding not json")


def test_prose_drops_only_the_finding_line() -> None:
    wire = WireFinding("r", Status.FAIL, URN, None, "m")
    assert prose(f"first\nsecond\n{encode(wire)}") == "first\nsecond"
