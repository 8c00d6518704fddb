"""pulumi_policy's argument objects -> the adapter's ResourceView / ProgramResource."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, cast

from pulumi_policy import PolicyResource, ResourceValidationArgs
from pulumi_policy.proxy import UnknownValueError

from adapters.pulumi.program import ProgramResource
from adapters.pulumi.resources import ResourceView
from residency.regions import effective_region
from residency.resource_types import PROVIDER_PREFIX
from residency.stack_config import NATIVE_REGION
from residency_pack.context import stack_config


def _provider_props(provider: Any) -> Mapping[str, Any] | None:
    # Only an explicit AWS provider changes the region; other providers' inputs mean nothing here.
    if provider is None or not str(provider.resource_type).startswith("pulumi:providers:aws"):
        return None
    return cast(Mapping[str, Any], provider.props)


@lru_cache(maxsize=8)
def _native_region(pulumi_config: str | None) -> str | None:
    # The engine passes the stack's config in PULUMI_CONFIG; parsed once per distinct value.
    config, _ = stack_config({"PULUMI_CONFIG": pulumi_config} if pulumi_config is not None else {})
    return config.get(NATIVE_REGION) or None


# The inputs Analyze received, by URN. The engine gives a resource whose provider's configuration is unknown
# at preview (a Kubernetes provider whose kubeconfig comes from the EKS cluster being created) no Check and no
# Create, so AnalyzeStack sends it with an empty state; such a resource is judged by its inputs, which Analyze
# received first, in the same pack process. A resource with any state is judged by its state.
ANALYZED_INPUTS: dict[str, Any] = {}


def _props(args: ResourceValidationArgs | PolicyResource) -> Any:
    if isinstance(args, ResourceValidationArgs):
        ANALYZED_INPUTS[args.urn] = args.props
        return args.props
    return args.props if len(args.props) else ANALYZED_INPUTS.get(args.urn, args.props)


def view_of(args: ResourceValidationArgs | PolicyResource, stack_region: str | None) -> ResourceView:
    """The adapter's view. A region unknown during preview is None, with the unknown input named, never an
    exception: every policy must decide (UNKNOWN blocks), not leave it to the engine's advisory."""
    provider_props = _provider_props(args.provider)
    props = _props(args)
    unknown: str | None = None
    try:
        region = effective_region(props, provider_props, stack_region)
    except UnknownValueError as err:
        region, unknown = None, _path(err)
    native = _native_region(os.environ.get("PULUMI_CONFIG"))
    protect = getattr(args.opts, "protect", None)
    # The engine gives every custom resource a provider (its default one if none is named), and a provider
    # none: a resource without one that is not itself a provider is a component.
    component = args.provider is None and not str(args.resource_type).startswith(PROVIDER_PREFIX)
    return ResourceView(
        args.urn,
        args.resource_type,
        args.name,
        props,
        region,
        provider_props,
        native,
        unknown,
        protect if isinstance(protect, bool) else None,
        component,
        isinstance(args, ResourceValidationArgs),
    )


def _path(err: UnknownValueError) -> str:
    return "." + ".".join(str(p) for p in err.props)


def program_resource(resource: PolicyResource, stack_region: str | None) -> ProgramResource:
    deps = {k: tuple(d.urn for d in v) for k, v in resource.property_dependencies.items()}
    return ProgramResource(
        view_of(resource, stack_region),
        resource.parent.urn if resource.parent is not None else None,
        tuple(d.urn for d in resource.dependencies),
        deps,
    )
