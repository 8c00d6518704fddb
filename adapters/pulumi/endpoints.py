"""An AWS provider's endpoint overrides: where its API calls, and the data in them, actually go.

The provider's ``endpoints`` input (for a default provider: the stack's ``aws:endpoints`` config, which the
engine passes as that input) replaces a service's regional endpoint. Each override is a Placement of the
provider: in the jurisdiction only when it is an AWS endpoint of one of its regions; any other host cannot
be shown to be in it (``residency.endpoints``).
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.pulumi.resources import AWS_PROVIDER, ProgramIndex, ResourceView, extractor
from residency.endpoints import endpoint_overrides
from residency.model import Fact, Placement


@extractor(AWS_PROVIDER)
def endpoint_placements(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for override in endpoint_overrides(view.props.get("endpoints")):
        yield Placement(view.urn, view.type, override.region, override.why or None, part=override.describe())
