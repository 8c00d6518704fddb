"""A registered resource's outputs, made as the Pulumi SDK makes them but with one future each, not five.

When a program constructs a resource, the SDK's ``rpc.transfer_properties`` gives each of its properties
(inputs and outputs alike: a bucket has about forty) an ``Output`` before the registration is sent, and a
resolver that settles it when the answer comes back. It makes four futures per property (value, known,
secret, dependencies) and an ``Output`` whose constructor starts an asyncio task that waits on the four to
assemble one ``_OutputData``. Across a program that is most of the futures and tasks the event loop
handles, and a large share of an offline run.

``transfer_properties`` here makes the same ``Output`` from one future, which the resolver settles with the
same ``_OutputData`` the task would have assembled (or the same exception): the resource, its attributes
and every value, dependency, known and secret flag read from them are the SDK's. Only the number of loop
steps before a waiting ``apply`` runs is smaller. ``tests/enclave/offline/test_resource_outputs.py`` checks it
against the SDK's own function.

The SDK installed in a program's own environment (an isolated run) may be another version: where its
internals are not the ones this was written against, its own function is left in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
from collections.abc import Iterator
from typing import Any

from pulumi import output as sdk_output
from pulumi.runtime import rpc

_SDK_PARAMETERS = ["res", "props", "custom"]


def _resolve(
    resource: Any,
    data: asyncio.Future[Any],
    value: Any,
    is_known: bool,
    is_secret: bool,
    deps: Any,
    failed: Exception | None,
) -> None:
    """The SDK's resolver (``do_resolve``), settling the one future its task would have assembled."""
    if failed is not None:
        data.set_exception(failed)
        return
    resources = set(deps) if deps else set()
    resources.add(resource)
    data.set_result(sdk_output._OutputData(resources=resources, value=value, is_known=is_known, is_secret=is_secret))


def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Any]:
    """``rpc.transfer_properties`` with one future per property."""
    resolvers: dict[str, Any] = {}
    from_data = sdk_output.Output._from_data
    for name in props:
        if name == "urn" or (name == "id" and custom):
            continue  # as the SDK: set elsewhere
        data: asyncio.Future[Any] = asyncio.Future()
        resolvers[name] = functools.partial(_resolve, res, data)
        res.__dict__[name] = from_data(data)
    return resolvers


def _sdk_matches() -> bool:
    """Whether the installed SDK has the internals this module replaces, with the shapes it expects."""
    output_data = getattr(sdk_output, "_OutputData", None)
    from_data = getattr(sdk_output.Output, "_from_data", None)
    original = getattr(rpc, "transfer_properties", None)
    if output_data is None or from_data is None or original is None:
        return False
    if list(inspect.signature(original).parameters) != _SDK_PARAMETERS:
        return False
    fields = getattr(output_data, "__dataclass_fields__", {})
    return list(fields) == ["resources", "value", "is_known", "is_secret"]


@contextlib.contextmanager
def single_future_outputs() -> Iterator[None]:
    """Resources registered inside get their outputs from ``transfer_properties`` (when the SDK matches)."""
    if not _sdk_matches():
        yield
        return
    original = rpc.transfer_properties
    rpc.transfer_properties = transfer_properties
    try:
        yield
    finally:
        rpc.transfer_properties = original
