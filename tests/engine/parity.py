"""Engine parity: the same program through ``enclave check --program`` and ``pulumi preview --policy-pack``.

Each side's findings become one verdict per (policy, resource):

- ``violated``: a mandatory violation;
- ``cannot verify``: a mandatory policy that could not decide on a value unknown at preview (the engine
  reports it as an advisory "can't run policy ... during preview" and decides at update; the gate, with
  no update to come, blocks);
- ``advisory``: an advisory finding (e.g. the exemptions and assessments a transfer relied on);
- ``pass``: no finding.

What the engine cannot decide at preview it decides at update, so for those the engine's verdict is the
one ``pulumi up --continue-on-error`` reaches (shown as "... at update"); the gate, which runs the
program once with every value the mocks model, must reach the same. A resource the update never reached
because the engine refused another resource first has no engine verdict ("not reached"); that is not a
disagreement when the gate blocks the program too. Findings about the program as a whole (a stack
policy's, which the engine files under the stack's URN) are compared as "(program)".

The two agree when the verdicts are equal. One difference is by design and is reported as such, never
as agreement: a value that does not exist offline (another stack's outputs through a ``StackReference``,
an output AWS assigns that the mocks do not model) is "cannot verify" for the gate, which blocks (fail
closed), while the engine reads it ("gate stricter"). The reverse, the gate passing what the engine
refuses or calling violated what the engine passes, is a disagreement and fails the test.
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
# Advisory listings of the exemptions and assessments in use, not verdicts; the gate reports them as
# `exemptions`, not as violations.
LISTINGS = frozenset({"residency-exceptions", "residency-exceptions-stack"})
NOT_REACHED = "not reached"
ParityKey = tuple[str, str]  # (policy, urn)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    message: str = ""


def _classify(level: str, message: str) -> str:
    if CANT_RUN in message or (level == "mandatory" and "cannot be verified]" in message):
        return "cannot verify"
    return "violated" if level == "mandatory" else "advisory"


def gate_verdicts(report: Mapping[str, Any]) -> dict[ParityKey, Verdict]:
    (result,) = report["results"]
    if result.get("error"):
        raise AssertionError(f"the gate could not judge the program: {result['error']}")
    verdicts: dict[ParityKey, Verdict] = {}
    for v in result["violations"]:
        if v["policy"] in LISTINGS:
            continue
        verdicts[(v["policy"], v["urn"])] = Verdict(_classify(v["enforcement_level"], v["message"]), v["message"])
    return verdicts


def engine_verdicts(preview: EngineResult) -> dict[ParityKey, Verdict]:
    verdicts: dict[ParityKey, Verdict] = {}
    for e in preview.policy_events():
        if e["policyName"] in LISTINGS:
            continue
        urn = e.get("resourceUrn") or ""
        # A stack policy's finding about the program as a whole: the engine files it under the stack's URN.
        key = (e["policyName"], "" if urn.split("::")[-2:-1] == ["pulumi:pulumi:Stack"] else urn)
        verdicts[key] = Verdict(_classify(e.get("enforcementLevel", ""), e.get("message", "")), e.get("message", ""))
    return verdicts


@dataclass(frozen=True)
class Row:
    case: str
    policy: str
    urn: str
    gate: str
    engine: str

    @property
    def key(self) -> ParityKey:
        return self.policy, self.urn

    @property
    def resource(self) -> str:
        return self.urn.rsplit("::", 1)[-1] if self.urn else "(program)"

    @property
    def agreement(self) -> str:
        if self.gate == self.engine.removesuffix(" at update"):
            return "agree"
        if self.engine == NOT_REACHED:
            return "engine refused the update first"
        if self.gate == "cannot verify" and self.engine.removesuffix(" at update") in ("violated", "pass"):
            return "gate stricter: value unknown offline"
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
        gate_blocks = any(v.verdict in ("violated", "cannot verify") for v in self.gate.values())
        for row in self.rows:
            refused_first = row.engine == NOT_REACHED and gate_blocks
            if row.agreement == "DISAGREE" or (row.engine == NOT_REACHED and not refused_first):
                bad.append(row)
        return bad


def run_gate(
    program_dir: Path, jurisdiction: str, config: Mapping[str, str], stack_outputs: Mapping[str, Path]
) -> dict[str, Any]:
    args = [sys.executable, "-m", "enclave.cli", "check", "--program", str(program_dir)]
    args += ["--jurisdiction", jurisdiction, "--stack", "dev", "--format", "json", "--no-checkov"]
    for key, value in config.items():
        args += ["--config", f"{key}={value}"]
    for name, path in stack_outputs.items():
        args += ["--stack-outputs", f"{name}={path}"]
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
    stack_outputs: Mapping[str, Path] | None = None,
) -> CaseResult:
    """Judge the program both ways and line the verdicts up, one row per (policy, resource) either side saw.

    ``stack_outputs``: the outputs of each stack the program references (name -> file of ``pulumi stack output
    --json``), handed to the gate as a CI job that can read them does; without them the gate cannot verify
    what depends on them ("gate stricter")."""
    gate = gate_verdicts(run_gate(program_dir, jurisdiction, config, stack_outputs or {}))
    preview = deployment.preview(policy_config={"residency-context": {"jurisdiction": jurisdiction}})
    if preview.returncode != 0 and not preview.mandatory():
        raise AssertionError(f"pulumi preview failed without a policy verdict:\n{preview.explain()}")
    engine = engine_verdicts(preview)
    # Only what the engine deferred (its advisory "can't run policy ... during preview") is decided at update;
    # a mandatory "cannot be verified" already refused the preview.
    undecided = {k for k, v in engine.items() if CANT_RUN in v.message}
    if undecided:
        _decide_at_update(deployment, jurisdiction, engine, undecided)
    result = CaseResult(case, gate, engine)
    for policy, urn in sorted(set(gate) | set(engine)):
        g, e = _verdict(gate, policy, urn), _verdict(engine, policy, urn)
        result.rows.append(Row(case, policy, urn, g, e))
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
        urn = key[1]
        if key in decided:
            engine[key] = Verdict(decided[key].verdict + " at update", decided[key].message)
        elif (urn and urn in reached) or (not urn and _stack_policy_ran(key[0], decided, up)):
            # A stack policy runs after a completed update; a resource policy before its resource's step.
            engine[key] = Verdict("pass at update")
        elif up.mandatory():
            engine[key] = Verdict(NOT_REACHED, f"the update was refused before {urn or 'the stack policies'}")


def _stack_policy_ran(policy: str, decided: Mapping[ParityKey, Verdict], up: EngineResult) -> bool:
    """Stack policies run after the update: when it completed, or when this one reported a resource."""
    return up.returncode == 0 or any(p == policy for p, _ in decided)


def _verdict(verdicts: Mapping[ParityKey, Verdict], policy: str, urn: str) -> str:
    """A side's verdict on one resource; a policy that could not judge the program at all covers each one."""
    if (policy, urn) in verdicts:
        return verdicts[(policy, urn)].verdict
    whole = verdicts.get((policy, ""))
    return whole.verdict if whole is not None and whole.verdict.startswith("cannot verify") else "pass"


def markdown(results: Sequence[CaseResult]) -> str:
    lines = ["| case | policy | resource | gate | engine | |", "|---|---|---|---|---|---|"]
    for result in results:
        for row in result.rows:
            lines.append(
                f"| {row.case} | {row.policy} | {row.resource} | {row.gate} | {row.engine} | {row.agreement} |"
            )
    return "\n".join(lines)
