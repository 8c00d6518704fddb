"""Engine parity: the same program through ``enclave check --program`` and ``pulumi preview --policy-pack``.

Each side's findings become one verdict per (policy, resource):

- ``violated``: a mandatory violation;
- ``cannot verify``: a mandatory policy that could not decide on a value unknown at preview (the engine
  reports it as an advisory "can't run policy ... during preview" and decides at update; the gate, with
  no update to come, blocks);
- ``advisory``: an advisory finding (e.g. the exemptions and assessments a transfer relied on);
- ``pass``: no finding.

What the engine cannot decide at preview it decides at update, so for those the engine's verdict is the
one ``pulumi up`` reaches (shown as "... at update"); the gate, which runs the program once with every
value the mocks model, must reach the same.

The two agree when the verdicts are equal. One difference is by design and is reported as such, never
as agreement: a value that exists only in the backend (another stack's outputs through a
``StackReference``) is "cannot verify" for the offline gate, which blocks, while the engine reads it; the
gate's finding must then name the StackReference as the source. ``enclave check --engine`` has no such gap.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.engine.harness import ROOT, Deployment, EngineResult

CANT_RUN = "can't run policy"
ParityKey = tuple[str, str]  # (policy, urn)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    message: str = ""


def _classify(level: str, message: str) -> str:
    if CANT_RUN in message:
        return "cannot verify"
    return "violated" if level == "mandatory" else "advisory"


def gate_verdicts(report: Mapping[str, Any]) -> dict[ParityKey, Verdict]:
    (result,) = report["results"]
    if result.get("error"):
        raise AssertionError(f"the gate could not judge the program: {result['error']}")
    verdicts: dict[ParityKey, Verdict] = {}
    for v in result["violations"]:
        verdicts[(v["policy"], v["urn"])] = Verdict(_classify(v["enforcement_level"], v["message"]), v["message"])
    return verdicts


def engine_verdicts(preview: EngineResult) -> dict[ParityKey, Verdict]:
    verdicts: dict[ParityKey, Verdict] = {}
    for e in preview.policy_events():
        key = (e["policyName"], e.get("resourceUrn") or "")
        verdicts[key] = Verdict(_classify(e.get("enforcementLevel", ""), e.get("message", "")), e.get("message", ""))
    return verdicts


@dataclass(frozen=True)
class Row:
    case: str
    policy: str
    resource: str
    gate: str
    engine: str

    @property
    def agreement(self) -> str:
        if self.gate == self.engine.removesuffix(" at update"):
            return "agree"
        if self.gate == "cannot verify" and self.engine.removesuffix(" at update") in ("violated", "pass"):
            return "gate stricter (StackReference)"
        return "DISAGREE"


@dataclass
class CaseResult:
    case: str
    gate: dict[ParityKey, Verdict]
    engine: dict[ParityKey, Verdict]
    rows: list[Row] = field(default_factory=list)

    def verdict(self, side: str, policy: str, name: str) -> str:
        """One side's verdict for a policy on the resource whose URN ends in ``::<name>``."""
        verdicts = self.gate if side == "gate" else self.engine
        found = [v.verdict for (p, urn), v in verdicts.items() if p == policy and urn.endswith(f"::{name}")]
        return found[0].removesuffix(" at update") if found else "pass"

    def disagreements(self) -> list[Row]:
        bad = []
        for row in self.rows:
            if row.agreement == "DISAGREE":
                bad.append(row)
            elif row.agreement.startswith("gate stricter"):
                message = self.gate[(row.policy, _urn(self, row))].message
                if "StackReference" not in message:
                    bad.append(row)
        return bad


def _urn(result: CaseResult, row: Row) -> str:
    return next(urn for (p, urn) in result.gate if p == row.policy and urn.endswith(f"::{row.resource}"))


def run_gate(program_dir: Path, jurisdiction: str, config: Mapping[str, str]) -> dict[str, Any]:
    args = [sys.executable, "-m", "enclave.cli", "check", "--program", str(program_dir)]
    args += ["--jurisdiction", jurisdiction, "--stack", "dev", "--format", "json", "--no-checkov"]
    for key, value in config.items():
        args += ["--config", f"{key}={value}"]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode not in (0, 1):
        raise AssertionError(f"enclave check failed ({done.returncode}): {done.stderr}")
    return dict(json.loads(done.stdout))


def compare(
    case: str,
    program_dir: Path,
    deployment: Deployment,
    jurisdiction: str,
    config: Mapping[str, str],
) -> CaseResult:
    """Judge the program both ways and line the verdicts up, one row per (policy, resource) either side saw."""
    gate = gate_verdicts(run_gate(program_dir, jurisdiction, config))
    preview = deployment.preview(policy_config={"residency-context": {"jurisdiction": jurisdiction}})
    if preview.returncode != 0 and not preview.mandatory():
        raise AssertionError(f"pulumi preview failed without a policy verdict:\n{preview.explain()}")
    engine = engine_verdicts(preview)
    undecided = {k for k, v in engine.items() if v.verdict == "cannot verify"}
    if undecided:
        _decide_at_update(deployment, jurisdiction, engine, undecided)
    result = CaseResult(case, gate, engine)
    for policy, urn in sorted(set(gate) | set(engine)):
        g = gate.get((policy, urn), Verdict("pass")).verdict
        e = engine.get((policy, urn), Verdict("pass")).verdict
        result.rows.append(Row(case, policy, urn.rsplit("::", 1)[-1], g, e))
    return result


def _decide_at_update(
    deployment: Deployment, jurisdiction: str, engine: dict[ParityKey, Verdict], undecided: set[ParityKey]
) -> None:
    """What the engine decides at update for what it could not decide at preview (``pulumi up``).

    ``--continue-on-error`` lets every resource that can be created be analysed. A policy that reports
    nothing on a resource the update reached passed; a resource the update never reached (its program
    failed on the missing value, or a dependency was refused) stays "cannot verify".
    """
    up = deployment.up(
        policy_config={"residency-context": {"jurisdiction": jurisdiction}}, extra=["--continue-on-error"]
    )
    decided = engine_verdicts(up)
    reached = {step["urn"] for step in up.steps()}
    for key in undecided:
        if key in decided:
            engine[key] = Verdict(decided[key].verdict + " at update", decided[key].message)
        elif key[1] in reached:
            engine[key] = Verdict("pass at update")


def markdown(results: Sequence[CaseResult]) -> str:
    lines = ["| case | policy | resource | gate | engine | |", "|---|---|---|---|---|---|"]
    for result in results:
        for row in result.rows:
            lines.append(
                f"| {row.case} | {row.policy} | {row.resource} | {row.gate} | {row.engine} | {row.agreement} |"
            )
    return "\n".join(lines)
