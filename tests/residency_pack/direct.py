"""A minimal stand-in for pulumi_policy's servicer: calls the pack's validate functions directly, with
properties wrapped exactly as the runtime wraps them (Struct -> MessageToDict -> deserialize_properties ->
unknown_checking_proxy), and records diagnostics with the level the servicer would use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from residency.finding_wire import decode
from residency_pack.policies import CONTEXT_POLICY, build_policies
from residency_pack.settings import DEFAULT_PACK_DIR, PackSettings
from tests.residency_pack.cases import Case, Res

# What the pack's server does on Configure: residency-context's config becomes every policy's settings.
_SETTINGS = [PackSettings()]
POLICIES = build_policies(lambda: _SETTINGS[0])


@dataclass(frozen=True)
class Diag:
    policy: str
    level: str
    urn: str
    message: str

    @property
    def status(self) -> str:
        """The status of the finding the message carries; a message that carries none fails the test."""
        finding = decode(self.message)
        assert finding is not None, f"{self.policy} reported no finding: {self.message}"
        return finding.status.value


def wrap(props: Mapping[str, Any]) -> Any:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


def _opts(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def _provider(res: Res, by_name: dict[str, Res]) -> PolicyProviderResource | None:
    if res.provider is None:
        return None
    p = by_name[res.provider]
    return PolicyProviderResource(p.type, wrap(p.props), p.urn, p.name)


def _run(policy: Any, args: Any, urn: str, out: list[Diag]) -> None:
    level = (policy.enforcement_level or EnforcementLevel.MANDATORY).value

    def report(message: str, at: str | None = None) -> None:
        out.append(Diag(policy.name, level, at or urn, f"{policy.description}\n{message}"))

    try:
        policy.validate(args, report)
    except UnknownValueError as err:
        out.append(Diag(policy.name, "advisory", "", f"can't run policy '{policy.name}' during preview: {err.message}"))
    except _NotApplicableError:
        pass


def run_direct(case: Case, config: Mapping[str, Mapping[str, Any]] | None = None) -> list[Diag]:
    config = config or {}
    _SETTINGS[0] = PackSettings.from_config(DEFAULT_PACK_DIR, config.get(CONTEXT_POLICY, {}))
    by_name = {r.name: r for r in case}
    out: list[Diag] = []
    for res in case:
        for policy in POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                args = ResourceValidationArgs(
                    res.type,
                    wrap(res.props),
                    res.urn,
                    res.name,
                    _opts(res.protect),
                    _provider(res, by_name),
                    config.get(policy.name),
                )
                _run(policy, args, res.urn, out)
    resources = {
        r.name: PolicyResource(
            r.type,
            wrap({} if r.empty_state else {**r.props, **r.outputs}),
            r.urn,
            r.name,
            _opts(r.protect),
            _provider(r, by_name),
            None,
            [],
            {},
        )
        for r in case
    }
    for r in case:
        resources[r.name].property_dependencies = {k: [resources[n] for n in v] for k, v in r.deps.items()}
        resources[r.name].dependencies = [resources[n] for v in r.deps.values() for n in v]
    for policy in POLICIES:
        if isinstance(policy, StackValidationPolicy):
            _run(policy, StackValidationArgs(list(resources.values()), config.get(policy.name)), "", out)
    return out


def mandatory(diags: list[Diag], policy: str) -> list[Diag]:
    return [d for d in diags if d.policy == policy and d.level == "mandatory"]
