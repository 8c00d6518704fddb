"""The live auditor judges a peering's other side by account as well as region, through the same core as the
pack (against moto's server): a transit gateway peered with another account inside the EU's regions is sharing;
peered with the audited account itself, it passes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.moto_world import audit, outcomes

FOREIGN = "444455556666"
# Regions the shared emulator world does not use (its tests expect exact outcomes in theirs).
HOME, PEER = "eu-south-2", "eu-north-1"


@pytest.fixture(scope="module")
def attachments(world: Any) -> dict[str, str]:
    ec2 = world.session.client("ec2", region_name=HOME, endpoint_url=world.url)
    peer = world.session.client("ec2", region_name=PEER, endpoint_url=world.url)
    ours = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    theirs = peer.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    found: dict[str, str] = {}
    for label, account in (("foreign", FOREIGN), ("own", world.account)):
        made = ec2.create_transit_gateway_peering_attachment(
            TransitGatewayId=ours, PeerTransitGatewayId=theirs, PeerAccountId=account, PeerRegion=PEER
        )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
        found[label] = f"arn:aws:ec2:{HOME}:{world.account}:transit-gateway-attachment/{made}"
    return found


def test_a_peer_of_another_account_in_the_jurisdiction_is_sharing(world: Any, attachments: dict[str, str]) -> None:
    report = audit(world, ("ec2",), regions=(HOME,))
    failed = outcomes(report, "FAIL")
    assert ("transfer-transit-gateway-peering", attachments["foreign"], PEER) in failed
    [finding] = [f for f in report.findings if f.resource == attachments["foreign"] and f.status == "FAIL"]
    assert f"account {FOREIGN}, which is not an enclave account of European Union" in finding.message
    assert ("transfer-transit-gateway-peering", attachments["own"], PEER) in outcomes(report, "PASS")
