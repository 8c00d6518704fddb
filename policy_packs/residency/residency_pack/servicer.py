"""The pack's Analyzer servicer: pulumi_policy's, with each request's resource read and judged once.

pulumi_policy's handler converts a resource's properties (``MessageToDict``, ``deserialize_properties``) and
builds its provider and options again for every policy; with one policy per rule that was most of the
pack's time. ``Analyze`` and ``AnalyzeStack`` here do the same as pulumi_policy's (same policies in the same
order, same enforcement levels from policy-pack config, the same diagnostics, not-applicable reasons and
"can't run policy during preview" advisories), but convert the request once and give every policy one
shared judgement (``residency_pack.judgement``). ``Configure`` also sets the pack's settings from
``residency-context``'s config, so no policy depends on another having run first; ``ConfigureStack`` adopts
the stack's identity and config, which a current CLI sends only there (``residency_pack.configure_stack``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from inspect import isawaitable
from pathlib import Path
from typing import Any, TypeVar, cast

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError, _PolicyAnalyzerServicer
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from residency_pack import configure_stack
from residency_pack.judgement import (
    RESOURCE_RULE_IDS,
    ResourceJudgement,
    SharedResourceArgs,
    SharedStackArgs,
    StackJudgement,
)
from residency_pack.policies import CONTEXT_POLICY, PACK_NAME, build_policies
from residency_pack.settings import PackSettings

DESCRIPTION = "Data residency: location, key custody, transfer vectors and enclave controls per jurisdiction."
# PulumiPolicy.yaml's `version` is what the engine reports; pulumi_policy's own placeholder, as PolicyPack sends.
PLACEHOLDER_VERSION = "0.0.1"
# What pulumi_policy's runtime settings are built from (``_configure_runtime_settings``).
RUNTIME_ENVIRONMENT = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION")


PolicyKind = TypeVar("PolicyKind", bound=Policy)


def _props(struct: Any) -> Any:
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


class PackServicer(_PolicyAnalyzerServicer):
    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir.resolve()
        self.settings = PackSettings(self.pack_dir)
        self.policies: list[Policy] = build_policies(lambda: self.settings)
        self.stack_tags: dict[str, str] = {}
        # The enabled policies of each kind, in the pack's order; they change only with Configure.
        self._enabled_policies: dict[type[Policy], tuple[Policy, ...]] = {}
        # The environment pulumi_policy's runtime settings were last built from (see below).
        self._runtime_env: tuple[str | None, ...] | None = None
        super().__init__(
            PACK_NAME,
            PLACEHOLDER_VERSION,
            self.policies,
            EnforcementLevel.MANDATORY,
            None,
            DESCRIPTION,
            "Regional data enclaves: residency",
            None,
            "aws",
            ["residency", "gdpr", "data-sovereignty"],
            None,
        )

    def Configure(self, request: Any, context: Any) -> Any:
        response = super().Configure(request, context)  # type: ignore[no-untyped-call]
        config = {}
        if CONTEXT_POLICY in request.policyConfig:
            config = json_format.MessageToDict(request.policyConfig[CONTEXT_POLICY].properties)
        # One reference swap: a request already running keeps the settings it started with.
        self.settings = PackSettings.from_config(self.pack_dir, config)
        self._enabled_policies = {}
        return response

    def ConfigureStack(self, request: Any, context: Any) -> Any:
        # A current CLI sends the stack's identity and config only here (configure_stack.py says why).
        configure_stack.adopt(request)
        self.stack_tags = dict(request.tags)
        return super().ConfigureStack(request, context)

    def Analyze(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        props = _props(request.properties)
        opts = self._get_resource_options(request)
        provider = self._get_provider_resource(request)
        shared = SharedResourceArgs(
            request.type, props, request.urn, request.name, opts, provider, None, self.stack_tags
        )
        shared.judgement = judgement = ResourceJudgement(shared, self.settings)
        for policy in self._enabled(ResourceValidationPolicy):
            if policy.name in RESOURCE_RULE_IDS and judgement.ctx.ok and policy.name not in judgement.reports:
                continue  # the rule judged nothing blocking here: its policy would report nothing
            if not policy.has_validation():
                reason = "Policy does not implement validate"
                response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=reason))
                continue
            args, config = shared, self._get_policy_config(policy.name)
            if config is not None:  # only a policy with config gets arguments of its own
                args = SharedResourceArgs(
                    request.type, props, request.urn, request.name, opts, provider, config, self.stack_tags
                )
                args.judgement = judgement
            self._validate(policy, args, response)
        return response

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        policies = list(self._enabled(StackValidationPolicy))
        if not policies:
            return response
        resources = self._stack_resources(request)
        shared = SharedStackArgs(resources, None, self.stack_tags)
        shared.judgement = judgement = StackJudgement(shared, self.settings)
        for policy in policies:
            args, config = shared, self._get_policy_config(policy.name)
            if config is not None:
                args = SharedStackArgs(resources, config, self.stack_tags)
                args.judgement = judgement
            self._validate(policy, args, response)
        return response

    def _configure_runtime_settings(self) -> None:
        """pulumi_policy's, run again only when the environment it reads has changed (ConfigureStack changes
        it). It parsed ``PULUMI_CONFIG`` and rebuilt the runtime's settings, ``inspect.signature`` included,
        for every request: about a third of an Analyze."""
        seen = tuple(os.environ.get(name) for name in RUNTIME_ENVIRONMENT)
        if seen != self._runtime_env:
            super()._configure_runtime_settings()  # type: ignore[no-untyped-call]
            self._runtime_env = seen

    def _enabled(self, kind: type[PolicyKind]) -> tuple[PolicyKind, ...]:
        """The policies of ``kind`` that policy-pack config leaves enabled, in the pack's order."""
        enabled = self._enabled_policies.get(kind)
        if enabled is None:
            level = self._get_enforcement_level
            enabled = tuple(p for p in self.policies if isinstance(p, kind) and level(p) != EnforcementLevel.DISABLED)
            self._enabled_policies[kind] = enabled
        return cast(tuple[PolicyKind, ...], enabled)

    def _validate(self, policy: Any, args: Any, response: Any) -> None:
        level = self._get_enforcement_level(policy)
        if level == EnforcementLevel.REMEDIATE:  # reported as mandatory, as pulumi_policy does
            level = EnforcementLevel.MANDATORY
        report: Callable[..., None] = self._create_report_violation(
            response, policy.name, policy.description, level, policy.severity
        )
        try:
            result = policy.validate(args, report)
            if result is not None and isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(result)
                loop.close()
        except UnknownValueError as e:
            response.diagnostics.append(
                proto.AnalyzeDiagnostic(
                    policyName=policy.name,
                    policyPackName=PACK_NAME,
                    policyPackVersion=PLACEHOLDER_VERSION,
                    message=f"can't run policy '{policy.name}' from policy pack "
                    f"'{PACK_NAME}@v{PLACEHOLDER_VERSION}' during preview: {e.message}",
                    urn="",
                    description=policy.description,
                    enforcementLevel=proto.ADVISORY,
                )
            )
        except _NotApplicableError as e:
            response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or ""))

    def _stack_resources(self, request: Any) -> list[PolicyResource]:
        """The stack's resources with parents and dependencies linked, converted once for every policy."""
        resources: list[PolicyResource] = []
        by_urn: dict[str, PolicyResource] = {}
        for r in request.resources:
            opts = self._get_resource_options(r)
            provider = self._get_provider_resource(r)
            resource = PolicyResource(r.type, _props(r.properties), r.urn, r.name, opts, provider, None, [], {})
            resources.append(resource)
            by_urn[r.urn] = resource
        for r, resource in zip(request.resources, resources, strict=True):
            resource.parent = by_urn.get(r.parent) if r.parent else None
            resource.dependencies = [by_urn[d] for d in r.dependencies if d in by_urn]
            resource.property_dependencies = {
                k: [by_urn[d] for d in v.urns if d in by_urn] for k, v in r.propertyDependencies.items()
            }
        return resources
