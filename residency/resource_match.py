"""How a registry entry names a resource: exactly, with one shortcut for Pulumi URNs.

An entry matches a finding's resource when the two strings are equal. When the finding's resource is a
Pulumi URN (``urn:pulumi:<stack>::<project>::<type>::<name>``), an entry may also give just the URN's
logical ``<name>``, or ``<type>::<name>`` to tell apart resources of different types with the same name.
Nothing else is stripped: an ARN (``arn:aws:s3:::data``) or any other id must be listed in full, so an
entry for ``data`` never waives a bucket whose ARN happens to end in ``data``.
"""

from __future__ import annotations

URN_PREFIX = "urn:pulumi:"


def names_resource(listed: str, resource: str) -> bool:
    if listed == resource:
        return True
    if not resource.startswith(URN_PREFIX):
        return False
    # The name is everything after the third "::" (a logical name may itself contain "::").
    parts = resource[len(URN_PREFIX) :].split("::", 3)
    if len(parts) != 4:
        return False
    _stack, _project, qualified_type, name = parts
    # A child's qualified type is "<parent type>$<own type>"; the resource's own type is the last one.
    own_type = qualified_type.rsplit("$", 1)[-1]
    return listed in (name, f"{own_type}::{name}")
