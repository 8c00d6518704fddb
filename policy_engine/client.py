"""Run a CrossGuard policy pack exactly as the Pulumi engine does, without the Pulumi CLI.

The engine starts a Python pack as ``python -u -m pulumi.policy <engine-address> <pack-dir>`` in the pack
directory (the current CLI, 3.274, sets no ``PULUMI_CONFIG`` for it: the stack's identity and config come
in ConfigureStack), reads the gRPC port from the pack's stdout, then calls the Analyzer service: Handshake (Python packs do not
implement it), ConfigureStack, GetAnalyzerInfo, Configure, Analyze per resource, AnalyzeStack once.
``PolicyEngine`` does the same. The pack never calls back into the engine (pulumi.log falls back to
stderr without one), so the engine address passed is a placeholder and no Engine service is run.

One subprocess serves a whole run: ``configure`` can be called again to change policy-pack config.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from policy_engine.pack_config import LEVELS, EngineError, expand_config

PLACEHOLDER_ENGINE_ADDRESS = "127.0.0.1:0"
ANALYZE_WINDOW = 256
_MAX_MESSAGE = 400 * 1024 * 1024
_STACK_ENV = frozenset({"PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_ORGANIZATION", "PULUMI_DRY_RUN"})


class AnalyzedResource(Protocol):
    """What the engine sends the pack about one resource (the offline runner's CapturedResource is one).

    ``inputs``/``outputs`` use the engine's camelCase wire names; ``provider`` is the URN of the explicit
    provider (None for the default one); ``dependencies`` and ``property_dependencies`` hold URNs.
    """

    @property
    def urn(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...
    @property
    def outputs(self) -> Mapping[str, Any]: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def provider(self) -> str | None: ...
    @property
    def protect(self) -> bool: ...
    @property
    def dependencies(self) -> Sequence[str]: ...
    @property
    def property_dependencies(self) -> Mapping[str, Sequence[str]]: ...


@dataclass(frozen=True)
class StackIdentity:
    project: str
    stack: str
    config: Mapping[str, str]
    organization: str = "organization"
    dry_run: bool = False


@dataclass(frozen=True)
class Diagnostic:
    """One violation (or advisory) as the engine would print it."""

    policy: str
    level: str
    urn: str
    message: str
    pack: str
    pack_version: str
    severity: str

    @property
    def mandatory(self) -> bool:
        return self.level == "mandatory"


def pack_python(pack_dir: Path) -> str:
    """The interpreter the engine would use: PulumiPolicy.yaml's runtime.options.virtualenv, else ours."""
    try:
        spec = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise EngineError(f"cannot read {pack_dir / 'PulumiPolicy.yaml'}: {err}") from None
    runtime = spec.get("runtime")
    venv = runtime.get("options", {}).get("virtualenv") if isinstance(runtime, dict) else None
    if venv:
        # Not resolve(): bin/python is a symlink to the base interpreter, and resolving it leaves the venv.
        python = os.path.normpath(pack_dir / str(venv) / "bin" / "python")
        if os.path.exists(python):
            return python
    return sys.executable


def to_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values))
    return struct


class PolicyEngine:
    """A running policy pack, driven over the Analyzer gRPC protocol. Use as a context manager."""

    def __init__(self, pack_dir: Path, stack: StackIdentity, python: str | None = None) -> None:
        self.pack_dir = pack_dir.resolve()
        self.stack = stack
        self.python = python or pack_python(self.pack_dir)
        self.policy_names: list[str] = []
        self.schemas: dict[str, dict[str, Any]] = {}
        self.info: analyzer_pb2.AnalyzerInfo | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the pack process
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None

    def __enter__(self) -> PolicyEngine:
        self.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _env(self) -> dict[str, str]:
        # The current CLI (3.274) passes the stack's identity and config only in ConfigureStack, never in
        # PULUMI_CONFIG & co. (checked by the engine tier); so does this driver, so the pack is tested the
        # way the engine starts it (policy_packs/residency/residency_pack/configure_stack.py).
        return {k: v for k, v in os.environ.items() if k not in _STACK_ENV}

    def start(self, policy_config: Mapping[str, Any] | None = None) -> None:
        cmd = [self.python, "-u", "-m", "pulumi.policy", PLACEHOLDER_ENGINE_ADDRESS, str(self.pack_dir)]
        self._process = subprocess.Popen(
            cmd, cwd=self.pack_dir, env=self._env(), stdout=subprocess.PIPE, stderr=self._stderr
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode().strip()
        if not line.isdigit():
            self._process.wait(timeout=10)
            raise EngineError(f"policy pack {self.pack_dir} did not start (no port on stdout){self._stderr_tail()}")
        options = [("grpc.max_receive_message_length", _MAX_MESSAGE), ("grpc.max_send_message_length", _MAX_MESSAGE)]
        self._channel = grpc.insecure_channel(f"127.0.0.1:{line}", options=options)
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self._call_handshake()
        self._rpc("ConfigureStack", self._stack_request())
        self.info = self._rpc("GetAnalyzerInfo", _empty())
        self.policy_names = [p.name for p in self.info.policies]
        self.schemas = {p.name: json_format.MessageToDict(p.configSchema.properties) for p in self.info.policies}
        self.configure(policy_config or {})

    def switch_stack(self, stack: StackIdentity) -> None:
        """Judge another stack with the same pack process: ConfigureStack names it (its project, config and
        dry-run), as the engine names a stack before analysing it. Send ``configure()`` after it."""
        self.stack = stack
        self._rpc("ConfigureStack", self._stack_request())

    def _stack_request(self) -> analyzer_pb2.AnalyzerStackConfigureRequest:
        s = self.stack
        return analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=s.stack, project=s.project, organization=s.organization, dry_run=s.dry_run, config=dict(s.config)
        )

    def _call_handshake(self) -> None:
        request = analyzer_pb2.AnalyzerHandshakeRequest(
            engine_address=PLACEHOLDER_ENGINE_ADDRESS,
            root_directory=str(self.pack_dir),
            program_directory=str(self.pack_dir),
        )
        try:
            self._rpc("Handshake", request)
        except EngineError as err:
            # Python packs (pulumi_policy 1.21) do not implement Handshake; the engine tolerates that too.
            if "UNIMPLEMENTED" not in str(err):
                raise

    def configure(self, policy_config: Mapping[str, Any]) -> None:
        """Send policy-pack config as ``--policy-pack-config`` would (``all`` sets every policy's level)."""
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, value in expand_config(policy_config, self.policy_names, self.schemas).items():
            entry = request.policyConfig[name]
            # The servicer reads a missing level as advisory, so always send one (as the engine does).
            level = value.get("enforcementLevel")
            entry.enforcementLevel = LEVELS.index(level) if level else self._default_level(name)
            props = {k: v for k, v in value.items() if k != "enforcementLevel"}
            if props:
                entry.properties.update(props)
        self._rpc("Configure", request)

    def _default_level(self, name: str) -> int:
        assert self.info is not None
        return int(next(p.enforcementLevel for p in self.info.policies if p.name == name))

    def analyze(self, resources: Sequence[AnalyzedResource]) -> list[Diagnostic]:
        """Analyze every resource (pipelined), then the stack; diagnostics in the engine's order."""
        by_urn = {r.urn: r for r in resources}
        diagnostics: list[Diagnostic] = []
        # A bounded window of calls in flight (as the engine bounds its parallelism): thousands of pending
        # calls at once get cancelled by the channel.
        for start in range(0, len(resources), ANALYZE_WINDOW):
            window = resources[start : start + ANALYZE_WINDOW]
            futures = [self._stub_call("Analyze").future(self._analyze_request(r, by_urn)) for r in window]
            for resource, future in zip(window, futures, strict=True):
                diagnostics.extend(self._diagnostics(self._result(future), resource.urn))
        stack = analyzer_pb2.AnalyzeStackRequest(resources=[self._stack_resource(r, by_urn) for r in resources])
        diagnostics.extend(self._diagnostics(self._rpc("AnalyzeStack", stack), ""))
        return diagnostics

    def _provider(self, resource: AnalyzedResource, by_urn: Mapping[str, AnalyzedResource]) -> Any:
        provider = by_urn.get(resource.provider) if resource.provider else None
        if provider is None:
            return None
        return analyzer_pb2.AnalyzerProviderResource(
            type=provider.type, properties=to_struct(provider.inputs), urn=provider.urn, name=provider.name
        )

    def _options(self, resource: AnalyzedResource) -> analyzer_pb2.AnalyzerResourceOptions:
        return analyzer_pb2.AnalyzerResourceOptions(protect=resource.protect, parent=resource.parent or "")

    def _analyze_request(self, r: AnalyzedResource, by_urn: Mapping[str, AnalyzedResource]) -> Any:
        return analyzer_pb2.AnalyzeRequest(
            type=r.type,
            properties=to_struct(r.inputs),
            urn=r.urn,
            name=r.name,
            options=self._options(r),
            provider=self._provider(r, by_urn),
        )

    def _stack_resource(self, r: AnalyzedResource, by_urn: Mapping[str, AnalyzedResource]) -> Any:
        # AnalyzeStack carries the resources' state: outputs over inputs (pulumi-aws echoes inputs as outputs).
        deps = {k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in r.property_dependencies.items()}
        return analyzer_pb2.AnalyzerResource(
            type=r.type,
            properties=to_struct({**r.inputs, **r.outputs}),
            urn=r.urn,
            name=r.name,
            options=self._options(r),
            provider=self._provider(r, by_urn),
            parent=r.parent or "",
            dependencies=r.dependencies,
            propertyDependencies=deps,
        )

    def _diagnostics(self, response: analyzer_pb2.AnalyzeResponse, urn: str) -> list[Diagnostic]:
        return [
            Diagnostic(
                policy=d.policyName,
                level=LEVELS[d.enforcementLevel],
                urn=d.urn or urn,
                message=d.message,
                pack=d.policyPackName,
                pack_version=d.policyPackVersion,
                severity=analyzer_pb2.PolicySeverity.Name(d.severity).removeprefix("POLICY_SEVERITY_").lower(),
            )
            for d in response.diagnostics
        ]

    def _stub_call(self, method: str) -> Any:
        if self._stub is None:
            raise EngineError("the policy pack is not running")
        return getattr(self._stub, method)

    def _result(self, future: Any) -> Any:
        try:
            return future.result()
        except grpc.RpcError as err:
            raise EngineError(
                f"policy pack call failed: {err.code().name}: {err.details()}{self._stderr_tail()}"
            ) from None

    def _rpc(self, method: str, request: Any) -> Any:
        return self._result(self._stub_call(method).future(request))

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read().decode(errors="replace").strip().splitlines()[-5:]
        return ("\n  pack stderr: " + "\n  ".join(tail)) if tail else ""

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._process is not None:
            # The pack's server sleeps forever; the engine stops it the same way (it ignores SIGTERM-less exits).
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
        self._stderr.close()


def _empty() -> Any:
    return empty_pb2.Empty()
