"""`enclave plan` shows the Kubernetes layer, typed as the engine types it."""

from __future__ import annotations

import json

import pytest

from enclave.cli import main


def test_plan_json_lists_kubernetes_objects_with_engine_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "eu-dublin", "--format", "json"]) == 0
    (stack,) = json.loads(capsys.readouterr().out)["stacks"]
    types = {r["type"] for r in stack["resources"]}
    assert {
        "aws:eks/cluster:Cluster",
        "aws:eks/nodeGroup:NodeGroup",
        "pulumi:providers:kubernetes",
        "kubernetes:core/v1:Namespace",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:storage.k8s.io/v1:StorageClass",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    } <= types
    namespaces = [r for r in stack["resources"] if r["type"] == "kubernetes:core/v1:Namespace"]
    assert sorted(r["inputs"]["metadata"]["name"] for r in namespaces) == ["deidentified", "platform", "user-data"]
