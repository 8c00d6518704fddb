"""The user CI workflows are well formed, cover every stack, and keep each stack's state in its jurisdiction."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml

from enclave.gate.checkov_runner import CHECKOV_VERSION
from enclave.offline.stack_files import load_project, load_stack_config
from residency.jurisdictions import default_catalogue

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
# Third-party actions by commit SHA only (a tag can be moved); the version is the line's comment.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
PIN_LINE = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+(\.\d+){0,2})$")


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{name} is not a mapping"
    # YAML 1.1 reads the `on:` key as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def shipped_stacks() -> set[str]:
    return set(load_project(ROOT).stacks())


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found = job["steps"]
    assert isinstance(found, list)
    return found


def all_uses(workflow: dict[str, Any]) -> list[str]:
    return [s["uses"] for job in workflow["jobs"].values() for s in job.get("steps", []) if "uses" in s]


def test_gate_runs_on_pull_requests_for_every_stack() -> None:
    gate = load("gate.yml")
    assert "pull_request" in gate["on"]
    job = gate["jobs"]["gate"]
    assert job["strategy"]["matrix"] == "${{ fromJSON(needs.setup.outputs.matrix) }}"
    matrix_step = next(s for s in steps(gate["jobs"]["setup"]) if s.get("id") == "matrix")
    assert ".github/preview-matrix.json" in matrix_step["run"]  # the generated file, one entry per stack
    assert {e["stack"] for e in json.loads(MATRIX.read_text())["include"]} == shipped_stacks()
    assert job["strategy"]["fail-fast"] is False


def test_gate_uploads_sarif_with_security_events_write_and_comments_markdown() -> None:
    gate = load("gate.yml")
    job = gate["jobs"]["gate"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    assert gate["permissions"] == {"contents": "read"}
    run = next(s["run"] for s in steps(job) if s.get("id") == "gate")
    assert 'enclave check "${{ matrix.stack }}"' in run
    assert "--report sarif=gate.sarif" in run and "--report markdown=gate.md" in run
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "gate.sarif"
    assert "${{ matrix.stack }}" in upload["with"]["category"]  # one category per stack
    assert steps(job)[-1]["run"] == 'exit "${{ steps.gate.outputs.code }}"'


def test_gate_installs_the_pinned_checkov_outside_the_project() -> None:
    gate = load("gate.yml")
    assert gate["env"]["CHECKOV_VERSION"] == CHECKOV_VERSION
    install = [
        s["run"] for s in steps(gate["jobs"]["gate"]) if "checkov" in s.get("run", "") and "uvx" in s.get("run", "")
    ]
    assert install == ['uvx --from "checkov==${CHECKOV_VERSION}" checkov --version']


def test_every_action_is_pinned_to_a_version() -> None:
    for name in ("gate.yml", "preview.yml"):
        uses = all_uses(load(name))
        assert uses, name
        unpinned = [u for u in uses if not PINNED.match(u)]
        assert unpinned == [], f"{name}: {unpinned}"


MATRIX = ROOT / ".github" / "preview-matrix.json"


def pin_lines(name: str) -> list[re.Match[str]]:
    lines = [line.strip().removeprefix("- ") for line in (WORKFLOWS / name).read_text().splitlines()]
    return [m for m in (PIN_LINE.fullmatch(line) for line in lines if line.startswith("uses:")) if m]


def test_every_pin_names_its_version_and_one_action_has_one_sha() -> None:
    pins: dict[tuple[str, str], str] = {}
    for name in ("gate.yml", "preview.yml"):
        uses = all_uses(load(name))
        assert len(pin_lines(name)) == len(uses), f"{name}: a `uses:` line without `@<sha> # vX.Y.Z`"
        for match in pin_lines(name):
            repo = "/".join(match["action"].split("/")[:2])
            assert pins.setdefault((repo, match["version"]), match["sha"]) == match["sha"], match.group(0)
    # The current upload action (v4; v3 is deprecated).
    assert any(repo == "github/codeql-action" and v.startswith("v4") for repo, v in pins)


def test_the_matrix_file_is_generated_from_the_stacks() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "preview_matrix.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_each_stack_previews_with_its_own_accounts_role_backend_and_kms_key() -> None:
    catalogue, project = default_catalogue(), load_project(ROOT)
    entries = json.loads(MATRIX.read_text())["include"]
    assert {e["stack"] for e in entries} == shipped_stacks()
    roles = set()
    for e in entries:
        config, _ = load_stack_config(project, e["stack"])
        home = catalogue.get(config["enclave:jurisdiction"]).home_region
        assert e["home_region"] == home and e["jurisdiction"] == config["enclave:jurisdiction"]
        assert e["role_arn"] == f"arn:aws:iam::{config['enclave:accountId']}:role/enclave-preview"
        assert e["backend"] == f"s3://enclave-state-{e['jurisdiction']}?region={home}"
        assert re.fullmatch(rf"awskms://alias/enclave-{e['stack']}-pulumi\?region={home}", e["secrets_provider"])
        roles.add(e["role_arn"])
    assert len(roles) == len(entries)  # one role per enclave account, never one role for all


def test_preview_creates_no_state_pins_the_cli_and_uses_each_entry() -> None:
    preview = load("preview.yml")
    job = preview["jobs"]["preview"]
    assert job["strategy"]["matrix"] == "${{ fromJSON(needs.setup.outputs.matrix) }}"
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    creds = next(s for s in steps(job) if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
    assert creds["with"]["role-to-assume"] == "${{ matrix.role_arn }}"
    assert creds["with"]["aws-region"] == "${{ matrix.home_region }}"
    action = next(s for s in steps(job) if s.get("uses", "").startswith("pulumi/actions@"))["with"]
    assert action["command"] == "preview" and action["policyPacks"] == "policy_packs/residency"
    assert action["stack-name"] == "${{ matrix.stack }}"
    assert action["cloud-url"] == "${{ matrix.backend }}"
    assert action["secrets-provider"] == "${{ matrix.secrets_provider }}"
    assert action["upsert"] is False  # a pull request never creates state
    assert action["comment-on-pr"] is False  # the summary job comments, once
    assert action["pulumi-version"] == "${{ env.PULUMI_CLI_VERSION }}"


def test_the_lambda_layer_is_built_before_the_preview() -> None:
    # The engine hashes the layer's folder at preview (tests/engine showed a preview refused without it).
    job = steps(load("preview.yml")["jobs"]["preview"])
    build = next(i for i, s in enumerate(job) if s.get("run", "").strip() == "bash scripts/build_lambda_layer.sh")
    preview = next(i for i, s in enumerate(job) if s.get("uses", "").startswith("pulumi/actions@"))
    assert build < preview


def test_the_pinned_cli_is_the_sdks_version_and_satisfies_pulumi_yaml() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    sdk = next(p["version"] for p in lock["package"] if p["name"] == "pulumi")
    assert load("preview.yml")["env"]["PULUMI_CLI_VERSION"] == sdk
    required = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["requiredPulumiVersion"]
    assert required == f">={sdk} <4.0.0"


def test_project_installed_once_and_reused_across_each_matrix() -> None:
    for name, matrix_job in (("gate.yml", "gate"), ("preview.yml", "preview")):
        workflow = load(name)
        setup = workflow["jobs"]["setup"]
        assert any("uv sync --frozen" in s.get("run", "") for s in steps(setup)), name
        saved = next(s for s in steps(setup) if s.get("uses", "").startswith("actions/cache/save@"))
        job = workflow["jobs"][matrix_job]
        assert job["needs"] == "setup"
        assert not any("uv sync" in s.get("run", "") for s in steps(job)), name  # no second install
        restored = next(s for s in steps(job) if s.get("uses", "").startswith("actions/cache/restore@"))
        assert restored["with"]["key"] == saved["with"]["key"] and restored["with"]["fail-on-cache-miss"] is True


def test_one_summary_comment_per_pull_request() -> None:
    for name, matrix_job in (("gate.yml", "gate"), ("preview.yml", "preview")):
        workflow = load(name)
        comments = [
            (job_name, s)
            for job_name, job in workflow["jobs"].items()
            for s in steps(job)
            if "sticky-pull-request-comment" in s.get("uses", "") or s.get("with", {}).get("comment-on-pr") is True
        ]
        assert [job_name for job_name, _ in comments] == ["summary"], name
        assert workflow["jobs"]["summary"]["needs"] == matrix_job
        assert workflow["jobs"]["summary"]["permissions"]["pull-requests"] == "write"
