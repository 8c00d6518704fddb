"""checkov: its output is read per file, findings map back to URNs, and skips need a written reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enclave.gate.checkov_runner import (
    CHECKOV_VERSION,
    CheckovError,
    FileReport,
    RawFinding,
    ScanFile,
    checkov_command,
    parse_checkov_output,
    run_checkov,
)
from enclave.gate.checkov_scan import scan_files_for, summarise
from enclave.gate.checkov_skips import REVIEWED_SKIPS, SKIP_TAG_PREFIX, parent_component, skip_reason
from enclave.gate.pipeline import program_target, run_gate, stack_targets
from enclave.gate.results import exit_code
from enclave.offline.model import CapturedResource, ProgramRun
from tests.enclave.gate.conftest import program

ROOT = "urn:pulumi:dev::demo::"
ROOT_DIR = Path(__file__).resolve().parents[3]
SECURE_BUCKET_URN = f"{ROOT}enclave:components:SecureBucket$aws:s3/bucket:Bucket::records"
PLAIN_BUCKET_URN = f"{ROOT}aws:s3/bucket:Bucket::records"


def bucket(urn: str, tags: dict[str, str] | None = None) -> CapturedResource:
    inputs = {"tags": tags} if tags else {}
    return CapturedResource(urn=urn, type="aws:s3/bucket:Bucket", name="records", custom=True, inputs=inputs)


def test_checkov_runs_pinned_in_its_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENCLAVE_CHECKOV", raising=False)
    assert f"checkov=={CHECKOV_VERSION}" in checkov_command()
    assert checkov_command()[0] == "uvx"


def test_output_is_split_per_file_for_one_report_or_a_list_of_reports() -> None:
    def check(check_id: str, file: str, resource: str) -> dict[str, str]:
        return {"check_id": check_id, "check_name": f"name {check_id}", "file_path": f"/{file}", "resource": resource}

    plan = {
        "check_type": "terraform_plan",
        "results": {
            "failed_checks": [check("CKV_AWS_18", "target-0.json", "aws_s3_bucket.records")],
            "passed_checks": [check("CKV_AWS_19", "target-0.json", "x"), check("CKV_AWS_19", "target-1.json", "y")],
        },
    }
    k8s = {
        "check_type": "kubernetes",
        "results": {"failed_checks": [check("CKV_K8S_21", "target-1-k8s.yaml", "Pod.default.p")]},
    }
    names = ["target-0.json", "target-1.json", "target-1-k8s.yaml"]
    reports = parse_checkov_output(json.dumps([plan, k8s]), names)
    assert reports["target-0.json"].failed == [RawFinding("CKV_AWS_18", "name CKV_AWS_18", "aws_s3_bucket.records")]
    assert (reports["target-0.json"].passed, reports["target-1.json"].passed) == (1, 1)
    assert reports["target-1-k8s.yaml"].failed[0].resource == "Pod.default.p"
    assert parse_checkov_output(json.dumps(plan), names)["target-1.json"].failed == []


def test_findings_map_to_urns_and_only_reasoned_skips_are_skips() -> None:
    run = ProgramRun(project="demo", stack="dev", config={}, resources=[bucket(PLAIN_BUCKET_URN)])
    mapping = {"target-0.json": {"aws_s3_bucket.records": PLAIN_BUCKET_URN}}
    report = FileReport(
        passed=3,
        failed=[
            RawFinding("CKV_AWS_18", "access logging", "aws_s3_bucket.records"),
            RawFinding("CKV_AWS_144", "cross-region replication", "aws_s3_bucket.records"),
        ],
    )
    summary = summarise(run, mapping, {"target-0.json": report})
    assert (summary.passed, summary.failed, summary.skipped) == (3, 1, 1)
    assert [(f.check_id, f.urn) for f in summary.findings] == [("CKV_AWS_18", PLAIN_BUCKET_URN)]
    assert summary.skips[0].check_id == "CKV_AWS_144" and "residency" in (summary.skips[0].skip_reason or "")


def test_component_skips_apply_only_inside_that_component() -> None:
    assert parent_component(SECURE_BUCKET_URN) == "enclave:components:SecureBucket"
    assert skip_reason("CKV_AWS_18", bucket(SECURE_BUCKET_URN)) is not None
    assert skip_reason("CKV_AWS_18", bucket(PLAIN_BUCKET_URN)) is None
    assert skip_reason("CKV_AWS_18", None) is None


def test_a_resource_tag_skips_a_check_only_with_a_reason() -> None:
    tagged = bucket(PLAIN_BUCKET_URN, {f"{SKIP_TAG_PREFIX}CKV_AWS_18": "logs go to the org log archive"})
    assert skip_reason("CKV_AWS_18", tagged) == "logs go to the org log archive (resource tag)"
    assert skip_reason("CKV_AWS_21", tagged) is None
    empty = bucket(PLAIN_BUCKET_URN, {f"{SKIP_TAG_PREFIX}CKV_AWS_18": "  "})
    assert skip_reason("CKV_AWS_18", empty) is None


def test_every_reviewed_skip_has_a_reason_and_is_unique() -> None:
    keys = [(s.check_id, s.resource_type, s.component) for s in REVIEWED_SKIPS]
    assert len(keys) == len(set(keys))
    assert all(len(s.reason) > 40 for s in REVIEWED_SKIPS)


def test_kubernetes_resources_become_manifests_and_other_types_are_listed_unmapped() -> None:
    ns = CapturedResource(
        urn=f"{ROOT}kubernetes:core/v1:Namespace::data",
        type="kubernetes:core/v1:Namespace",
        name="data",
        custom=True,
        inputs={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "user-data"}},
    )
    policy = CapturedResource(
        urn=f"{ROOT}kubernetes:networking.k8s.io/v1:NetworkPolicy::deny",
        type="kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name="deny",
        custom=True,
        inputs={
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny", "namespace": "user-data"},
            "spec": {"podSelector": {}},
        },
    )
    chart = CapturedResource(
        urn=f"{ROOT}kubernetes:helm.sh/v3:Release::app",
        type="kubernetes:helm.sh/v3:Release",
        name="app",
        custom=True,
        inputs={},
    )
    pet = CapturedResource(
        urn=f"{ROOT}random:index/randomPet:RandomPet::p",
        type="random:index/randomPet:RandomPet",
        name="p",
        custom=True,
        inputs={},
    )
    run = ProgramRun(
        project="demo", stack="dev", config={}, resources=[ns, policy, chart, pet, bucket(PLAIN_BUCKET_URN)]
    )
    files, mapping, unmapped = scan_files_for(run, 7)
    assert [(f.name, f.framework) for f in files] == [
        ("target-7.json", "terraform_plan"),
        ("target-7-k8s.yaml", "kubernetes"),
    ]
    assert mapping["target-7-k8s.yaml"] == {
        "Namespace.default.user-data": ns.urn,
        "NetworkPolicy.user-data.deny": policy.urn,
    }
    assert mapping["target-7.json"] == {"aws_s3_bucket.records": PLAIN_BUCKET_URN}
    assert unmapped == ["kubernetes:helm.sh/v3:Release", "random:index/randomPet:RandomPet"]


def test_shipped_stacks_public_style_programs_and_a_breach_in_one_gate_run_with_checkov() -> None:
    """One real checkov run (its start-up costs seconds) over the largest shipped stack and four programs.

    `enclave check --all` covers every stack the same way (docs/gate.md records its result)."""
    targets = [
        *stack_targets(ROOT_DIR, ["eu-dublin"]),
        program_target(Path(program("breach")), "eu", [], "dev", label="breach"),
        program_target(Path(program("s3_folder")), "us", [], "dev", label="s3-folder"),
        program_target(Path(program("webserver")), "us", [], "dev", label="webserver"),
        program_target(Path(program("eks")), "eu", [], "dev", label="eks"),
    ]
    results = {r.target: r for r in run_gate(targets, with_checkov=True)}
    for r in results.values():
        assert r.error is None and r.checkov is not None and r.checkov.passed > 0, r.target
    # The shipped stacks are clean, checkov included: every skip carries its reason.
    for stack in ("eu-dublin",):
        shipped = results[stack]
        assert shipped.checkov is not None
        assert (shipped.blocking_violations, shipped.checkov.failed, shipped.checkov.findings) == ([], 0, [])
        assert shipped.checkov.skips and all(f.skip_reason for f in shipped.checkov.skips)
        assert exit_code([shipped]) == 0
    assert any(
        urn.startswith("urn:pulumi:eu-dublin::enclave::") and "kubernetes:" in urn
        for urn in results["eu-dublin"].resource_urns
    )
    breach = results["breach"]
    bucket_urn = "urn:pulumi:dev::breach::aws:s3/bucket:Bucket::records"
    assert breach.checkov is not None
    assert ("CKV2_AWS_6", bucket_urn) in {(f.check_id, f.urn) for f in breach.checkov.findings}
    assert ("CKV_AWS_144", bucket_urn) in {(f.check_id, f.urn) for f in breach.checkov.skips}
    web = results["webserver"]
    assert web.checkov is not None
    assert any(f.urn.endswith("aws:ec2/instance:Instance::web-server-www") for f in web.checkov.findings)
    assert all(
        f.urn.startswith("urn:pulumi:") for r in results.values() for f in (r.checkov.findings if r.checkov else [])
    )


def test_a_checkov_that_cannot_run_or_prints_nothing_is_an_error_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    scan = [ScanFile("t", "terraform_plan", "target-0.json", "{}")]
    for command in ("false", "sh -c 'exit 3'", "/nonexistent/checkov"):
        monkeypatch.setenv("ENCLAVE_CHECKOV", command)
        with pytest.raises(CheckovError, match="^checkov"):
            run_checkov(scan)
    # ... and the gate turns it into an error (exit 2) for the target, never a clean result.
    monkeypatch.setenv("ENCLAVE_CHECKOV", "false")
    [result] = run_gate([program_target(Path(program("clean")), "eu", [], "dev", label="clean")], with_checkov=True)
    assert result.error == "checkov printed no report"
    assert exit_code([result]) == 2


def test_a_file_checkov_could_not_parse_is_an_error_not_a_pass() -> None:
    report = {
        "check_type": "terraform_plan",
        "results": {
            "passed_checks": [],
            "failed_checks": [],
            "skipped_checks": [],
            "parsing_errors": ["/tmp/x/t.json"],
        },
        "summary": {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 1},
    }
    with pytest.raises(CheckovError, match="checkov could not parse t.json; nothing was judged"):
        parse_checkov_output(json.dumps(report), ["t.json"])
