"""JSON report: the contract in ``results.to_contract`` (documented in docs/gate.md)."""

from __future__ import annotations

import json

from enclave.gate.results import TargetResult, to_contract


def render_json(results: list[TargetResult]) -> str:
    return json.dumps(to_contract(results), indent=2, sort_keys=False) + "\n"
