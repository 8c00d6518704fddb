"""Renders the engine-parity results (out/engine-parity/*.json, written by test_engine_parity.py) as the
tables in docs/gate.md: ``uv run python -m tests.engine.parity_report``."""

from __future__ import annotations

import json
from collections import Counter

from tests.engine.harness import ROOT
from tests.engine.test_engine_parity import ALONE

RESULTS = ROOT / "out" / "engine-parity"
CASE_ORDER = [
    "clean",
    "breach",
    "providers",
    "transforms",
    "stack-reference",
    "unknown-at-preview",
    "computed-region",
    "every-rule-failing",
    *(f"{rule}-failing" for rule in ALONE),
    "every-rule-passing",
]


def load(case: str) -> list[dict[str, str]]:
    return list(json.loads((RESULTS / f"{case}.json").read_text(encoding="utf-8")))


def summary() -> str:
    lines = [
        "| case | (policy, resource) pairs | agree | gate stricter | engine refused the update first | disagree |",
        "|---|---|---|---|---|---|",
    ]
    for case in CASE_ORDER:
        counts = Counter(row["agreement"].split(":")[0] for row in load(case))
        lines.append(
            f"| {case} | {sum(counts.values())} | {counts['agree']} | {counts['gate stricter']} "
            f"| {counts['engine refused the update first']} | {counts['DISAGREE']} |"
        )
    return "\n".join(lines)


def per_rule() -> str:
    """Each rule's verdict on its own failing and passing case (resources named ``<rule>--...``)."""

    def verdicts(case: str) -> dict[str, set[tuple[str, str]]]:
        out: dict[str, set[tuple[str, str]]] = {}
        for row in load(case):
            rule = row["resource"].split("--", 1)[0]
            if row["policy"] == rule:
                out.setdefault(rule, set()).add((row["gate"], row["engine"].removesuffix(" at update")))
        return out

    from tests.engine.test_engine_parity import CASES
    from tests.residency_pack.cases import all_cases

    (passing_case,) = [c for c in CASES if c.name == "every-rule-passing"]
    skipped = set(passing_case.config.get("skip", "").split(","))
    failing, passing = verdicts("every-rule-failing"), verdicts("every-rule-passing")
    for rule in ALONE:
        failing.update(verdicts(f"{rule}-failing"))
    lines = ["| rule | failing case: gate / engine | passing case: gate / engine |", "|---|---|---|"]
    for rule in sorted(all_cases()):
        fail = ", ".join(sorted(f"{g} / {e}" for g, e in failing.get(rule, set()))) or "pass / pass"
        ok = ", ".join(sorted(f"{g} / {e}" for g, e in passing.get(rule, set()))) or "pass / pass"
        if rule in skipped:
            ok = "not run here (relies on a test-only assessment; tests/residency_pack)"
        lines.append(f"| `{rule}` | {fail} | {ok} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
    print()
    print(per_rule())
