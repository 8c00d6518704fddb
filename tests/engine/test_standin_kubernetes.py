"""The stand-in kubernetes provider answers the engine as pulumi-resource-kubernetes does."""

from __future__ import annotations

import json
from collections.abc import Iterator

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2_grpc

from tests.engine import plugin_client as pc
from tests.engine.providers.values import UNKNOWN
from tests.engine.providers.versions import plugin_version

NS_URN = "urn:pulumi:eu-dublin::enclave::kubernetes:core/v1:Namespace::records"
POLICY_URN = "urn:pulumi:eu-dublin::enclave::kubernetes:networking.k8s.io/v1:NetworkPolicy::deny"
KUBECONFIG = json.dumps({"clusters": [{"name": "c", "cluster": {"server": "https://example.eks.amazonaws.com"}}]})


@pytest.fixture(scope="module")
def k8s() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    with pc.plugin("kubernetes") as stub:
        pc.configure(stub, {"kubeconfig": KUBECONFIG})
        yield stub


def test_reports_the_version_pulumi_kubernetes_requests(k8s: provider_pb2_grpc.ResourceProviderStub) -> None:
    assert pc.plugin_info(k8s) == plugin_version("kubernetes") == "4.34.2"


def test_check_autonames_an_object_without_a_name(k8s: provider_pb2_grpc.ResourceProviderStub) -> None:
    named = pc.check(k8s, NS_URN, {"metadata": {"labels": {"a": "b"}}})
    assert named["metadata"]["name"].startswith("records-") and named["metadata"]["labels"] == {"a": "b"}
    assert pc.check(k8s, NS_URN, {"metadata": {"name": "fixed"}})["metadata"]["name"] == "fixed"


def test_preview_leaves_server_set_fields_unknown(k8s: provider_pb2_grpc.ResourceProviderStub) -> None:
    id_, outputs = pc.create(k8s, NS_URN, {"metadata": {"name": "records"}}, preview=True)
    assert id_ == "" and outputs["metadata"]["uid"] is UNKNOWN and outputs["status"] is UNKNOWN


def test_create_ids_are_namespace_slash_name(k8s: provider_pb2_grpc.ResourceProviderStub) -> None:
    id_, outputs = pc.create(k8s, POLICY_URN, {"metadata": {"name": "deny", "namespace": "records"}}, preview=False)
    assert id_ == "records/deny" and len(outputs["metadata"]["uid"]) == 36
    cluster_id, _ = pc.create(k8s, NS_URN, {"metadata": {"name": "records"}}, preview=False)
    assert cluster_id == "records"


def test_renaming_an_object_replaces_it(k8s: provider_pb2_grpc.ResourceProviderStub) -> None:
    olds = {"metadata": {"name": "a", "namespace": "records"}, "spec": {}}
    moved = pc.diff(k8s, POLICY_URN, olds, {**olds, "metadata": {"name": "b", "namespace": "records"}})
    assert list(moved.replaces) == ["metadata.name"]


def test_unknown_kubeconfig_is_accepted_during_preview() -> None:
    with pc.plugin("kubernetes") as stub:
        assert pc.configure(stub, {"kubeconfig": UNKNOWN}).supportsPreview


def test_a_kubeconfig_without_a_cluster_is_refused() -> None:
    with pc.plugin("kubernetes") as stub, pytest.raises(grpc.RpcError, match="invalid kubeconfig: it names no cluster"):
        pc.configure(stub, {"kubeconfig": "{}"})


def test_without_a_kubeconfig_the_cluster_is_unreachable_preview_works_and_create_fails() -> None:
    with pc.plugin("kubernetes") as stub:
        pc.configure(stub, {})
        id_, _ = pc.create(stub, NS_URN, {"metadata": {"name": "records"}}, preview=True)
        assert id_ == ""
        with pytest.raises(grpc.RpcError, match="configured Kubernetes cluster is unreachable"):
            pc.create(stub, NS_URN, {"metadata": {"name": "records"}}, preview=False)
