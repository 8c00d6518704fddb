"""KMS keys whose ARN is unknown at preview, resolved through the program (stack scope).

``kmsMasterKeyId: key.arn`` is unknown in a real preview until the key exists. The engine still says which
resources the property depends on (``propertyDependencies``). When every dependency of the property is a
KMS key resource of this program, the value is that key's, and the key is judged as declared: its region
(its own ``region`` input, else its provider's, as for any resource) for key custody, and a customer-managed
key (a key resource is never AWS-managed) for S3 default encryption. An unknown that depends on anything
else (no dependency, or another resource's output beside the key) cannot be resolved: the extractor
re-raises it, and the stack policies report it as UNKNOWN, which blocks the preview (fail closed).

The resource-scope extractors that read these keys (``aws_keys.key_references``,
``aws_controls.bucket_encryption``, and in ``kubernetes`` the StorageClass's and the EKS cluster's
encryption) leave their unknowns to this module (``unknowns_resolved_by_program``): reported at resource
scope, an unknown key would block every preview of a program that creates its key. Their rules are
program-scope for this reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from adapters.pulumi.aws_controls import encryption_states, written_key
from adapters.pulumi.aws_keys import KEY_PATHS, UNREADABLE_KEY
from adapters.pulumi.kubernetes import (
    EKS_CLUSTER,
    STORAGE_CLASS,
    KeyReader,
    eks_cluster_key,
    eks_secrets_encryption,
    storage_class_encryption,
    storage_class_key,
)
from adapters.pulumi.program import BUCKET_TYPES, SSE_CONFIG, ProgramResource
from adapters.pulumi.resources import (
    UNREADABLE,
    ProgramIndex,
    ResourceView,
    UnknownValueError,
    extractor,
    get_path,
    items,
    key_region,
    text,
)
from residency.model import Fact, KeyReference


def dependency_keys(resource: ProgramResource | None, prop: str, index: ProgramIndex) -> list[str]:
    """The URNs of the program's keys that ``prop`` depends on, or [] unless it depends on keys alone.

    Every dependency must be a key of the program: a value computed from a key and something else (a config
    value, another resource's output) may be any key, so it is not the program key's.
    """
    deps = resource.property_dependencies.get(prop, ()) if resource is not None else ()
    keys = [u for u in deps if u in index.key_regions]
    return keys if keys and len(keys) == len(deps) else []


def key_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _key_values(value: Any, path: tuple[str, ...]) -> Iterator[str | UnknownValueError]:
    """The key values at ``path``: each known value as text, the error for each value unknown in preview."""
    try:
        if not path:
            key = UNREADABLE_KEY if value is UNREADABLE else text(value)
            if key is not None:
                yield key
            return
        head, rest = path[0], path[1:]
        elements = items(value) if head == "*" else [get_path(value, head)]
    except UnknownValueError as err:
        yield err
        return
    for element in elements:
        if element is not None:
            yield from _key_values(element, rest)


@extractor(*KEY_PATHS, needs_program=True)
def unknown_key_references(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """Every key reference of a resource that has a key value unknown in preview.

    The resource-scope ``key_references`` stops at the first unknown, so the known values of such a resource
    (another key path, another list element) are judged here too; a resource with no unknown key value is
    judged at resource scope alone (no duplicate findings).
    """
    assert index is not None
    me = index.by_urn.get(view.urn)
    paths = [(purpose, path, list(_key_values(view.props, path))) for purpose, path in KEY_PATHS.get(view.type, ())]
    if not any(isinstance(v, UnknownValueError) for _, _, values in paths for v in values):
        return
    for purpose, path, values in paths:
        unknown = [v for v in values if isinstance(v, UnknownValueError)]
        for value in values:
            if isinstance(value, str):
                region = None if value == UNREADABLE_KEY else key_region(value, view.region, index)
                yield KeyReference(view.urn, view.type, purpose, value, region)
        if unknown:
            keys = dependency_keys(me, path[0], index)
            if not keys:
                raise unknown[0]
            for urn in keys:
                yield KeyReference(view.urn, view.type, purpose, key_name(urn), index.key_regions[urn])


# The property whose dependencies name a default-encryption key: the rules, or the bucket's inline block.
_ENCRYPTION_PROPERTY = {SSE_CONFIG: "rules", **{t: "serverSideEncryptionConfiguration" for t in BUCKET_TYPES}}


@extractor(*_ENCRYPTION_PROPERTY, needs_program=True)
def encryption_under_unknown_key(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """s3-encryption-kms of a default encryption whose key is unknown in preview.

    Only where the resource-scope ``bucket_encryption`` met an unknown (otherwise it has judged alone). Only
    the key is resolved; any other unknown (the algorithm, the rules themselves) is re-raised.
    """
    assert index is not None
    try:
        list(encryption_states(view))
        return
    except UnknownValueError:
        pass
    keys = dependency_keys(index.by_urn.get(view.urn), _ENCRYPTION_PROPERTY[view.type], index)

    def key_of(default: Any) -> str | None:
        try:
            return written_key(default)
        except UnknownValueError:
            if not keys:
                raise
            return ", ".join(f"{key_name(u)} (a KMS key of this program)" for u in keys)

    yield from encryption_states(view, key_of)


def _resolved(view: ResourceView, index: ProgramIndex, prop: str, read: KeyReader) -> KeyReader:
    """``read``, or, when the key it reads is unknown, the one program key ``prop`` depends on and its region."""

    def key_of() -> tuple[str | None, str | None]:
        try:
            return read()
        except UnknownValueError:
            keys = dependency_keys(index.by_urn.get(view.urn), prop, index)
            if len(keys) != 1:  # one key input, one key: with several, which is which cannot be told
                raise
            return key_name(keys[0]), index.key_regions[keys[0]]

    return key_of


# A Kubernetes encryption judgement (adapters.pulumi.kubernetes) given how to read its key.
KeyedFacts = Callable[[ResourceView, KeyReader], Iterator[Fact]]


def _under_unknown_key(
    view: ResourceView, index: ProgramIndex, prop: str, facts: KeyedFacts, read: KeyReader
) -> Iterator[Fact]:
    """``facts`` with the key resolved through ``prop``'s dependency, only where reading it met an unknown
    (otherwise the resource-scope extractor has judged alone)."""
    try:
        list(facts(view, read))
        return
    except UnknownValueError:
        pass
    yield from facts(view, _resolved(view, index, prop, read))


@extractor(STORAGE_CLASS, needs_program=True)
def storage_class_under_unknown_key(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """k8s-storage-encrypted and key custody of a StorageClass whose kmsKeyId is unknown in preview."""
    assert index is not None
    yield from _under_unknown_key(view, index, "parameters", storage_class_encryption, lambda: storage_class_key(view))


@extractor(EKS_CLUSTER, needs_program=True)
def eks_secrets_under_unknown_key(view: ResourceView, index: ProgramIndex | None) -> Iterator[Fact]:
    """eks-secrets-encrypted of a cluster whose keyArn is unknown in preview (its custody: key references)."""
    assert index is not None
    yield from _under_unknown_key(
        view, index, "encryptionConfig", eks_secrets_encryption, lambda: eks_cluster_key(view)
    )
