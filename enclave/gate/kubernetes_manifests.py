"""Captured pulumi-kubernetes resources -> plain Kubernetes manifests, for checkov's kubernetes framework.

pulumi-kubernetes sends an object's fields as they are (camelCase, ``apiVersion``/``kind`` included), so a
manifest is the captured inputs minus unknowns, with the wire's float integers turned back into integers.
Every manifest is keyed by the id checkov reports (``Kind.namespace.name``) so findings map back to URNs.
Types that are not one Kubernetes object (Helm releases, YAML/Kustomize groups, Patch and List types) are
returned as unmapped, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from enclave.offline.model import CapturedResource

# Tokens whose package is ``kubernetes`` but which are not a single object of the API.
_NOT_OBJECTS = ("kubernetes:helm.sh/", "kubernetes:yaml/", "kubernetes:kustomize/")


@dataclass
class ManifestSet:
    """Manifests in program order, the URN behind each checkov resource id, and what could not be rendered."""

    manifests: list[dict[str, Any]] = field(default_factory=list)
    urns: dict[str, str] = field(default_factory=dict)
    unmapped: list[CapturedResource] = field(default_factory=list)

    def to_yaml(self) -> str:
        """One multi-document YAML stream (``---`` between objects)."""
        return yaml.safe_dump_all(self.manifests, sort_keys=False, default_flow_style=False)

    def write(self, directory: Path) -> list[Path]:
        """One file per object (``<index>-<kind>-<name>.yaml``); returns the paths written."""
        directory.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for n, manifest in enumerate(self.manifests):
            meta = manifest["metadata"]
            path = directory / f"{n:03d}-{manifest['kind'].lower()}-{meta['name']}.yaml"
            path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
            paths.append(path)
        return paths


def is_kubernetes_object(resource: CapturedResource) -> bool:
    token = resource.type
    if not token.startswith("kubernetes:") or token.startswith(_NOT_OBJECTS):
        return False
    kind = token.rsplit(":", 1)[-1]
    return not (kind.endswith("Patch") or kind.endswith("List"))


def checkov_id(manifest: dict[str, Any]) -> str:
    """The resource id checkov's kubernetes runner reports: ``Kind.namespace.name`` (namespace ``default``)."""
    meta = manifest.get("metadata") or {}
    return f"{manifest['kind']}.{meta.get('namespace') or 'default'}.{meta.get('name')}"


def to_manifest(resource: CapturedResource) -> dict[str, Any] | None:
    """The Kubernetes object a captured resource declares, or None when it lacks apiVersion/kind/name."""
    body = _clean(resource.inputs)
    if not isinstance(body, dict):
        return None
    body.pop("__defaults", None)
    meta = body.get("metadata") or {}
    if not (body.get("apiVersion") and body.get("kind") and meta.get("name")):
        return None
    # apiVersion, kind and metadata first, as people write manifests.
    ordered = {"apiVersion": body.pop("apiVersion"), "kind": body.pop("kind"), "metadata": body.pop("metadata")}
    return {**ordered, **body}


def render(resources: Iterable[CapturedResource]) -> ManifestSet:
    result = ManifestSet()
    for resource in resources:
        if not resource.type.startswith("kubernetes:"):
            continue
        manifest = to_manifest(resource) if is_kubernetes_object(resource) else None
        if manifest is None:
            result.unmapped.append(resource)
            continue
        result.manifests.append(manifest)
        result.urns[checkov_id(manifest)] = resource.urn
    return result


def _clean(value: Any) -> Any:
    """Drop unknowns (None) and turn the wire's integral floats (``53.0``) back into integers."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value if v is not None]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
