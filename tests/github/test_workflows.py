"""The user CI workflows are well formed, cover every stack, and keep each stack's state in its jurisdiction."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from enclave.gate.checkov_runner import CHECKOV_VERSION
from enclave.offline.stack_files import load_project, load_stack_config
from residency.jurisdictions import default_catalogue

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the `on:` key as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def shipped_stacks() -> set[str]:
    return set(load_project(ROOT).stacks())


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def all_uses(workflow: dict[str, Any]) -> list[str]:
    return [s["uses"] for job in workflow["jobs"].values() for s in job.get("steps", []) if "uses" in s]


def test_gate_runs_on_pull_requests_for_every_stack() -> None:
    gate = load("gate.yml")
    assert "pull_request" in gate["on"]
    job = gate["jobs"]["gate"]
    assert set(job["strategy"]["matrix"]["stack"]) == shipped_stacks()
    assert job["strategy"]["fail-fast"] is False


def test_gate_uploads_sarif_with_security_events_write_and_comments_markdown() -> None:
    gate = load("gate.yml")
    job = gate["jobs"]["gate"]
    assert job["permissions"]["security-events"] == "write"
    assert job["permissions"]["pull-requests"] == "write"
    assert gate["permissions"] == {"contents": "read"}
    run = next(s["run"] for s in steps(job) if s.get("id") == "gate")
    assert 'enclave check "${{ matrix.stack }}"' in run
    assert "--report sarif=gate.sarif" in run and "--report markdown=gate.md" in run
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "gate.sarif"
    assert "${{ matrix.stack }}" in upload["with"]["category"]  # one category per stack
    comment = next(s for s in steps(job) if s.get("uses", "").startswith("marocchino/sticky-pull-request-comment@"))
    assert comment["with"]["path"] == "gate.md"
    assert steps(job)[-1]["run"] == 'exit "${{ steps.gate.outputs.code }}"'


def test_gate_installs_the_pinned_checkov_outside_the_project() -> None:
    gate = load("gate.yml")
    assert gate["env"]["CHECKOV_VERSION"] == CHECKOV_VERSION
    install = [
        s["run"] for s in steps(gate["jobs"]["gate"]) if "checkov" in s.get("run", "") and "uvx" in s.get("run", "")
    ]
    assert install == ['uvx --from "checkov==${CHECKOV_VERSION}" checkov --version']


def test_preview_runs_the_policy_pack_with_each_stacks_state_in_its_home_region() -> None:
    preview = load("preview.yml")
    job = preview["jobs"]["preview"]
    assert job["if"] == "needs.credentials.outputs.available == 'true'"
    assert job["permissions"]["id-token"] == "write"
    include = job["strategy"]["matrix"]["include"]
    assert {entry["stack"] for entry in include} == shipped_stacks()
    catalogue, project = default_catalogue(), load_project(ROOT)
    for entry in include:
        config, _ = load_stack_config(project, entry["stack"])
        assert entry["home_region"] == catalogue.get(config["enclave:jurisdiction"]).home_region, entry
    action = next(s for s in steps(job) if s.get("uses", "").startswith("pulumi/actions@"))
    assert action["with"]["command"] == "preview"
    assert action["with"]["policyPacks"] == "policy_packs/residency"
    assert action["with"]["cloud-url"] == "s3://enclave-state-${{ matrix.stack }}?region=${{ matrix.home_region }}"
    assert action["with"]["stack-name"] == "${{ matrix.stack }}"
    creds = next(s for s in steps(job) if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
    assert creds["with"]["aws-region"] == "${{ matrix.home_region }}"


def test_every_action_is_pinned_to_a_version() -> None:
    for name in ("gate.yml", "preview.yml"):
        uses = all_uses(load(name))
        assert uses, name
        unpinned = [u for u in uses if not PINNED.match(u)]
        assert unpinned == [], f"{name}: {unpinned}"
