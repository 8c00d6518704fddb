"""Every destination in every resource's inputs, judged by the one data-path rule core (any type token).

Resource scope: the resource's type entry (residency.resource_types) and its inputs give the transfers of
``residency.data_paths``; a type of a catalogued package that has no entry is UNKNOWN, naming the type and
how to classify it. A resource or provider of a package the catalogue does not know (a SaaS, another cloud,
a multi-language component the offline run cannot expand) is UNKNOWN, naming the package. Infrastructure
inside other infrastructure (a CloudFormation template, a Helm release, a dynamic provider's code) is
UNKNOWN unless an assessment names it. A component resource (no provider: the engine registers its
children, which are judged one by one) holds nothing itself. Program scope: S3 buckets named by ARN or
name are placed with the program's own buckets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from adapters.pulumi.aws_keys import judged_by_key_custody
from adapters.pulumi.program import BUCKET_TYPES, bucket_names
from adapters.pulumi.provider_account import provider_account
from adapters.pulumi.resources import ANY_TYPE, ProgramIndex, ResourceView, UnknownValueError, extractor
from residency.data_paths import candidates_of, data_path_transfers, naming_others
from residency.destinations import Candidate, is_destination_key
from residency.model import Destination, Fact, Transfer, Vector
from residency.resource_types import (
    PROVIDER_PREFIX,
    TypeEntry,
    default_type_catalogue,
    how_to_classify,
    package_of,
    unknown_package,
)


def _entry(view: ResourceView) -> TypeEntry | None:
    """The type's entry, else its package's (for a package not classified type by type)."""
    catalogue = default_type_catalogue()
    entry = catalogue.get(view.type)
    if entry is None and not view.type.startswith(PROVIDER_PREFIX):
        entry = catalogue.package_entry(package_of(view.type))
    return entry


def known_values(value: Any, unknowns: list[UnknownValueError]) -> Any:
    """``value`` as plain dicts and lists, without the parts unknown during preview (collected in ``unknowns``).

    Discovery reads every input; one unknown value must not stop the other rules' facts of the resource (the
    props proxies raise on reading one). No unknown destination input is passed over: an unknown document is
    raised here, an unknown reference is resolved through the program or raised there
    (``preview_unknowns``, adapters.pulumi.preview_references); the pack reports what is raised as UNKNOWN.
    """
    kind = type(value)
    if kind is str or kind is bool or kind is float or kind is int or value is None:
        return value  # the common leaves, without the ABC checks below
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key in list(value):
            try:
                plain[key] = known_values(value[key], unknowns)
            except UnknownValueError as err:
                unknowns.append(err)
        return plain
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(known_values(value[index], unknowns))
            except UnknownValueError as err:
                unknowns.append(err)
        return items
    return value


def preview_unknowns(view: ResourceView) -> list[tuple[UnknownValueError, bool]]:
    """Every destination input unknown during preview (judged again at update), each with whether it holds
    principals (a policy document: only its text says whom it grants, so nothing but the text resolves it).

    A destination input is a property the type entry names (out, principals, buckets) or one whose name says
    it holds a destination (an ARN, endpoint, URL, host, target); an unknown VPC id or name is not one.
    """
    entry = _entry(view)
    if entry is None or not entry.searched:
        return []
    unknowns: list[UnknownValueError] = []
    known_values(view.props, unknowns)
    found: list[tuple[UnknownValueError, bool]] = []
    for err in unknowns:
        path = tuple(getattr(err, "props", ()))
        if judged_by_key_custody(view.type, path):
            continue  # key custody judges it, resolving one unknown at preview through the program
        if entry.holds_principals(path):
            found.append((err, True))
        elif (
            entry.direction_of(path) is not None
            or entry.names_bucket(path)
            or any(is_destination_key(str(step)) for step in path)
        ):
            found.append((err, False))
    return found


def _unclassified(view: ResourceView) -> Transfer | None:
    """Why a resource with no entry cannot be verified; None when it needs no entry (a component, or the
    provider of a package the catalogue knows)."""
    catalogue = default_type_catalogue()
    package = package_of(view.type)
    if view.type.startswith(PROVIDER_PREFIX):
        if catalogue.knows_package(package):
            return None  # its region and endpoints are judged by residency-location and the endpoint rule
    elif catalogue.classifies_types_of(package):
        return Transfer(
            Vector.RESOURCE_REFERENCE, view.urn, view.type, view.region, Destination(how_to_classify(view.type))
        )
    elif view.component:
        return None  # a component holds nothing itself; the engine registers its children, judged one by one
    where = Destination(unknown_package(view.type), provider=package)
    return Transfer(Vector.OTHER_PROVIDER, view.urn, view.type, view.region, where)


# Analyze (resource scope) sees a resource's inputs but not what they depend on; AnalyzeStack sees the
# dependencies, but the state in place of the inputs, where an input unknown at preview and an output AWS
# computes (the resource's own ``arn``) look alike, and the engine sends no entry for a property without
# dependencies. So Analyze notes the property of each unknown reference it meets (URN -> properties), and the
# stack policies resolve or report each noted one (adapters.pulumi.preview_references). The engine runs
# Analyze on every resource before AnalyzeStack, in the same pack process; URNs name their stack.
UNKNOWN_REFERENCES: dict[str, frozenset[str]] = {}


@extractor(ANY_TYPE)
def data_paths(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    entry = _entry(view)
    if entry is None:
        unclassified = _unclassified(view)
        if unclassified is not None:
            yield unclassified
        return
    if not entry.searched:
        return
    unknowns = preview_unknowns(view)
    for unknown, principals in unknowns:
        if principals:
            # Whom an unknown document grants cannot be resolved: the pack reports it (it blocks, naming the
            # input) rather than judge the resource's other destinations without it.
            raise unknown
    if view.analyzed_inputs:
        # Unknown references: resolved through the program, or reported there (preview_references).
        UNKNOWN_REFERENCES[view.urn] = frozenset(str(err.props[0]) for err, _ in unknowns)
    candidates = _candidates(view, entry)
    yield from data_path_transfers(
        view.urn, view.type, view.region, entry, candidates, None, provider_account(view.provider_props)
    )
    if entry.vector == Vector.EMBEDDED_INFRASTRUCTURE:
        why = entry.reason or "a template or chart the gate does not see one by one"
        what = f"what {view.type} deploys or does ({why})"
        yield Transfer(entry.vector, view.urn, view.type, view.region, Destination(what, provider=view.type))


@extractor(ANY_TYPE, needs_program=True)
def bucket_destinations(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    entry = _entry(view)
    if entry is None or not entry.searched or index is None:
        return
    # The state AnalyzeStack reads holds a bucket's own name and ARN, which are where it is, not where it sends data.
    identity = bucket_names(view) if view.type in BUCKET_TYPES else []
    candidates = naming_others(_candidates(view, entry), identity)
    account = provider_account(view.provider_props)
    yield from data_path_transfers(view.urn, view.type, view.region, entry, candidates, index.bucket_regions, account)


def _candidates(view: ResourceView, entry: TypeEntry) -> Iterator[Candidate]:
    """The resource's candidate destinations, but for the key inputs key custody judges (judged once)."""
    for found in candidates_of(entry, known_values(view.props, [])):
        if not judged_by_key_custody(view.type, found.path):
            yield found
