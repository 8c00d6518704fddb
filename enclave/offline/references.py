"""Resource references passed as inputs, downgraded the way the engine downgrades them for providers.

A program may pass a resource object as an input (``aws.lambda_.Permission(function=fn)``). On the wire
that is a resource reference. A provider that does not accept references (none of the AWS or Kubernetes
providers does) receives the custom resource's ID, or a component's URN, instead: the engine rewrites it.
The offline run does the same before the mocks see the registration. Deserialising the reference instead
would construct a resource object on the monitor's thread, whose event loop is not the program's, and the
program would stop with "attached to a different loop".
"""

from __future__ import annotations

from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import rpc


def _downgrade_value(value: struct_pb2.Value) -> None:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        fields = value.struct_value.fields
        signature = fields.get(rpc._special_sig_key)
        if signature is not None and signature.string_value == rpc._special_resource_sig:
            resource_id = fields["id"].string_value if "id" in fields else ""
            urn = fields["urn"].string_value if "urn" in fields else ""
            # An empty ID (a component, or a resource not yet created in a preview): the URN, as the engine does
            # for components; a preview's unknown ID stays unknown.
            value.string_value = resource_id or urn
            return
        downgrade_struct(value.struct_value)
    elif kind == "list_value":
        for item in value.list_value.values:
            _downgrade_value(item)


def downgrade_struct(struct: struct_pb2.Struct) -> None:
    for item in struct.fields.values():
        _downgrade_value(item)


def without_resource_references(request: Any) -> Any:
    """A copy of a RegisterResourceRequest whose inputs carry IDs/URNs where they carried resource references."""
    copy = type(request)()
    copy.CopyFrom(request)
    downgrade_struct(copy.object)
    return copy
