"""Pulumi resource properties -> residency facts.

The policy pack (inside the engine) and the offline tools call ``facts_for`` with a ``ResourceView``:
one resource's type token, URN, name, inputs (camelCase wire names, as the engine sends them) and
effective region. Extractors are registered per type token; a type with no extractor still yields a
``Placement`` when it is regional.

This module imports neither pulumi nor boto3: properties are plain mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from residency.model import Fact


@dataclass(frozen=True)
class ProgramIndex:
    """What stack-level analysis knows about the whole program, to resolve references between resources.

    ``bucket_regions`` maps S3 bucket names (and ARNs) declared in the program to their effective region;
    ``key_regions`` maps KMS key ids/ARNs/aliases declared in the program to their region.
    """

    bucket_regions: Mapping[str, str | None] = field(default_factory=dict)
    key_regions: Mapping[str, str | None] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResourceView:
    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    # Effective region: the resource's own `region` input, else its explicit provider's `region`, else the
    # stack's `aws:region`. None when none of those is known.
    region: str | None
    provider_props: Mapping[str, Any] | None = None


# An extractor may raise pulumi_policy's UnknownValueError (through the props proxy) during preview; the
# caller decides what that means. It must never swallow it.
Extractor = Callable[[ResourceView, ProgramIndex | None], Iterable[Fact]]

EXTRACTORS: dict[str, list[Extractor]] = {}


def extractor(*type_tokens: str) -> Callable[[Extractor], Extractor]:
    """Register ``fn`` as a fact extractor for each Pulumi type token (e.g. ``aws:s3/bucket:Bucket``)."""

    def register(fn: Extractor) -> Extractor:
        for token in type_tokens:
            EXTRACTORS.setdefault(token, []).append(fn)
        return fn

    return register


def effective_region(
    props: Mapping[str, Any], provider_props: Mapping[str, Any] | None, stack_region: str | None
) -> str | None:
    """The region a pulumi-aws v7 resource is created in.

    Its own ``region`` input wins, then its explicit provider's ``region``, then the stack's ``aws:region``.
    """
    own = props.get("region")
    if isinstance(own, str) and own:
        return own
    if provider_props is not None:
        prov = provider_props.get("region")
        if isinstance(prov, str) and prov:
            return prov
    return stack_region or None
