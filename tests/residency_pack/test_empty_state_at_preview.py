"""Resources the engine gives no state at preview, judged by the inputs Analyze received.

A Kubernetes provider whose kubeconfig comes from the EKS cluster the same program creates has an unknown
configuration at preview: the engine runs no Check and no Create for its resources, and AnalyzeStack sends
them with empty properties. The stack policies judge such a resource by its Analyze inputs (the pack saw
them first, in the same process), never as a resource with no properties.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.residency_pack.cases import Res
from tests.residency_pack.direct import Diag, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"


def _findings(case: list[Res], governance: Path) -> list[Diag]:
    protected = [dataclasses.replace(r, protect=True) for r in case]
    diags = run_direct(protected, {"residency-context": {"governanceDir": str(governance)}})
    return [d for d in diags if d.level == "mandatory" and d.policy in ("k8s-storage-encrypted", "key-custody")]


def _storage_class(encrypted: str) -> Res:
    params = {"type": "gp3", "encrypted": encrypted, "kmsKeyId": UNKNOWN_STRING_VALUE}
    return Res(
        STORAGE_CLASS,
        "encrypted-gp3",
        {"metadata": {"name": "encrypted-gp3"}, "provisioner": "ebs.csi.aws.com", "parameters": params},
        deps={"parameters": ["volumes-key"]},
        empty_state=True,
    )


KEY = Res("aws:kms/key:Key", "volumes-key", {"enableKeyRotation": True})


def test_a_storage_class_without_state_is_judged_by_its_inputs(governance: Path) -> None:
    assert _findings([KEY, _storage_class("true")], governance) == []


def test_its_inputs_can_fail_it(governance: Path) -> None:
    diags = _findings([KEY, _storage_class("false")], governance)
    assert [(d.policy, d.status) for d in diags] == [("k8s-storage-encrypted", "FAIL")]
    assert "encrypted=false" in diags[0].message and "provisioner None" not in diags[0].message
