"""The offline gate and the real engine judge the same programs alike, rule by rule (tests/engine/parity.py).

Programs: every rule's failing and passing case from the policy tests (every transfer class among them),
explicit and inherited providers, resource transforms, stack references (the referenced stack deployed
in the same local backend) and values unknown at preview. Besides agreeing, each side must reach the
verdict the case is written for, so a case that silently stopped testing anything fails.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.engine.conftest import DeploymentFactory
from tests.engine.harness import ROOT
from tests.engine.parity import CaseResult, compare, markdown
from tests.residency_pack.cases import all_cases

pytestmark = pytest.mark.engine

PARITY = ROOT / "tests" / "engine" / "parity"
GATE_PROGRAMS = ROOT / "tests" / "enclave" / "gate" / "programs"
ACCOUNT = "111111111101"
# The stack the stack-reference program reads (tests/engine/parity/stack_reference), deployed from parity/network.
NETWORK_STACK = "organization/network/prod"
BLOCKING = ("violated", "cannot verify")
RESULTS = ROOT / "out" / "engine-parity"


@dataclass(frozen=True)
class ParityCase:
    name: str
    program: Path
    config: dict[str, str] = field(default_factory=dict)
    # (policy, resource name) -> (gate verdict, engine verdict)
    expect: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    needs_network_stack: bool = False

    def __str__(self) -> str:
        return self.name


def both(verdict: str) -> tuple[str, str]:
    return verdict, verdict


# Rules whose failing case is judged in a program of its own (see CASES).
ALONE = ("test-data-guard", "test-data-pipeline")

CASES = [
    ParityCase("clean", GATE_PROGRAMS / "clean", expect={("residency-location", "records"): both("pass")}),
    ParityCase(
        "breach",
        GATE_PROGRAMS / "breach",
        {"aws:region": "eu-west-1"},
        expect={("residency-location", "records"): both("violated")},
    ),
    ParityCase(
        "providers",
        PARITY / "providers",
        expect={
            ("residency-location", "default-provider"): both("pass"),
            ("residency-location", "explicit-home"): both("pass"),
            ("residency-location", "explicit-abroad"): both("violated"),
            ("residency-location", "region-input-beats-home-provider"): both("violated"),
            ("residency-location", "inherited-home-bucket"): both("pass"),
            ("residency-location", "inherited-abroad-bucket"): both("violated"),
        },
    ),
    ParityCase(
        "transforms",
        PARITY / "transforms",
        expect={
            ("residency-location", "moved-by-stack-transform"): both("violated"),
            ("residency-location", "left-alone"): both("pass"),
            ("residency-location", "tagged-by-own-transform"): both("pass"),
        },
    ),
    # The gate reads the referenced stack's outputs as a CI job hands them over (--stack-outputs).
    ParityCase(
        "stack-reference",
        PARITY / "stack_reference",
        expect={
            ("residency-location", "home-from-reference"): both("pass"),
            ("residency-location", "abroad-from-reference"): both("violated"),
        },
        needs_network_stack=True,
    ),
    ParityCase(
        "unknown-at-preview",
        PARITY / "unknown_at_preview",
        expect={
            ("key-custody", "logs-under-foreign-key"): both("violated"),
            ("residency-location", "key-abroad"): both("violated"),
        },
    ),
    ParityCase(
        "computed-region",
        PARITY / "computed_region",
        expect={("residency-location", "region-from-computed"): both("cannot verify")},
    ),
    ParityCase("every-rule-failing", PARITY / "rule_cases", {"variant": "fail", "skip": ",".join(ALONE)}),
    # Rules about the controlled interface judge the whole program by bucket name: among the other cases (which
    # name their test-data bucket alike, with a pipeline and a guard), their failing cases would be covered.
    *(ParityCase(f"{rule}-failing", PARITY / "rule_cases", {"variant": "fail", "only": rule}) for rule in ALONE),
    # The passing cases of these two rely on assessments that exist only in the policy tests' governance
    # folder (tests/residency_pack/cases.py ASSESSMENTS); both tools here read the project's governance/.
    ParityCase(
        "every-rule-passing",
        PARITY / "rule_cases",
        {"variant": "pass", "skip": "transfer-ebs-snapshot-share,transfer-cloudfront"},
    ),
]


def rule_case_verdicts(result: CaseResult, side: str, rule: str) -> set[str]:
    """A side's verdicts for ``rule`` on the resources of that rule's own case (named ``<rule>--...``)."""
    verdicts = result.gate if side == "gate" else result.engine
    seen = {
        v.verdict.removesuffix(" at update")
        for (policy, urn), v in verdicts.items()
        if policy == rule and f"::{rule}--" in urn
    }
    return seen or {"pass"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_gate_and_engine_agree_rule_by_rule(case: ParityCase, deployment: DeploymentFactory, tmp_path: Path) -> None:
    stack_outputs: dict[str, Path] = {}
    if case.needs_network_stack:
        network = deployment(PARITY / "network", "prod", {}, ACCOUNT)
        published = network.up(policy=False)
        assert published.returncode == 0, published.explain()
        stack_outputs[NETWORK_STACK] = tmp_path / "network-outputs.json"
        stack_outputs[NETWORK_STACK].write_text(json.dumps(network.outputs()), encoding="utf-8")
    project = yaml.safe_load((case.program / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
    engine_config = {k if ":" in k else f"{project}:{k}": v for k, v in case.config.items()}
    target = deployment(case.program, "dev", engine_config, ACCOUNT)
    result = compare(case.name, case.program, target, "eu", case.config, stack_outputs)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{case.name}.md").write_text(markdown([result]) + "\n", encoding="utf-8")
    rows = [{**asdict(row), "resource": row.resource, "agreement": row.agreement} for row in result.rows]
    (RESULTS / f"{case.name}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    assert result.disagreements() == [], markdown([result])
    for (policy, name), (gate, engine) in case.expect.items():
        assert (result.verdict("gate", policy, name), result.verdict("engine", policy, name)) == (gate, engine)
    if case.program.name == "rule_cases":
        skipped = set(case.config.get("skip", "").split(","))
        only = set(filter(None, case.config.get("only", "").split(","))) or set(all_cases())
        for rule in only - skipped:
            for side in ("gate", "engine"):
                verdicts = rule_case_verdicts(result, side, rule)
                if case.config["variant"] == "fail":
                    assert verdicts & set(BLOCKING), f"{side}: {rule}'s failing case did not block: {verdicts}"
                else:
                    assert not verdicts & set(BLOCKING), f"{side}: {rule}'s passing case blocked: {verdicts}"
