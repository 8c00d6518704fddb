"""Default providers, registered as the engine registers them.

A custom resource without an explicit ``provider`` is managed by its package's default provider, which the
engine creates from the stack's config for that package (``aws:region``, ``aws:endpoints``,
``kubernetes:kubeconfig``, ``kubernetes:context`` ...) and registers as a resource of its own
(``pulumi:providers:<package>::default_<version>``); the policy pack analyses it and sees it as the provider
of every such resource. Pulumi's mock monitor registers none, so without this a Kubernetes object on the
default provider (whatever cluster the deploying machine's kubeconfig names) or an ``aws:endpoints``
override in the stack config would reach the pack with no provider at all.

A multi-language (remote) component is registered with its package's provider too: the engine asks that
provider to construct it. Offline its children are never created, so the pack sees it as a resource of its
package, which it judges (an unknown package cannot be verified), never as a plain component.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata

from enclave.offline.model import CapturedResource
from residency.resource_types import package_of

PROVIDER_PREFIX = "pulumi:providers:"


def _name(package: str) -> str:
    # The engine names a default provider after the plugin version: default_7_51_0.
    try:
        version = metadata.version(f"pulumi_{package.replace('-', '_')}")
    except metadata.PackageNotFoundError:
        return "default"
    return "default_" + version.replace(".", "_").replace("-", "_")


def add_default_providers(
    resources: Sequence[CapturedResource], project: str, stack: str, config: Mapping[str, str]
) -> list[CapturedResource]:
    """``resources`` plus one default provider per package that a custom resource uses without a provider."""
    orphans = [r for r in resources if (r.custom or r.remote) and not r.is_provider and r.provider is None]
    defaults: dict[str, CapturedResource] = {}
    for package in sorted({package_of(r.type) for r in orphans}):
        name = _name(package)
        inputs = {key.split(":", 1)[1]: value for key, value in config.items() if key.startswith(f"{package}:")}
        defaults[package] = CapturedResource(
            urn=f"urn:pulumi:{stack}::{project}::{PROVIDER_PREFIX}{package}::{name}",
            type=f"{PROVIDER_PREFIX}{package}",
            name=name,
            custom=True,
            inputs=inputs,
            outputs=dict(inputs),
            id=f"{name}-provider-id",
        )
    for r in orphans:
        r.provider = defaults[package_of(r.type)].urn
    return [*defaults.values(), *resources]
