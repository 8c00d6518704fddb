"""Runs the real Pulumi CLI (built by scripts/engine.sh) on a program, offline, with no cloud.

Each ``Deployment`` is a throwaway project folder: the program's Pulumi.yaml (without ``stackConfigDir``),
one ``Pulumi.<stack>.yaml`` with the stack's config, a ``file://`` state backend and passphrase secrets
(the shipped stacks' ``awskms://`` secrets providers need AWS). ``PULUMI_HOME`` is a test-owned folder
holding the stand-in ``aws`` and ``kubernetes`` plugins at the versions the SDKs request and the policy
pack's launcher; ``PULUMI_IGNORE_AMBIENT_PLUGINS`` keeps any ``pulumi-resource-*`` on the user's PATH out, so
the stand-ins are what the engine loads. Every command writes the engine's event log, which is what the
tests read (policy events, resource steps), never the CLI's rendered text.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.engine.providers.aws import ACCOUNT_ENV
from tests.engine.providers.versions import plugin_version

ROOT = Path(__file__).resolve().parents[2]
ENGINE_BIN = ROOT / ".engine" / "bin"
PULUMI = ENGINE_BIN / "pulumi"
PACK_DIR = ROOT / "policy_packs" / "residency"
PASSPHRASE = "engine-tier-local-state-only"
COMMAND_TIMEOUT = 900


class EngineMissing(RuntimeError):
    pass


def require_engine() -> str:
    """The built CLI's version; a clear error when scripts/engine.sh has not run."""
    if not PULUMI.exists():
        raise EngineMissing(f"the Pulumi CLI is not built at {PULUMI}: run `bash scripts/engine.sh` first")
    out = subprocess.run([str(PULUMI), "version"], capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip().removeprefix("v")


def install_plugins(home: Path) -> None:
    """The stand-in providers, installed in ``home`` where the engine looks for plugins of their versions."""
    plugins = home / "plugins"
    for name in ("aws", "kubernetes"):
        folder = plugins / f"resource-{name}-v{plugin_version(name)}"
        folder.mkdir(parents=True, exist_ok=True)
        script = folder / f"pulumi-resource-{name}"
        script.write_text(
            "#!/bin/sh\n"
            f"PYTHONPATH={shlex.quote(str(ROOT))} "
            f'exec {shlex.quote(sys.executable)} -m tests.engine.providers.{name} "$@"\n',
            encoding="utf-8",
        )
        script.chmod(0o755)


def pack_launcher(home: Path, pack_dir: Path = PACK_DIR) -> Path:
    """An executable that starts a Python policy pack, for ``--policy-pack <executable>``.

    The CLI starts a pack folder through the Python language host, which the Go module proxy does not
    serve; its other way is a binary analyzer plugin: an executable given to ``--policy-pack``, started
    with the engine's address. This one runs the pack exactly as the language host would:
    ``python -u -m pulumi.policy <engine> .`` in the pack folder, with the pack's ``virtualenv``.
    """
    project = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    venv = (project.get("runtime") or {}).get("options", {}).get("virtualenv")
    python = (pack_dir / venv / "bin" / "python") if venv else Path(sys.executable)
    launcher = home / "packs" / pack_dir.name / "pulumi-analyzer-policy-python"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text(
        "#!/bin/sh\n"
        f"cd {shlex.quote(str(pack_dir))} || exit 1\n"
        f'exec {shlex.quote(str(python))} -u -m pulumi.policy "$@" .\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    # The CLI reads a PulumiPolicy.yaml beside a binary pack (the pack's version, description).
    (launcher.parent / "PulumiPolicy.yaml").unlink(missing_ok=True)
    (launcher.parent / "PulumiPolicy.yaml").symlink_to(pack_dir / "PulumiPolicy.yaml")
    return launcher


@dataclass
class EngineResult:
    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def policy_events(self) -> list[dict[str, Any]]:
        return [e["policyEvent"] for e in self.events if "policyEvent" in e]

    def mandatory(self) -> list[dict[str, Any]]:
        return [e for e in self.policy_events() if e.get("enforcementLevel") == "mandatory"]

    def steps(self) -> list[dict[str, Any]]:
        """Each resource step's metadata (op, urn, type, ...) as the engine announced it."""
        return [e["resourcePreEvent"]["metadata"] for e in self.events if "resourcePreEvent" in e]

    def diagnostics(self, severity: str = "error") -> list[str]:
        return [
            e["diagnosticEvent"]["message"]
            for e in self.events
            if "diagnosticEvent" in e and e["diagnosticEvent"].get("severity") == severity
        ]

    def explain(self) -> str:
        return f"$ {' '.join(self.command)}\nexit {self.returncode}\n{self.stdout[-4000:]}\n{self.stderr[-4000:]}"


class Deployment:
    """One program and one stack under the real CLI, in ``workdir`` (state, config and secrets all local)."""

    def __init__(
        self,
        workdir: Path,
        home: Path,
        program_dir: Path,
        stack: str,
        config: Mapping[str, Any],
        account: str,
    ) -> None:
        self.program_dir = program_dir.resolve()
        self.stack = stack
        project = yaml.safe_load((self.program_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
        # Projects in one workdir share its backend, so one can read another's outputs (StackReference).
        self.project_dir = workdir / f"{project['name']}-{stack}"
        self.project_dir.mkdir(parents=True, exist_ok=True)
        (workdir / "state").mkdir(exist_ok=True)
        self.logs = self.project_dir / ".logs"
        self.logs.mkdir(exist_ok=True)
        project.pop("stackConfigDir", None)
        (self.project_dir / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
        stack_file = self.project_dir / f"Pulumi.{stack}.yaml"
        stack_file.write_text(yaml.safe_dump({"config": dict(config)}, sort_keys=False), encoding="utf-8")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")},
            "PULUMI_HOME": str(home),
            "PULUMI_BACKEND_URL": (workdir / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
            # --event-log is a debug flag (the Automation API sets this too).
            "PULUMI_DEBUG_COMMANDS": "true",
            ACCOUNT_ENV: account,
        }
        self._count = 0
        self.pack = pack_launcher(home)
        init = self._cli(["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"])
        if init.returncode != 0:
            raise RuntimeError(f"stack init failed:\n{init.explain()}")

    def _cli(self, args: Sequence[str], events: Path | None = None) -> EngineResult:
        command = [str(PULUMI), *args, "--color", "never"]
        if events is not None:
            command += ["--event-log", str(events)]
        done = subprocess.run(
            command, cwd=self.project_dir, env=self.env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        parsed = []
        if events is not None and events.exists():
            parsed = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines() if line.strip()]
        return EngineResult(command, done.returncode, done.stdout, done.stderr, parsed)

    def run(
        self,
        operation: Sequence[str],
        *,
        policy: bool = True,
        policy_config: Mapping[str, Any] | None = None,
        extra: Sequence[str] = (),
    ) -> EngineResult:
        """``pulumi <operation> --stack S`` with the program served to the CLI by tests/engine/program_host.py."""
        self._count += 1
        host = subprocess.Popen(
            [sys.executable, "-m", "tests.engine.program_host", str(self.program_dir)],
            env={**self.env, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert host.stdout is not None
            port = host.stdout.readline().strip()
            if not port.isdigit():
                raise RuntimeError(f"the program host for {self.program_dir} printed no port: {port!r}")
            args = [*operation, "--stack", self.stack, "--non-interactive"]
            args += ["--client", f"127.0.0.1:{port}", "--exec-kind", "auto.inline", *extra]
            if policy:
                args += ["--policy-pack", str(self.pack)]
            if policy_config:
                config_file = self.logs / f"policy-config-{self._count}.json"
                config_file.write_text(json.dumps(policy_config), encoding="utf-8")
                args += ["--policy-pack-config", str(config_file)]
            return self._cli(args, self.logs / f"events-{self._count}.jsonl")
        finally:
            host.kill()
            host.wait()

    def preview(self, **kwargs: Any) -> EngineResult:
        return self.run(["preview"], **kwargs)

    def up(self, **kwargs: Any) -> EngineResult:
        return self.run(["up", "--yes", "--skip-preview"], **kwargs)

    def destroy(self) -> EngineResult:
        return self.run(["destroy", "--yes", "--skip-preview"], policy=False)

    def outputs(self) -> dict[str, Any]:
        """The stack's outputs as ``pulumi stack output --json --show-secrets`` prints them."""
        shown = self._cli(["stack", "output", "--json", "--show-secrets", "--stack", self.stack])
        if shown.returncode != 0:
            raise RuntimeError(f"stack output failed:\n{shown.explain()}")
        return dict(json.loads(shown.stdout))

    def state(self) -> dict[str, Any]:
        exported = self._cli(["stack", "export", "--stack", self.stack])
        if exported.returncode != 0:
            raise RuntimeError(f"stack export failed:\n{exported.explain()}")
        return dict(json.loads(exported.stdout)["deployment"])
