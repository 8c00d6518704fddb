"""A stand-in ``kubernetes`` resource provider for the real Pulumi engine, with no cluster behind it.

It answers as pulumi-resource-kubernetes does for the inputs it receives:

- ``Configure`` accepts a kubeconfig that is unknown during preview (an EKS cluster's endpoint is computed),
  as the real provider does, and refuses one that names no cluster. Without any kubeconfig the real
  provider would read ~/.kube/config; the stand-in never does (a test must not reach a user's cluster) and
  behaves as the real provider does with an unreachable cluster: preview works, create fails;
- ``Check`` names an object without ``metadata.name`` ``<logical>-<8 hex>``, as the real provider's
  auto-naming does, so the name is an input the policy pack sees;
- ``Create``: in preview the server-set fields (``metadata.uid``, ``resourceVersion``, ``status``) are
  unknown; after create they are set and the id is ``<namespace>/<name>`` (or ``<name>`` when cluster-scoped).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import yaml
from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.server import main

from enclave.offline import identifiers as ids
from tests.engine.providers.aws import ProviderConfigError
from tests.engine.providers.values import UNKNOWN, contains_unknown, plain_map, property_map
from tests.engine.providers.versions import plugin_version

SERVER_SET = ("uid", "resourceVersion", "creationTimestamp")


def _parse_kubeconfig(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
    if not isinstance(data, dict) or not data.get("clusters"):
        raise ProviderConfigError("invalid kubeconfig: it names no cluster")
    return data


class KubernetesStandIn(p.Provider):
    def __init__(self) -> None:
        self.reachable = True

    async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
        return p.GetSchemaResponse(json.dumps({"name": "kubernetes", "version": plugin_version("kubernetes")}))

    async def configure(self, request: p.ConfigureRequest) -> p.ConfigureResponse:
        kubeconfig = plain_map(request.args).get("kubeconfig")
        if isinstance(kubeconfig, str):
            _parse_kubeconfig(kubeconfig)
        self.reachable = kubeconfig is not None
        return p.ConfigureResponse(accept_secrets=False, supports_preview=True)

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        news = plain_map(request.new_inputs)
        metadata = news.get("metadata")
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        if metadata.get("name") is None:
            metadata["name"] = f"{request.name}-{ids.digest(request.urn, 8)}"
        news["metadata"] = metadata
        return p.CheckResponse(inputs=property_map(news))

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        changed = sorted(k for k, v in news.items() if k != "metadata" and olds.get(k) != v)
        old_meta, new_meta = olds.get("metadata") or {}, news.get("metadata") or {}
        replaces = [f"metadata.{k}" for k in ("name", "namespace") if old_meta.get(k) != new_meta.get(k)]
        if any(old_meta.get(k) != v for k, v in new_meta.items() if k not in SERVER_SET):
            changed.append("metadata")
        return p.DiffResponse(changes=bool(changed), diffs=changed, replaces=replaces)

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        inputs = plain_map(request.properties)
        metadata = dict(inputs.get("metadata") or {})
        preview = request.preview or contains_unknown(metadata)
        for key in SERVER_SET:
            metadata[key] = UNKNOWN if preview else _server_value(key, request.urn)
        state = {**inputs, "metadata": metadata, "status": UNKNOWN if preview else {}}
        if preview:
            return p.CreateResponse(resource_id="", properties=property_map(state))
        if not self.reachable:
            raise ProviderConfigError("configured Kubernetes cluster is unreachable: no kubeconfig was given")
        namespace, name = metadata.get("namespace"), metadata["name"]
        return p.CreateResponse(
            resource_id=f"{namespace}/{name}" if namespace else name, properties=property_map(state)
        )

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        olds, news = plain_map(request.olds), plain_map(request.news)
        metadata = {**(olds.get("metadata") or {}), **(news.get("metadata") or {})}
        return p.UpdateResponse(properties=property_map({**olds, **news, "metadata": metadata}))

    async def delete(self, request: p.DeleteRequest) -> None:
        return None


def _server_value(key: str, urn: str) -> str:
    if key == "uid":
        return ids.stable_uuid(urn)
    if key == "resourceVersion":
        return str(int(ids.digest(urn, 6), 16))
    return "2026-12-03T00:00:00Z"


if __name__ == "__main__":
    main(sys.argv[1:], plugin_version("kubernetes"), KubernetesStandIn())
