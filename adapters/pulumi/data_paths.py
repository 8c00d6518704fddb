"""Every destination in every resource's inputs, judged by the one data-path rule core (any type token).

Resource scope: the resource's type entry (residency.resource_types) and its inputs give the transfers of
``residency.data_paths``; a type of a catalogued package that has no entry is UNKNOWN, naming the type and
how to classify it. Infrastructure inside other infrastructure (a CloudFormation template, a Helm release,
a remote component) is UNKNOWN unless an assessment names it. Program scope: S3 buckets named by ARN or
name are placed with the program's own buckets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from adapters.pulumi.resources import ANY_TYPE, ProgramIndex, ResourceView, extractor
from residency.data_paths import candidates_of, data_path_transfers
from residency.destinations import is_destination_key
from residency.model import Destination, Fact, Transfer, Vector
from residency.resource_types import TypeEntry, default_type_catalogue, how_to_classify

try:  # the props proxies raise this during preview; without pulumi_policy nothing raises it
    from pulumi_policy.proxy import UnknownValueError
except ImportError:  # pragma: no cover

    class UnknownValueError(Exception):  # type: ignore[no-redef]
        pass


# Packages whose every type is classified; a type of theirs with no entry is new and unreviewed.
CATALOGUED_PACKAGES = ("aws:", "kubernetes:")


def _entry(view: ResourceView) -> TypeEntry | None:
    return default_type_catalogue().get(view.type)


def known_values(value: Any, unknowns: list[UnknownValueError]) -> Any:
    """``value`` as plain dicts and lists, without the parts unknown during preview (collected in ``unknowns``).

    Discovery reads every input; one unknown value must not stop the other rules' facts of the resource (the
    props proxies raise on reading one). The data-path policy itself says it runs again at update
    (``preview_unknown``): an unknown destination input is raised, and the pack reports it as UNKNOWN.
    """
    if isinstance(value, str):
        return value
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


def preview_unknown(view: ResourceView) -> UnknownValueError | None:
    """The first destination input unknown during preview (judged again at update), if any.

    A destination input is a property the type entry names (out, principals, buckets) or one whose name says
    it holds a destination (an ARN, endpoint, URL, host, target); an unknown VPC id or name is not one.
    """
    entry = _entry(view)
    if entry is None or not entry.searched:
        return None
    unknowns: list[UnknownValueError] = []
    known_values(view.props, unknowns)
    for err in unknowns:
        path = tuple(getattr(err, "props", ()))
        if entry.direction_of(path) is not None or entry.holds_principals(path) or entry.names_bucket(path):
            return err
        if any(is_destination_key(str(step)) for step in path):
            return err
    return None


@extractor(ANY_TYPE)
def data_paths(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    entry = _entry(view)
    if entry is None:
        if view.type.startswith(CATALOGUED_PACKAGES):
            yield Transfer(
                Vector.RESOURCE_REFERENCE, view.urn, view.type, view.region, Destination(how_to_classify(view.type))
            )
        return
    if not entry.searched:
        return
    unknown = preview_unknown(view)
    if unknown is not None:
        # A destination unknown during preview: the pack reports it (it blocks, naming the input) rather
        # than judge the resource's other destinations without it.
        raise unknown
    props = known_values(view.props, [])
    yield from data_path_transfers(view.urn, view.type, view.region, entry, candidates_of(entry, props))
    if entry.vector == Vector.EMBEDDED_INFRASTRUCTURE:
        what = f"the resources inside {view.type} (a template or chart the gate does not see one by one)"
        yield Transfer(entry.vector, view.urn, view.type, view.region, Destination(what, provider=view.type))


@extractor(ANY_TYPE, needs_program=True)
def bucket_destinations(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    entry = _entry(view)
    if entry is None or not entry.searched or index is None:
        return
    candidates = candidates_of(entry, known_values(view.props, []))
    yield from data_path_transfers(view.urn, view.type, view.region, entry, candidates, index.bucket_regions)
