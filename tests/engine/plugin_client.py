"""Starts a stand-in provider plugin the way the engine does and talks to it over gRPC.

The engine runs a plugin with its own address as the argument, reads the port the plugin prints on its
first stdout line, then calls the ResourceProvider service. These helpers do the same, so the stand-ins'
own tests exercise exactly the surface the engine uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from tests.engine.providers.values import plain_map, property_map

ROOT = Path(__file__).resolve().parents[2]


def marshal(values: Mapping[str, Any]) -> Any:
    return PropertyValue.marshal_map(property_map(values))


def unmarshal(struct: Any) -> dict[str, Any]:
    return plain_map(PropertyValue.unmarshal_map(struct))


@contextmanager
def plugin(name: str, env: Mapping[str, str] | None = None) -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    """A running stand-in (``aws`` or ``kubernetes``), stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", f"tests.engine.providers.{name}", "127.0.0.1:1"],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        if not port.isdigit():
            process.kill()
            raise RuntimeError(f"plugin {name} printed no port: {port!r} {process.communicate()[1]}")
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        process.kill()
        process.communicate()


def plugin_info(stub: provider_pb2_grpc.ResourceProviderStub) -> str:
    return str(stub.GetPluginInfo(empty_pb2.Empty()).version)


def check_config(stub: provider_pb2_grpc.ResourceProviderStub, urn: str, news: Mapping[str, Any]) -> Any:
    return stub.CheckConfig(provider_pb2.CheckRequest(urn=urn, olds=marshal({}), news=marshal(news)))


def configure(stub: provider_pb2_grpc.ResourceProviderStub, args: Mapping[str, Any]) -> Any:
    return stub.Configure(provider_pb2.ConfigureRequest(args=marshal(args), acceptSecrets=True, acceptResources=True))


def check(stub: provider_pb2_grpc.ResourceProviderStub, urn: str, news: Mapping[str, Any]) -> dict[str, Any]:
    response = stub.Check(provider_pb2.CheckRequest(urn=urn, olds=marshal({}), news=marshal(news)))
    assert not response.failures, response.failures
    return unmarshal(response.inputs)


def create(
    stub: provider_pb2_grpc.ResourceProviderStub, urn: str, properties: Mapping[str, Any], *, preview: bool
) -> tuple[str, dict[str, Any]]:
    response = stub.Create(provider_pb2.CreateRequest(urn=urn, properties=marshal(properties), preview=preview))
    return response.id, unmarshal(response.properties)


def diff(
    stub: provider_pb2_grpc.ResourceProviderStub, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]
) -> Any:
    return stub.Diff(provider_pb2.DiffRequest(urn=urn, id="x", olds=marshal(olds), news=marshal(news)))


def invoke(stub: provider_pb2_grpc.ResourceProviderStub, token: str, args: Mapping[str, Any]) -> dict[str, Any]:
    response = stub.Invoke(provider_pb2.InvokeRequest(tok=token, args=marshal(args)))
    if response.failures:
        raise AssertionError(list(response.failures))
    return unmarshal(getattr(response, "return"))  # `return` is the proto field's name
