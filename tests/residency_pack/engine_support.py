"""Run test cases through the real Analyzer protocol (a pack subprocess driven by policy_engine.client)."""

from __future__ import annotations

from pathlib import Path

from enclave.offline.model import CapturedResource
from policy_engine.client import Diagnostic, PolicyEngine, StackIdentity
from tests.residency_pack.cases import Case

PACK_DIR = Path(__file__).resolve().parents[2] / "policy_packs" / "residency"


def captured(case: Case) -> list[CapturedResource]:
    urns = {r.name: r.urn for r in case}
    return [
        CapturedResource(
            urn=r.urn,
            type=r.type,
            name=r.name,
            custom=True,
            inputs=dict(r.props),
            outputs=dict(r.outputs),
            provider=urns[r.provider] if r.provider else None,
            dependencies=[urns[n] for v in r.deps.values() for n in v],
            property_dependencies={k: [urns[n] for n in v] for k, v in r.deps.items()},
            protect=r.protect,
        )
        for r in case
    ]


def start_engine(config: dict[str, str], dry_run: bool = False) -> PolicyEngine:
    engine = PolicyEngine(PACK_DIR, StackIdentity("enclave", "test", config, dry_run=dry_run))
    engine.start()
    return engine


def of(diags: list[Diagnostic], policy: str, level: str = "mandatory") -> list[Diagnostic]:
    return [d for d in diags if d.policy == policy and d.level == level]


def start_governed_engine(config: dict[str, str], governance: Path, assessments: str) -> PolicyEngine:
    """A pack over gRPC whose governance directory holds ``assessments`` as its transfer assessments."""
    (governance / "transfer-assessments.toml").write_text(assessments)
    engine = start_engine(config)
    engine.configure({"residency-context": {"governanceDir": str(governance)}})
    return engine
