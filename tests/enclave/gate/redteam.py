"""Run the red-team corpus (``programs/redteam``) through the gate as ``enclave check --program`` does, every
case in one gate run (one pack process; the programs with the gate's imports, as the project's own stacks run),
and give each case's verdict: "block" (a mandatory residency finding, FAIL or UNKNOWN, or a run error) or
"pass". ``python -m tests.enclave.gate.redteam`` prints the table that docs/gate.md shows."""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass

from enclave.gate.pipeline import program_target, run_gate
from enclave.gate.results import TargetResult
from tests.enclave.gate.conftest import PROGRAMS

CORPUS = PROGRAMS / "redteam"
STACK = ["aws:region=eu-west-1", "enclave:accountId=111111111101"]


def cases() -> dict[str, str]:
    """Each case's name and what the gate must say ("block" or "pass")."""
    sys.path.insert(0, str(CORPUS))
    try:
        from redteam_cases import CASES
    finally:
        sys.path.remove(str(CORPUS))
    return {name: c.expected for name, c in sorted(CASES.items())}


@dataclass(frozen=True)
class Verdict:
    case: str
    expected: str
    verdict: str  # "block", "pass", or "error" (the program did not run: no verdict)
    why: str  # the blocking findings (policy and status), or the run's error

    @property
    def correct(self) -> bool:
        return self.verdict == self.expected


def _verdict(name: str, expected: str, result: TargetResult) -> Verdict:
    if result.error:
        return Verdict(name, expected, "error", f"error: {result.error.splitlines()[0][:80]}")
    blocking = sorted(
        {
            f"{v.policy} {v.status or 'UNRESOLVED'}"
            for v in result.violations
            if v.blocking and v.category == "residency"
        }
    )
    return Verdict(name, expected, "block" if blocking else "pass", ", ".join(blocking))


def run_corpus(names: list[str] | None = None) -> list[Verdict]:
    table = cases()
    chosen = names or list(table)
    targets = [
        dataclasses.replace(program_target(CORPUS, "eu", [*STACK, f"case={name}"], "dev", label=name), isolated=False)
        for name in chosen
    ]
    results = run_gate(targets, with_checkov=False)
    return [_verdict(name, table[name], result) for name, result in zip(chosen, results, strict=True)]


def markdown(verdicts: list[Verdict]) -> str:
    lines = ["| case | expected | verdict | blocked by |", "|---|---|---|---|"]
    lines += [f"| `{v.case}` | {v.expected} | {v.verdict} | {v.why or '-'} |" for v in verdicts]
    return "\n".join(lines)


if __name__ == "__main__":
    found = run_corpus(sys.argv[1:] or None)
    print(markdown(found))
    wrong = [v.case for v in found if not v.correct]
    print(f"\n{len(found)} cases, {len(wrong)} wrong: {', '.join(wrong)}")
