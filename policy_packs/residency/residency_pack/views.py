"""pulumi_policy's argument objects -> the adapter's ResourceView / ProgramResource."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs

from adapters.pulumi.aws_program import ProgramResource
from adapters.pulumi.resources import ResourceView, effective_region
from residency_pack.context import stack_config

NATIVE_REGION_KEY = "aws-native:region"


def _provider_props(provider: Any) -> Mapping[str, Any] | None:
    # Only an explicit AWS provider changes the region; other providers' inputs mean nothing here.
    if provider is None or not str(provider.resource_type).startswith("pulumi:providers:aws"):
        return None
    return provider.props  # type: ignore[no-any-return]


@lru_cache(maxsize=8)
def _native_region(pulumi_config: str | None) -> str | None:
    # The engine passes the stack's config in PULUMI_CONFIG; parsed once per distinct value.
    config, _ = stack_config({"PULUMI_CONFIG": pulumi_config} if pulumi_config is not None else {})
    return config.get(NATIVE_REGION_KEY) or None


def view_of(args: ResourceValidationArgs | PolicyResource, stack_region: str | None) -> ResourceView:
    provider_props = _provider_props(args.provider)
    region = effective_region(args.props, provider_props, stack_region)
    native = _native_region(os.environ.get("PULUMI_CONFIG"))
    return ResourceView(args.urn, args.resource_type, args.name, args.props, region, provider_props, native)


def program_resource(resource: PolicyResource, stack_region: str | None) -> ProgramResource:
    deps = {k: tuple(d.urn for d in v) for k, v in resource.property_dependencies.items()}
    return ProgramResource(
        view_of(resource, stack_region),
        resource.parent.urn if resource.parent is not None else None,
        tuple(d.urn for d in resource.dependencies),
        deps,
    )
