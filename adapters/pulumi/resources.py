"""Pulumi resource properties -> residency facts.

The policy pack (inside the engine) and the offline tools call ``facts_for`` with a ``ResourceView``:
one resource's type token, URN, name, inputs (camelCase wire names, as the engine sends them) and
effective region. Extractors are registered per type token; a type with no extractor still yields a
``Placement`` when it is a regional AWS resource.

Two scopes of extractor exist. Resource-scope extractors see one resource (``index`` is None) and run in
the pack's per-resource ``Analyze``. Program-scope extractors (``needs_program=True``) need the whole
program (``ProgramIndex``) to resolve references between resources (an S3 replication destination bucket
to its region) and run only in stack-level analysis (``program_facts`` in ``adapters.pulumi.aws_program``).

This module imports neither pulumi nor boto3: properties are plain mappings (or pulumi_policy's read-only
proxies, which behave as mappings and raise ``UnknownValueError`` when an unknown value is read).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.pulumi.provider_account import deploy_accounts
from residency.model import Fact, Placement
from residency.regions import effective_region, region_of
from residency.resource_types import package_of

try:  # the props proxies raise this during preview; without pulumi_policy nothing raises it
    from pulumi_policy.proxy import UnknownValueError as UnknownValueError
except ImportError:  # pragma: no cover

    class UnknownValueError(Exception):  # type: ignore[no-redef]
        pass


@dataclass(frozen=True)
class ProgramIndex:
    """What stack-level analysis knows about the whole program, to resolve references between resources.

    ``bucket_regions`` maps S3 bucket names (and ARNs) declared in the program to their effective region;
    ``key_regions`` maps KMS key ids/ARNs/aliases declared in the program to their region;
    ``by_urn`` holds every resource of the program (``adapters.pulumi.aws_program.ProgramResource``) by URN.
    """

    bucket_regions: Mapping[str, str | None] = field(default_factory=dict)
    key_regions: Mapping[str, str | None] = field(default_factory=dict)
    by_urn: Mapping[str, Any] = field(default_factory=dict)


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
    # The stack's ``aws-native:region`` config: where an aws-native resource without its own or its
    # explicit provider's region is created. None when the caller does not know it (fails closed).
    native_stack_region: str | None = None
    # Why ``region`` is None when the reason is a value unknown during preview (e.g. ".region").
    region_unknown: str | None = None
    # The resource's ``protect`` option as the engine sent it; None when the caller does not know it.
    protect: bool | None = None
    # A component resource: registered with no provider (the engine gives every custom resource one), so it
    # holds nothing itself and its children are judged one by one. False unless the caller knows.
    component: bool = False
    # ``props`` are the inputs the engine sent to Analyze (resource scope), not the state AnalyzeStack sends.
    analyzed_inputs: bool = False


# An extractor may raise pulumi_policy's UnknownValueError (through the props proxy) during preview; the
# caller decides what that means. It must never swallow it.
Extractor = Callable[[ResourceView, ProgramIndex | None], Iterable[Fact]]

EXTRACTORS: dict[str, list[Extractor]] = {}
# Extractors that need the whole program; run only by stack-level analysis, with a ProgramIndex.
PROGRAM_EXTRACTORS: dict[str, list[Extractor]] = {}
# Registered under this token, an extractor runs for every resource (destination discovery).
ANY_TYPE = "*"


def extractors_for(type_token: str, registry: Mapping[str, list[Extractor]] | None = None) -> list[Extractor]:
    """The extractors of one type: its own, then those registered for every type."""
    registry = EXTRACTORS if registry is None else registry
    return [*registry.get(type_token, ()), *registry.get(ANY_TYPE, ())]


# Resource-scope extractors whose values unknown at preview a program-scope extractor resolves (a key ARN,
# through the property's dependency on the key resource: adapters.pulumi.preview_keys) or reports.
UNKNOWNS_RESOLVED_BY_PROGRAM: set[Extractor] = set()


def extractor(
    *type_tokens: str, needs_program: bool = False, unknowns_resolved_by_program: bool = False
) -> Callable[[Extractor], Extractor]:
    """Register ``fn`` as a fact extractor for each Pulumi type token (e.g. ``aws:s3/bucket:Bucket``).

    ``unknowns_resolved_by_program``: a resource-scope extractor whose unknown values the resource policies
    leave to the stack policies, because a program-scope extractor resolves or reports each of them.
    """

    def register(fn: Extractor) -> Extractor:
        registry = PROGRAM_EXTRACTORS if needs_program else EXTRACTORS
        for token in type_tokens:
            registry.setdefault(token, []).append(fn)
        if unknowns_resolved_by_program:
            UNKNOWNS_RESOLVED_BY_PROGRAM.add(fn)
        return fn

    return register


AWS_PROVIDER = "pulumi:providers:aws"
AWS_NATIVE_PROVIDER = "pulumi:providers:aws-native"
AWS_NATIVE_PREFIX = "aws-native:"

# Cloud packages whose resources live somewhere the pack cannot place: a custom resource of one of them
# is an UNKNOWN Placement (blocking), never fact-free. azuread is absent on purpose: its objects are global.
UNMODELLED_CLOUD_PACKAGES: frozenset[str] = frozenset(
    {
        "gcp",
        "google-native",
        "azure",
        "azure-native",
        "oci",
        "alicloud",
        "digitalocean",
        "linode",
        "hcloud",
        "ibm",
        "vsphere",
        "openstack",
        "exoscale",
        "scaleway",
        "vultr",
        "ovh",
        "yandex",
        "civo",
        "equinix-metal",
        "upcloud",
        "tencentcloud",
        "huaweicloud",
    }
)

# Services whose resources have no region: they are not Placements (their data-bearing parts, if any,
# are judged by their own rules, e.g. CloudFront by transfer-cloudfront). Each entry is a pulumi-aws
# module; ``GLOBAL_EXCEPTIONS`` lists the regional types inside an otherwise global module.
GLOBAL_MODULES: frozenset[str] = frozenset(
    {
        "iam",  # identities and policies are global
        "organizations",  # the organisation, its OUs and SCPs
        "route53",  # hosted zones, records, health checks (resolver types are regional: see below)
        "route53domains",  # domain registrations
        "cloudfront",  # distributions, functions, OAC, cache policies: global edge service
        "budgets",  # account-level budgets
        "costexplorer",  # cost categories and anomaly monitors
        "account",  # account contacts and region opt-in
        "globalaccelerator",  # anycast edge service
        "waf",  # WAF Classic (global, for CloudFront); wafregional is regional
        "shield",  # Shield Advanced subscriptions and protection groups
    }
)
GLOBAL_TYPES: frozenset[str] = frozenset(
    {
        # The access point's control plane is global; which regions hold data is the transfer rule's job.
        "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint",
        "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    }
)
GLOBAL_EXCEPTIONS_PREFIXES: tuple[str, ...] = ("aws:route53/resolver", "aws:route53/profiles")


def module_of(type_token: str) -> str:
    """``aws:s3/bucket:Bucket`` -> ``s3``; tokens without a module give ``""``."""
    parts = type_token.split(":")
    return parts[1].split("/", 1)[0] if len(parts) == 3 else ""


def is_regional_aws_type(type_token: str) -> bool:
    """Whether a resource of this type lives in one AWS region (and so must be in the jurisdiction)."""
    if not type_token.startswith("aws:"):
        return False
    if type_token.startswith(GLOBAL_EXCEPTIONS_PREFIXES):
        return True
    return type_token not in GLOBAL_TYPES and module_of(type_token) not in GLOBAL_MODULES


def _placement(view: ResourceView) -> Placement | None:
    """Where the resource is, as far as the pack can tell; None for types that have no location."""
    if view.type in (AWS_PROVIDER, AWS_NATIVE_PROVIDER):
        # An explicit provider does not read the stack's region config: without its own region it is unknown.
        return Placement(view.urn, view.type, text(view.props.get("region")))
    if is_regional_aws_type(view.type):
        why = f"has a region unknown during preview ({view.region_unknown})" if view.region_unknown else None
        return Placement(view.urn, view.type, view.region, why, accounts=deploy_accounts(view.provider_props))
    if view.type.startswith(AWS_NATIVE_PREFIX):
        # Callers compute ``view.region`` with pulumi-aws semantics (the stack's aws:region); aws-native
        # reads its own config key, so the region is recomputed here.
        region = effective_region(view.props, view.provider_props, view.native_stack_region)
        return Placement(view.urn, view.type, region, accounts=deploy_accounts(view.provider_props))
    package = package_of(view.type)
    if package in UNMODELLED_CLOUD_PACKAGES:
        return Placement(
            view.urn,
            view.type,
            None,
            f"is from the {package} provider, which the residency pack does not model",
        )
    return None


def key_region(key: str, resource_region: str | None, index: ProgramIndex | None = None) -> str | None:
    """Where a referenced KMS key is held.

    A key ARN (or alias ARN) names its region. A bare key id or alias is resolved by AWS in the region of
    the resource that uses it, so it is a key in the resource's own region.
    """
    if index is not None and key in index.key_regions:
        return index.key_regions[key]
    return region_of(key, resource_region)


def get_path(value: Any, *path: str | int) -> Any:
    """``value[path[0]][path[1]]...`` or None when a step is missing. Unknown values still raise."""
    for step in path:
        if value is UNREADABLE:
            return UNREADABLE  # what lies under an unreadable value is unreadable too
        if isinstance(step, int):
            if isinstance(value, str) or not hasattr(value, "__len__") or not hasattr(value, "__getitem__"):
                return None
            if isinstance(value, Mapping) or step >= len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, Mapping) or step not in value:
                return None
            value = value[step]
    return value


class _Unreadable(Mapping[str, Any]):
    """Stands for a list element that could not be read (the property was a string or a scalar).

    An empty mapping, so extractors read nothing from it (no region, no key, no bucket) and report the
    destination or control as unknown, which blocks, instead of skipping it.
    """

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "unreadable value"


UNREADABLE: Mapping[str, Any] = _Unreadable()


def items(value: Any) -> list[Any]:
    """The elements of a list property (a list, a proxy list, or one object); [] when absent.

    A string or scalar where a list belongs is never silently empty: it is one ``UNREADABLE`` element.
    """
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, str | bytes) or not hasattr(value, "__len__") or not hasattr(value, "__getitem__"):
        return [UNREADABLE]
    return [value[i] for i in range(len(value))]


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


_BUILTIN_MODULES = (
    "adapters.pulumi.aws_transfers",
    "adapters.pulumi.aws_keys",
    "adapters.pulumi.aws_controls",
    "adapters.pulumi.aws_program",
    "adapters.pulumi.preview_keys",
    "adapters.pulumi.kubernetes",
    "adapters.pulumi.endpoints",
    "adapters.pulumi.aws_identity",
    "adapters.pulumi.data_paths",
    "adapters.pulumi.preview_references",
)
_loaded = False


def load_extractors() -> None:
    """Import every module that registers extractors (once). A module not written yet is skipped."""
    global _loaded
    if _loaded:
        return
    for name in _BUILTIN_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
    _loaded = True


def facts_for(view: ResourceView, index: ProgramIndex | None = None) -> list[Fact]:
    """Every fact one resource shows on its own (resource scope).

    Regional AWS and aws-native resources and their explicit providers yield a Placement (as do resources
    of cloud packages the pack does not model, with no region); registered extractors add transfers, key
    references and control states.
    """
    load_extractors()
    facts = placement_facts(view)
    for fn in extractors_for(view.type):
        facts.extend(fn(view, index))
    return facts


def placement_facts(view: ResourceView) -> list[Fact]:
    """The resource's Placement, if its type has a location (the first part of ``facts_for``)."""
    placement = _placement(view)
    return [placement] if placement is not None else []
