"""The engine's side of an offline run: Pulumi's ``MockMonitor``, recording every registration as the engine
receives it (``MockResourceArgs`` omits resource options: protect, retainOnDelete, parent, provider and
dependencies are read from the ``RegisterResourceRequest`` itself).

Registrations are most of an offline run's time, so this monitor answers one without the work the SDK's
``MockMonitor`` would repeat: it deserialises the request's properties once (``MockMonitor`` did it again)
and turns the mocks' answer, plain JSON values, into the response's ``Struct`` directly, where
``MockMonitor`` ran an event loop on the registration's thread to serialise them (``state_struct``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, _resolve_callbacks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from enclave.offline.invokes import ANSWERS
from enclave.offline.mocks import RealisticMocks, plain
from enclave.offline.model import CapturedResource
from enclave.offline.references import without_resource_references
from enclave.offline.transforms import EngineTransforms
from enclave.offline.unknowns import STACK_REFERENCE

_JSON_SCALARS = (str, int, float, bool, type(None))


def _is_plain_json(value: Any) -> bool:
    kind = type(value)
    if kind in _JSON_SCALARS:
        return True
    if kind is dict:
        return all(type(k) is str and _is_plain_json(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_is_plain_json(v) for v in value)
    return False


def state_struct(state: dict[str, Any]) -> struct_pb2.Struct:
    """The mocks' state as ``rpc.serialize_properties`` would send it: a top-level None is left out, every
    other plain JSON value is stored as is. Anything else (an Output, an asset object, a resource) goes
    through the SDK's own serialiser."""
    if not _is_plain_json(state):
        return _sync_await(rpc.serialize_properties(state, {}))
    struct = struct_pb2.Struct()
    for key, value in state.items():
        if value is not None:
            struct[key] = value
    return struct


def _frame(uri: str, line: int) -> dict[str, Any] | None:
    if not uri.startswith("file://") or line <= 0:
        return None
    return {"file": url2pathname(urlparse(uri).path), "line": int(line)}


def registration_frames(request: Any) -> list[dict[str, Any]]:
    """The registration's call stack as the Python SDK sends it (``stackTrace``, innermost first), or
    its single ``sourcePosition`` when the SDK sent no trace."""
    frames = [_frame(f.pc.uri, f.pc.line) for f in request.stackTrace.frames if f.HasField("pc")]
    found = [f for f in frames if f is not None]
    if not found and request.HasField("sourcePosition"):
        position = _frame(request.sourcePosition.uri, request.sourcePosition.line)
        found = [position] if position else []
    return found


class CapturingMonitor(MockMonitor):
    """Pulumi's MockMonitor, recording every registration with its resource options."""

    def __init__(self, mocks: RealisticMocks) -> None:
        super().__init__(mocks)
        self.realistic = mocks
        self.captured: list[CapturedResource] = []
        self.stack_urn: str | None = None
        self.stack_outputs: dict[str, Any] = {}
        self.transforms = EngineTransforms()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the engine gives a resource: its parent's whole type chain, the root stack left out.

        Pulumi's MockMonitor keeps only the parent's last type and includes the root stack's
        (``...::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::x``); the engine writes ``...::aws:s3/bucket:Bucket::x``
        and ``A$B$aws:...`` for a grandchild (checked against the real CLI by tests/engine). Reports,
        exemptions and assessments name resources by URN, so the offline run must give the engine's.
        """
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                type_ = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), type_, name])

    def RegisterStackTransform(self, request: Any) -> Any:
        self.transforms.register_stack_transform(request)
        return super().RegisterStackTransform(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped

    def ReadResource(self, request: Any) -> Any:
        if request.type == STACK_REFERENCE:  # read, not registered: StackReference sets its `id` option
            urn = self.make_urn(request.parent, request.type, request.name)
            referenced = request.id or request.name
            if referenced in self.realistic.stack_outputs:
                self.realistic.supplied_references[urn] = referenced
            else:
                self.realistic.stack_references[urn] = referenced
        return super().ReadResource(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped

    def Invoke(self, request: Any) -> Any:
        if self.realistic.preview and request.tok not in ANSWERS and request.tok != "pulumi:pulumi:getResource":
            # What the engine answers for an invoke it cannot run yet: a wholly unknown result. The output
            # form (``get_x_output``) stays unknown, and so does every input built from it; the plain form
            # cannot go on without a value, and the program stops there (it cannot be verified).
            self.realistic.unanswered_invokes.add(request.tok)
            return resource_pb2.ResourceInvokeResponse(unknown=True)
        return super().Invoke(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped

    def RegisterResource(self, request: Any) -> Any:
        if request.type == "pulumi:pulumi:Stack":
            response = super().RegisterResource(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped
            self.stack_urn = response.urn
            return response
        urn = self.make_urn(request.parent, request.type, request.name)
        # The engine runs resource transforms before anything else sees the registration.
        request = without_resource_references(self.transforms.apply(request, urn))
        _ensure_event_loop()  # type: ignore[no-untyped-call]  # as MockMonitor does: deserialising may need the thread's loop
        sdk_inputs = rpc.deserialize_properties(request.object)
        inputs = plain(sdk_inputs)
        if request.type.startswith("pulumi:providers:"):
            self.realistic.providers[urn] = inputs
        response = self._answer(request, urn, sdk_inputs)
        outputs = plain(rpc.deserialize_properties(response.object))
        self.captured.append(
            CapturedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                remote=bool(request.remote),
                inputs=inputs,
                outputs=outputs,
                id=response.id or None,
                parent=request.parent or None,
                provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                frames=registration_frames(request),
            )
        )
        return response

    def _answer(self, request: Any, urn: str, inputs: dict[str, Any]) -> Any:
        """What ``MockMonitor.RegisterResource`` answers, from inputs already deserialised."""
        args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
            transforms=_resolve_callbacks(request.transforms),
        )
        id_, state = self.mocks.new_resource(args)
        # A mock may answer no id (None), as MockMonitor keeps it; on the wire that is the empty id.
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)  # type: ignore[arg-type]
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_ or "", object=state_struct(state))

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn == self.stack_urn:
            self.stack_outputs = plain(rpc.deserialize_properties(request.outputs))
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped
