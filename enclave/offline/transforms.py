"""Resource transforms, applied the way the Pulumi engine applies them.

``pulumi.runtime.register_resource_transform`` and the ``transforms=`` resource option do not run in the
program: the SDK registers each transform with its callback server and sends the engine a reference
(``Callback``: a token and the server's address). The engine calls back over gRPC before it registers
the resource, in this order: the resource's own transforms, then those of its parent, its parent's parent
and so on, then the stack's transforms in the order they were registered; each one sees the result of the
one before. Pulumi's ``MockMonitor`` skips all of that, so a program that rewrote ``region`` in a transform
would be judged on what it never deploys.

``EngineTransforms`` does what the engine does, through the same callback protocol (``Callbacks.Invoke``
with a ``TransformRequest``), so the program's own callback server runs the transform. What it cannot
rebuild is the engine's per-property dependency tracking through transforms: a property a transform
sets keeps the dependencies it had before (none, if it is new).

The older ``transformations=`` and ``register_stack_transformation`` run inside the SDK before the
registration reaches any monitor, so the mock runtime already applies them.
"""

from __future__ import annotations

import threading
from typing import Any

import grpc
from pulumi.runtime.proto import callback_pb2, callback_pb2_grpc, resource_pb2


class TransformError(Exception):
    """A transform failed; the engine would stop the deployment with the same message."""


class EngineTransforms:
    """Stack transforms and each resource's own transforms, applied to every registration."""

    def __init__(self) -> None:
        self._stack: list[callback_pb2.Callback] = []
        self._by_urn: dict[str, list[callback_pb2.Callback]] = {}
        self._parents: dict[str, str] = {}
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()
        self.applied = 0  # registrations a transform ran on (a transform that changes nothing still counts)

    def register_stack_transform(self, callback: callback_pb2.Callback) -> None:
        with self._lock:
            self._stack.append(callback)

    def apply(self, request: Any, urn: str) -> Any:
        """The registration after every transform that applies to it (the request itself when none does)."""
        with self._lock:
            own = list(request.transforms)
            self._by_urn[urn] = own
            if request.parent:
                self._parents[urn] = request.parent
            chain = own + self._inherited(request.parent) + list(self._stack)
        if not chain:
            return request
        transform = resource_pb2.TransformRequest(
            type=request.type,
            name=request.name,
            custom=request.custom,
            parent=request.parent,
            properties=request.object,
            options=_options_of(request),
        )
        for callback in chain:
            response = self._invoke(callback, transform)
            transform.properties.CopyFrom(response.properties)
            if response.HasField("options"):
                transform.options.CopyFrom(response.options)
        self.applied += 1
        return _request_with(request, transform.properties, transform.options)

    def _inherited(self, parent: str) -> list[callback_pb2.Callback]:
        callbacks: list[callback_pb2.Callback] = []
        while parent:
            callbacks += self._by_urn.get(parent, [])
            parent = self._parents.get(parent, "")
        return callbacks

    def _invoke(self, callback: callback_pb2.Callback, request: resource_pb2.TransformRequest) -> Any:
        with self._lock:
            channel = self._channels.get(callback.target)
            if channel is None:
                channel = self._channels[callback.target] = grpc.insecure_channel(callback.target)
        stub = callback_pb2_grpc.CallbacksStub(channel)
        invoke = callback_pb2.CallbackInvokeRequest(token=callback.token, request=request.SerializeToString())
        try:
            reply = stub.Invoke(invoke)
        except grpc.RpcError as err:
            lines = (err.details() or "").strip().splitlines()
            # The SDK's callback server answers "Invoke callback <token> error: <message>:" then the frames.
            first = lines[0].partition(" error: ")[2].rstrip(":") if lines else ""
            first = first or (lines[0] if lines else type(err).__name__)
            raise TransformError(f"a resource transform failed on {request.type} {request.name!r}: {first}") from None
        return resource_pb2.TransformResponse.FromString(reply.response)

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()


def _options_of(request: Any) -> resource_pb2.TransformResourceOptions:
    """The options the engine hands a transform, read from the registration (as the engine does)."""
    options = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        protect=request.protect,
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        aliases=list(request.aliases),
        provider=request.provider,
        plugin_download_url=request.pluginDownloadURL,
        retain_on_delete=request.retainOnDelete,
        deleted_with=request.deletedWith,
        additional_secret_outputs=list(request.additionalSecretOutputs),
    )
    if request.HasField("customTimeouts"):
        options.custom_timeouts.CopyFrom(request.customTimeouts)
    if request.deleteBeforeReplaceDefined or request.deleteBeforeReplace:
        options.delete_before_replace = request.deleteBeforeReplace
    options.providers.update(dict(request.providers))
    options.plugin_checksums.update(dict(request.pluginChecksums))
    return options


def _request_with(request: Any, properties: Any, options: resource_pb2.TransformResourceOptions) -> Any:
    """A copy of the registration with the transformed inputs and options."""
    out = type(request)()
    out.CopyFrom(request)
    out.object.CopyFrom(properties)
    out.protect = options.protect
    out.retainOnDelete = options.retain_on_delete
    out.provider = options.provider
    out.deletedWith = options.deleted_with
    out.version = options.version
    del out.dependencies[:]
    out.dependencies.extend(options.depends_on)
    del out.ignoreChanges[:]
    out.ignoreChanges.extend(options.ignore_changes)
    del out.additionalSecretOutputs[:]
    out.additionalSecretOutputs.extend(options.additional_secret_outputs)
    out.providers.clear()
    out.providers.update(dict(options.providers))
    if options.HasField("delete_before_replace"):
        out.deleteBeforeReplace = options.delete_before_replace
        out.deleteBeforeReplaceDefined = True
    # Per-property dependencies of properties a transform removed no longer apply.
    keys = set(properties.fields.keys())
    for key in [k for k in out.propertyDependencies if k not in keys]:
        del out.propertyDependencies[key]
    return out
