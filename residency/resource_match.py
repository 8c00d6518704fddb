"""How a registry entry names a resource: exactly one resource, by its full id, matched exactly.

A finding's resource is a Pulumi URN (``urn:pulumi:<stack>::<project>::<type>::<name>``: before
deployment) or an ARN (the live auditor). An entry names one of those in full. A bare logical name
(``data``) or ``<type>::<name>`` would match that name in every project, stack and component, so it is
rejected when the registry is loaded, and nothing is ever stripped when matching.
"""

from __future__ import annotations

from residency.arns import parse_arn

URN_PREFIX = "urn:pulumi:"


def is_exact_resource_id(value: str) -> bool:
    """A full Pulumi URN (stack, project, type and name all present) or a full ARN."""
    if value.startswith(URN_PREFIX):
        parts = value[len(URN_PREFIX) :].split("::", 3)
        return len(parts) == 4 and all(parts)
    # Region and account are empty for global services; partition, service and resource never are.
    arn = parse_arn(value)
    return arn is not None and bool(arn.partition) and bool(arn.service) and bool(arn.resource)


def names_resource(listed: str, resource: str) -> bool:
    return listed == resource
