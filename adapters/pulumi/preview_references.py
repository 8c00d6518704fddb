"""Destinations unknown at preview that refer to resources of the same program (stack scope).

In a real preview every output AWS computes is unknown until the resource exists: an EventBridge target's
``arn: topic.arn``, a VPC endpoint's ``securityGroupIds: [group.id]``, an alias's ``targetKeyId: key.key_id``,
a Lambda function's ``layers: [layer.arn]``. The engine still says which resources each property depends on
(``propertyDependencies``). When every dependency of such a property is a resource of this program that the
catalogue classifies (an aws or kubernetes type; not a provider, a component or a stack reference), the value
names that resource or is computed from it alone, and that resource is judged itself: its placement by
residency-location, its own destinations by the data-path rules. The reference leaves nothing unjudged.

Anything else raises, and the stack policies report it as UNKNOWN, which blocks the preview (fail closed):
an unknown that depends on a stack reference, a provider, a component or a resource of a package the
catalogue does not know. Documents that hold principals (a bucket or topic policy) are never resolved this
way: only their text says whom they grant, so the data-path extractor raises them at resource scope. At
``pulumi up`` every value is known and judged as it is.

AnalyzeStack gives a resource's state, not its inputs, and the engine sends no dependencies for a property
without any: an unknown input with no dependency looks there like an output AWS computes (the resource's
own ``arn``). The data-path extractor notes each unknown reference input in Analyze, which the engine runs
on every resource first (``data_paths.UNKNOWN_REFERENCES``); each noted one is resolved or raised here.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.pulumi.data_paths import UNKNOWN_REFERENCES, preview_unknowns
from adapters.pulumi.resources import ANY_TYPE, ProgramIndex, ResourceView, extractor
from residency.model import Fact
from residency.resource_types import PROVIDER_PREFIX, default_type_catalogue

STACK_REFERENCE = "pulumi:pulumi:StackReference"


def is_judged_resource(urn: str, index: ProgramIndex) -> bool:
    """A resource of this program the pack judges itself: a type the catalogue classifies."""
    resource = index.by_urn.get(urn)
    if resource is None:
        return False
    token = resource.view.type
    if token == STACK_REFERENCE or token.startswith(PROVIDER_PREFIX):
        return False
    return default_type_catalogue().get(token) is not None  # a component's type is not catalogued


def resolved_by_program(urn: str, prop: str, index: ProgramIndex) -> bool:
    """Whether ``prop`` of the resource depends on judged resources of this program, and on nothing else."""
    resource = index.by_urn.get(urn)
    deps = resource.property_dependencies.get(prop, ()) if resource is not None else ()
    return bool(deps) and all(is_judged_resource(u, index) for u in deps)


@extractor(ANY_TYPE, needs_program=True)
def references_unknown_at_preview(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """Raises the first unknown destination reference the program does not resolve; yields no facts."""
    assert index is not None
    resource = index.by_urn.get(view.urn)
    depends = resource.property_dependencies if resource is not None else {}
    noted = UNKNOWN_REFERENCES.get(view.urn, frozenset())
    for err, principals in preview_unknowns(view):
        prop = str(err.props[0])
        # Principals: the data-path extractor raised them in Analyze. Neither noted in Analyze nor with
        # dependencies: an output AWS computes (see the module's note).
        if principals or not (prop in noted or depends.get(prop)):
            continue
        if not resolved_by_program(view.urn, prop, index):
            raise err
    yield from ()
