"""Rendered manifests are valid Kubernetes YAML, and checkov finds no failure in the shipped stacks' ones."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
import yaml

from enclave.gate.kubernetes_manifests import checkov_id, render
from enclave.gate.terraform_plan import build_plan
from enclave.offline.model import CapturedResource
from tests.components.enclave_runs import shipped_run

CHECKOV = ["uvx", "--quiet", "--from", "checkov==3.3.30", "checkov"]
KUBERNETES_STACKS = ("eu-dublin", "uk-london")


def test_manifests_are_valid_kubernetes_yaml() -> None:
    rendered = render(shipped_run("eu-dublin").resources)
    assert not rendered.unmapped
    documents = list(yaml.safe_load_all(rendered.to_yaml()))
    assert documents == rendered.manifests and len(documents) == 28
    for doc in documents:
        assert doc["apiVersion"] and doc["kind"] and doc["metadata"]["name"]
        if doc["kind"] in ("NetworkPolicy", "ResourceQuota", "LimitRange", "RoleBinding"):
            assert doc["metadata"]["namespace"] in ("user-data", "deidentified", "platform")
    ports = [
        p["port"]
        for d in documents
        if d["kind"] == "NetworkPolicy"
        for e in d["spec"].get("egress", [])
        for p in e.get("ports", [])
    ]
    assert ports and all(type(p) is int for p in ports)  # the wire's 53.0 is 53 again
    assert set(rendered.urns) == {checkov_id(d) for d in documents}


def test_resources_that_are_not_one_object_are_listed_as_unmapped() -> None:
    def captured(token: str, inputs: dict[str, Any]) -> CapturedResource:
        return CapturedResource(f"urn:pulumi:s::p::{token}::x", token, "x", True, inputs)

    helm = captured("kubernetes:helm.sh/v3:Release", {"chart": "x"})
    patch = captured("kubernetes:apps/v1:DeploymentPatch", {"apiVersion": "apps/v1", "kind": "Deployment"})
    nameless = captured("kubernetes:core/v1:ConfigMap", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})
    bucket = captured("aws:s3/bucket:Bucket", {"bucket": "b"})
    rendered = render([helm, patch, nameless, bucket])
    assert rendered.manifests == [] and rendered.unmapped == [helm, patch, nameless]


def _privileged_deployment() -> dict[str, Any]:
    container = {"name": "app", "image": "registry.example/app:1", "securityContext": {"privileged": True}}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "bad", "namespace": "user-data"},
        "spec": {
            "selector": {"matchLabels": {"app": "bad"}},
            "template": {"metadata": {"labels": {"app": "bad"}}, "spec": {"containers": [container]}},
        },
    }


@pytest.fixture(scope="module")
def checkov_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One checkov run (in its own uv environment) over every shipped stack's manifests plus a known-bad one,
    and over the cluster's AWS resources as the gate's Terraform plan."""
    root = tmp_path_factory.mktemp("manifests")
    for stack in KUBERNETES_STACKS:
        run = shipped_run(stack)
        render(run.resources).write(root / stack)
        cluster = [r for r in run.resources if r.parent and "EnclaveCluster::" in r.parent]
        plan = build_plan(cluster, run.config["aws:region"])
        assert not plan.unmapped_types
        (root / stack / "eks-plan.json").write_text(json.dumps(plan.document))
    (root / "known-bad").mkdir()
    (root / "known-bad" / "deployment.yaml").write_text(yaml.safe_dump(_privileged_deployment()))
    done = subprocess.run(
        [*CHECKOV, "-d", str(root), "--framework", "kubernetes", "terraform_plan", "--skip-download", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    reports = json.loads(done.stdout)
    return {r["check_type"]: r for r in (reports if isinstance(reports, list) else [reports])}


def _by_folder(checks: list[dict[str, Any]]) -> set[str]:
    return {c["file_path"].split("/")[1] for c in checks}


def test_checkov_finds_no_failure_in_the_shipped_manifests(checkov_report: dict[str, Any]) -> None:
    results = checkov_report["kubernetes"]["results"]
    assert _by_folder(results["failed_checks"]) == {"known-bad"}, [c["check_id"] for c in results["failed_checks"]]
    passed = [c for c in results["passed_checks"] if c["file_path"].split("/")[1] in KUBERNETES_STACKS]
    assert len(passed) == 38 * len(KUBERNETES_STACKS)
    rbac = {"CKV_K8S_49", "CKV_K8S_155", "CKV_K8S_156", "CKV_K8S_157", "CKV_K8S_158"}
    graph = {f"CKV2_K8S_{n}" for n in range(1, 6)}
    assert {c["check_id"] for c in passed} == rbac | graph | {"CKV_K8S_21", "CKV_K8S_42"}
    assert not results["skipped_checks"] and checkov_report["kubernetes"]["summary"]["parsing_errors"] == 0


def test_checkov_finds_no_failure_in_the_cluster_resources(checkov_report: dict[str, Any]) -> None:
    results = checkov_report["terraform_plan"]["results"]
    assert not results["failed_checks"], [(c["check_id"], c["resource"]) for c in results["failed_checks"]]
    assert not results["skipped_checks"]
    passed = {c["check_id"] for c in results["passed_checks"]}
    # EKS: private endpoint, secrets encryption, logging, no public CIDRs; IMDS hop limit; log group KMS.
    assert {"CKV_AWS_39", "CKV_AWS_58", "CKV_AWS_37", "CKV_AWS_38", "CKV_AWS_341", "CKV_AWS_158"} <= passed


def test_checkov_does_judge_workloads(checkov_report: dict[str, Any]) -> None:
    # Proof that the scan is real: the privileged Deployment fails, among others, the privileged check.
    failed = {c["check_id"] for c in checkov_report["kubernetes"]["results"]["failed_checks"]}
    assert "CKV_K8S_16" in failed
