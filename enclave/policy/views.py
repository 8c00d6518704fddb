"""pulumi_policy's argument objects -> the adapter's ResourceView / ProgramResource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs

from adapters.pulumi_aws_stack import ProgramResource
from adapters.pulumi_resources import ResourceView, effective_region


def _provider_props(provider: Any) -> Mapping[str, Any] | None:
    # Only an explicit AWS provider changes the region; other providers' inputs mean nothing here.
    if provider is None or not str(provider.resource_type).startswith("pulumi:providers:aws"):
        return None
    return provider.props  # type: ignore[no-any-return]


def view_of(args: ResourceValidationArgs | PolicyResource, stack_region: str | None) -> ResourceView:
    provider_props = _provider_props(args.provider)
    region = effective_region(args.props, provider_props, stack_region)
    return ResourceView(args.urn, args.resource_type, args.name, args.props, region, provider_props)


def program_resource(resource: PolicyResource, stack_region: str | None) -> ProgramResource:
    deps = {k: tuple(d.urn for d in v) for k, v in resource.property_dependencies.items()}
    return ProgramResource(
        view_of(resource, stack_region),
        resource.parent.urn if resource.parent is not None else None,
        tuple(d.urn for d in resource.dependencies),
        deps,
    )
