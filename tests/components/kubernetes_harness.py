"""Run Kubernetes-layer components under Pulumi's mock runtime and record every registration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import mocks
from pulumi.runtime.proto import resource_pb2

REGION = "eu-west-1"
ACCOUNT = "111122223333"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@dataclass
class Registered:
    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    provider: str
    parent: str
    outputs: dict[str, Any]


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        rid = f"{args.name}-id"
        if args.typ == "aws:eks/cluster:Cluster":
            outputs["endpoint"] = f"https://0123456789ABCDEF.gr7.{REGION}.eks.amazonaws.com"
            outputs["certificateAuthority"] = {"data": "Q0EtREFUQQ=="}
            outputs["arn"] = f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/{args.inputs.get('name')}"
        elif args.typ == "aws:iam/role:Role":
            outputs["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{args.name}"
            outputs["name"] = args.name
        elif args.typ == "aws:iam/policy:Policy":
            outputs["arn"] = f"arn:aws:iam::{ACCOUNT}:policy/{args.inputs.get('name')}"
        elif args.typ == "aws:kms/key:Key":
            outputs["arn"] = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{args.name}"
        elif args.typ == "aws:ec2/launchTemplate:LaunchTemplate":
            outputs["latestVersion"] = 1
            rid = "lt-0123456789abcdef0"
        return rid, outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(self, mocks_: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks_)
        self.registered: list[Registered] = []

    def RegisterResource(self, request: resource_pb2.RegisterResourceRequest) -> resource_pb2.RegisterResourceResponse:
        response: resource_pb2.RegisterResourceResponse = super().RegisterResource(request)  # type: ignore[no-untyped-call]  # pulumi's MockMonitor is untyped
        if request.type != "pulumi:pulumi:Stack":
            inputs = pulumi.runtime.rpc.deserialize_properties(request.object)
            self.registered.append(
                Registered(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    inputs=_plain(inputs),
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    provider=request.provider,
                    parent=request.parent,
                    outputs=_plain(self.resources[response.urn].state),
                )
            )
        return response


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def capture(build: Callable[[], Any]) -> list[Registered]:
    """Run ``build`` (which creates resources) under mocks; return every registration, in order."""
    monitor = _RecordingMonitor(_Mocks())
    pulumi.runtime.set_mocks(_Mocks(), project="enclave", stack="test", preview=False, monitor=monitor)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]  # pulumi.runtime.test is unannotated
    def run() -> None:
        build()

    run()
    return monitor.registered


def of_type(registered: list[Registered], type_token: str) -> list[Registered]:
    return [r for r in registered if r.type == type_token]
