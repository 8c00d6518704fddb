"""Construct and serve the residency PolicyPack (called only from policy_packs/residency/__main__.py).

Constructing ``PolicyPack`` starts its gRPC server, prints the port and blocks, so nothing else may do it.
"""

from __future__ import annotations

from pathlib import Path

from pulumi_policy import EnforcementLevel, PolicyPack

from residency_pack.policies import PACK_NAME, build_policies, configure_pack


def serve(pack_dir: Path) -> None:
    configure_pack(pack_dir)
    PolicyPack(
        name=PACK_NAME,
        policies=build_policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description="Data residency: location, key custody, transfer vectors and enclave controls per jurisdiction.",
        display_name="Regional data enclaves: residency",
        provider="aws",
        tags=["residency", "gdpr", "data-sovereignty"],
    )
