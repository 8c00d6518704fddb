"""Fail-fast residency guard shared by the components: nothing is placed outside its jurisdiction.

The Python SDK has no ``pulumi.ResourceError`` (Node's has); ``PlacementError`` subclasses ``pulumi.RunError``,
which the language host reports as one line without a traceback, and keeps the offending component.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from residency.jurisdictions import Jurisdiction
from residency.regions import is_availability_zone_of


class PlacementError(pulumi.RunError):
    """A component was asked to place something outside its jurisdiction or home region."""

    def __init__(self, message: str, resource: pulumi.Resource | None = None) -> None:
        super().__init__(message)
        self.resource = resource


def require_region_in_jurisdiction(
    region: str, jurisdiction: Jurisdiction, component: str, resource: pulumi.Resource | None = None
) -> None:
    """Raise ``PlacementError`` unless ``region`` is one of ``jurisdiction``'s regions."""
    if not jurisdiction.allows(region):
        raise PlacementError(
            f"{component}: region {region!r} is outside {jurisdiction.name}; "
            f"allowed: {', '.join(jurisdiction.sorted_regions())}",
            resource,
        )


def require_zones_in_region(
    zones: Sequence[str], region: str, component: str, resource: pulumi.Resource | None = None
) -> None:
    """Raise ``PlacementError`` unless there are >= 2 distinct availability zones, all in ``region``."""
    outside = [z for z in zones if not is_availability_zone_of(z, region)]
    if outside:
        raise PlacementError(f"{component}: zones {outside} are not in {region}", resource)
    if len(set(zones)) < 2:
        raise PlacementError(f"{component}: need at least 2 distinct zones of {region}, got {list(zones)}", resource)


def guarded(parent: pulumi.Resource, *, retain: bool = False, **options: object) -> pulumi.ResourceOptions:
    """Options for a resource that enforces a guard (residency/guards.py lists the types).

    Protected: a rename, a replacement or `pulumi destroy` stops with an error instead of deleting it (and
    `destroy --exclude-protected` leaves it). ``retain``: a guard of a retained store (a bucket's versioning,
    policy, encryption) is also left in the cloud when its component is removed, so the store keeps it.
    """
    return pulumi.ResourceOptions(parent=parent, protect=True, retain_on_delete=True if retain else None, **options)  # type: ignore[arg-type]
