"""Which EKS cluster, in which region, a kubeconfig targets (its current context)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from adapters.pulumi.resources import get_path, items, text


def read_kubeconfig(
    raw: Any, context: str | None = None, cluster: str | None = None
) -> tuple[str | None, str | None, str]:
    """(EKS cluster name, region, detail) from a kubeconfig (JSON or YAML, or a mapping).

    As the Kubernetes provider does: its ``context`` input picks the context (else the kubeconfig's
    current-context), and its ``cluster`` input picks the cluster entry (else the context's own).
    """
    try:
        config = raw if isinstance(raw, Mapping) else yaml.safe_load(str(raw))
    except yaml.YAMLError:
        return None, None, "the kubeconfig is not valid YAML or JSON"
    if isinstance(config, str):  # a JSON-encoded string inside a string (provider inputs on the wire)
        try:
            config = json.loads(config)
        except ValueError:
            return None, None, "the kubeconfig is not valid YAML or JSON"
    current = context or text(get_path(config, "current-context"))
    chosen = next((c for c in items(get_path(config, "contexts")) if c.get("name") == current), None)
    if chosen is None:
        which = "context" if context else "current context"
        return None, None, f"the kubeconfig's {which} {current!r} is missing"
    cluster_ref, user_ref = cluster or get_path(chosen, "context", "cluster"), get_path(chosen, "context", "user")
    if cluster and not any(c.get("name") == cluster for c in items(get_path(config, "clusters"))):
        return None, None, f"the provider's cluster {cluster!r} is not in the kubeconfig"
    server = next(
        (get_path(c, "cluster", "server") for c in items(get_path(config, "clusters")) if c.get("name") == cluster_ref),
        None,
    )
    user = next((c.get("user") for c in items(get_path(config, "users")) if c.get("name") == user_ref), None)
    args = [str(a) for a in items(get_path(user, "exec", "args"))]
    flag = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}
    server_region = _endpoint_region(text(server))
    region = flag.get("--region") or server_region
    if server_region and region != server_region:
        return flag.get("--cluster-name"), None, f"token region {region} differs from endpoint region {server_region}"
    return flag.get("--cluster-name"), region, f"server {server}"


def _endpoint_region(server: str | None) -> str | None:
    # https://<id>.<shard>.<region>.eks.amazonaws.com
    if not server or ".eks.amazonaws.com" not in server:
        return None
    host = server.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    labels = host.removesuffix(".eks.amazonaws.com").split(".")
    return labels[-1] if len(labels) >= 2 else None
