"""The gate's pipeline for each target: run the program under mocks, judge it with the residency pack over
the engine's own subprocess-and-gRPC path, then (for all targets at once) scan it with checkov.

The project's own stacks run with the gate's imports (their code is this repository's, and the runner
resets Pulumi's runtime between runs): the first in this process, the others in workers forked after it
(``forked_runs``); any other program runs in a child process (``program_process``). While programs run,
the pack is already judging the runs that came back, in its own process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enclave.gate.checkov_runner import CheckovError, ScanFile, run_checkov
from enclave.gate.checkov_scan import scan_files_for, summarise
from enclave.gate.forked_runs import program_runs
from enclave.gate.program_process import DEFAULT_TIMEOUT
from enclave.gate.results import ExemptionUse, TargetResult, Violation
from enclave.gate.source_locations import locate, relative_to_repository
from enclave.offline.heap import freeze_import_heap
from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from enclave.offline.stack_files import Project, load_project, load_stack_config, qualify
from policy_engine.client import Diagnostic, PolicyEngine, StackIdentity
from policy_engine.pack_config import EngineError
from residency.finding_wire import FindingWireError, decode, prose
from residency.model import Status
from residency.rules import RULES_BY_ID
from residency.stack_config import declared_jurisdiction
from residency_pack.policies import CONTEXT_POLICY, EXCEPTIONS_POLICY, EXCEPTIONS_STACK_POLICY

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = PROJECT_ROOT / "policy_packs" / "residency"

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class Target:
    """One thing to judge: a program directory and the stack config it runs with."""

    label: str
    program_dir: Path
    stack: str
    config: dict[str, str]
    secret_keys: tuple[str, ...] = ()
    # A jurisdiction pinned through policy-pack config (``--jurisdiction``), as a security team would.
    pinned_jurisdiction: str | None = None
    source_file: str = "Pulumi.yaml"
    isolated: bool = True
    # Seconds an isolated program (and every process it starts) may run (`enclave check --timeout`).
    timeout: float = DEFAULT_TIMEOUT
    # Outputs of stacks the program references, by stack name (`enclave check --stack-outputs`).
    stack_outputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def jurisdiction(self, project: str) -> str | None:
        return self.pinned_jurisdiction or declared_jurisdiction(self.config, project)


def stack_targets(project_dir: Path, stacks: Sequence[str]) -> list[Target]:
    """A project's stacks, with their config from ``Pulumi.<stack>.yaml``.

    Only this repository's own stacks run in-process; another project's (``--project-dir``) run isolated."""
    project = load_project(project_dir)
    own = project.directory == PROJECT_ROOT
    targets = []
    for stack in stacks:
        config, secret_keys = load_stack_config(project, stack)
        source = relative_to_repository(project.stack_file(stack))
        targets.append(
            Target(stack, project.directory, stack, config, tuple(secret_keys), source_file=source, isolated=not own)
        )
    return targets


def program_target(
    program_dir: Path, jurisdiction: str, config_items: Sequence[str], stack: str, label: str | None = None
) -> Target:
    """Any Pulumi Python program, judged for ``jurisdiction``; ``--config`` keys follow `pulumi config set`."""
    from enclave.cli import UsageError

    project = load_project(program_dir)
    config, secret_keys = load_stack_config(project, stack, required=False)
    for item in config_items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--config {item!r}: expected KEY=VALUE (for example aws:region=eu-west-1)")
        config[qualify(key.strip(), project.name)] = value
    return Target(
        label=label or str(program_dir),
        program_dir=project.directory,
        stack=stack,
        config=config,
        secret_keys=tuple(secret_keys),
        pinned_jurisdiction=jurisdiction,
        source_file=_source_file(project),
        isolated=True,
    )


def _source_file(project: Project) -> str:
    main = project.main / "__main__.py" if project.main.is_dir() else project.main
    return relative_to_repository(main)


PREVIEW_NOTE = (
    "the program failed on a value the mocks do not compute ({error}); it was run again as a preview, where such "
    "values are unknown; a mandatory policy that could not run on an unknown value blocks the gate"
)


UNKNOWABLE_NOTE = (
    "the program reads values that do not exist offline ({what}); it was run again as a preview, where they are "
    "unknown, and a resource whose residency depends on one cannot be verified, which blocks"
)


SUPPLIED_NOTE = "StackReference {stack!r}: its outputs were read from --stack-outputs, as the engine reads the stack's"
UNUSED_NOTE = "--stack-outputs {stack!r}: the program references no such stack (the name must be the one it passes)"


def _run(target: Target, preview: bool) -> ProgramRun:
    if not target.isolated:
        return run_program(
            target.program_dir,
            target.stack,
            target.config,
            secret_keys=target.secret_keys,
            preview=preview,
            stack_outputs=target.stack_outputs,
        )
    from enclave.gate.program_process import run_program_isolated

    return run_program_isolated(
        target.program_dir,
        target.stack,
        target.config,
        list(target.secret_keys),
        preview=preview,
        timeout=target.timeout,
        stack_outputs=target.stack_outputs,
    )


def run_target_program(target: Target) -> tuple[ProgramRun, list[str]]:
    """The program's run, and notes on how it ran.

    A program that reads another stack's outputs or an invoke the mocks do not answer saw them absent;
    the engine would know them, the offline run cannot, so it runs again as a preview in which they are
    unknown (never absent) and is judged on that run.

    Mocks return every output they model; a program that combines one they do not model (an API's
    ``execution_arn``, say) fails on None. The real engine would see an unknown there during preview, so
    such a program runs again as a preview; if that completes, it is judged with the unknowns and every
    mandatory policy that could not run on one blocks (fail closed).
    """
    run, notes = _run_program(target)
    return run, _supplied_outputs_notes(target, run) + notes


def _supplied_outputs_notes(target: Target, run: ProgramRun) -> list[str]:
    """What the run took from ``--stack-outputs``, and any supplied stack the program never referenced."""
    used = set(run.supplied_references.values())
    notes = [SUPPLIED_NOTE.format(stack=name) for name in sorted(used)]
    notes += [UNUSED_NOTE.format(stack=name) for name in sorted(set(target.stack_outputs) - used)]
    return notes


def _run_program(target: Target) -> tuple[ProgramRun, list[str]]:
    run = _run(target, preview=False)
    if run.reads_unknowable_values:
        retry = _run(target, preview=True)
        what = [f"StackReference {name!r}" for name in sorted(set(run.stack_references.values()))]
        what += [f"invoke {token}" for token in run.unanswered_invokes]
        if retry.error and retry.unanswered_invokes:
            retry.error = (
                f"{retry.error}; it stopped on a value that does not exist offline "
                f"({', '.join(what)}), so it cannot be verified"
            )
        return retry, [UNKNOWABLE_NOTE.format(what=", ".join(what))]
    if target.isolated and run.error and run.error.startswith("the program failed: "):
        retry = _run(target, preview=True)
        if retry.error is None:
            return retry, [PREVIEW_NOTE.format(error=run.error.removeprefix("the program failed: "))]
    return run, []


class SharedPack:
    """One pack process for every target of a run, as the engine would serve them one stack after another:
    each target's stack is named with ConfigureStack and its policy config sent again before its resources.
    Starting the pack (importing pulumi, pulumi_policy and the rules) is then paid once per run, not once per
    stack. A pack that fails is replaced for the next target. Used from one thread at a time."""

    def __init__(self) -> None:
        self.engine: PolicyEngine | None = None

    def analyze(
        self, identity: StackIdentity, policy_config: Mapping[str, object], run: ProgramRun
    ) -> list[Diagnostic]:
        if self.engine is None:
            engine = PolicyEngine(PACK_DIR, identity)
            self.engine = engine
            engine.start(policy_config)
        else:
            engine = self.engine
            engine.switch_stack(identity)
            engine.configure(policy_config)
        try:
            return engine.analyze(run.resources)
        except EngineError:
            self.close()
            raise

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def judge(target: Target, run: ProgramRun, notes: Sequence[str] = (), pack: SharedPack | None = None) -> TargetResult:
    """Run the residency pack on the captured resources exactly as the engine would (with ``pack``, in the
    run's one pack process)."""
    result = TargetResult(
        target=target.label,
        stack=target.stack,
        jurisdiction=target.jurisdiction(run.project),
        resource_count=sum(1 for r in run.resources if r.custom and not r.is_provider),
        source_file=target.source_file,
        resource_urns=[r.urn for r in run.resources if r.custom and not r.is_provider],
        notes=list(notes),
        locations=locate(run.resources, target.program_dir),
    )
    if run.error:
        result.error = run.error
        result.error_detail = run.error_detail
        return result
    policy_config = {CONTEXT_POLICY: {"jurisdiction": target.pinned_jurisdiction}} if target.pinned_jurisdiction else {}
    identity = StackIdentity(project=run.project, stack=target.stack, config=run.config, dry_run=run.preview)
    own = pack is None
    pack = pack or SharedPack()
    try:
        diagnostics = pack.analyze(identity, policy_config, run)
    except EngineError as err:
        result.error = str(err).splitlines()[0]
        return result
    finally:
        if own:
            pack.close()
    unknowns = {r.urn: r.unknown_sources for r in run.resources if r.unknown_sources}
    add_diagnostics(result, diagnostics, {r.urn: r.type for r in run.resources}, unknowns)
    return result


def add_diagnostics(
    result: TargetResult,
    diagnostics: Sequence[Diagnostic],
    types: Mapping[str, str],
    unknown_sources: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Violations from the pack's diagnostics, read from the finding each one carries (``finding_wire``);
    the exceptions policies' findings become the exemptions in use. Nothing is parsed from prose."""
    for d in diagnostics:
        try:
            finding = decode(d.message)
        except FindingWireError:
            finding = None  # unreadable: treated as a policy that did not decide (below)
        if d.policy in (EXCEPTIONS_POLICY, EXCEPTIONS_STACK_POLICY):
            # The others are transfer assessments a transfer relied on: passes, not exemptions.
            if finding is not None and finding.exemption is not None:
                ex = finding.exemption
                result.exemptions.append(ExemptionUse(ex.id, finding.rule, d.urn, ex.reason, ex.owner, ex.expires))
            continue
        rule = RULES_BY_ID.get(d.policy)
        category = rule.category.value if rule else "residency"
        severity = d.severity if d.severity not in ("", "unspecified") else (rule.severity.value if rule else "high")
        message = _own_message(prose(d.message))
        # A mandatory policy's diagnostic that carries no finding did not decide (the engine's "can't run
        # policy" on an unknown value, a crash): the gate has not shown the resource compliant, and blocks.
        unresolved = finding is None and (rule.mandatory if rule is not None else d.policy == CONTEXT_POLICY)
        sources = (unknown_sources or {}).get(d.urn) or {}
        if finding is not None and finding.unknown is not None:
            key = finding.unknown.lstrip(".").split(".", 1)[0]
            sources = {key: sources[key]} if key in sources else {}
        if sources and (unresolved or (finding is not None and finding.status == Status.UNKNOWN)):
            # Name where the offline run's unknowns come from, so the reader knows what to pin down.
            message += "\nUnknown offline: " + "; ".join(f"{key} comes from {src}" for key, src in sources.items())
        result.violations.append(
            Violation(
                d.policy,
                category,
                severity,
                d.level,
                d.urn,
                types.get(d.urn, ""),
                message,
                unresolved,
                status=finding.status.value if finding is not None else None,
                destination=finding.destination if finding is not None else None,
                assessment=finding.assessment if finding is not None else None,
                unknown=finding.unknown if finding is not None else None,
            )
        )


def _own_message(message: str) -> str:
    """The engine prefixes each diagnostic with the policy's description (in SARIF rules already); drop it."""
    _first, sep, rest = message.partition("\n")
    return rest if sep and rest.startswith("[") else message


def run_gate(targets: Sequence[Target], with_checkov: bool, progress: Progress | None = None) -> list[TargetResult]:
    """Judge every target; with checkov, scan all of them in one checkov run at the end."""
    say = progress or (lambda _label, _phase: None)
    runs: list[ProgramRun] = []
    futures: list[Future[TargetResult]] = []
    freeze_import_heap()
    pack = SharedPack()
    # One thread judges the targets in turn with the one pack process, while this one runs the next program.
    programs = program_runs(
        targets,
        run_target_program,
        in_process=lambda t: not t.isolated,
        failed=_failed_run,
        started=lambda t: say(t.label, "running program"),
    )
    # Forked workers start inside program_runs before its first run comes back: before this pool's thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for target, (run, notes) in zip(targets, programs, strict=True):
                runs.append(run)
                say(target.label, "policy pack")
                futures.append(pool.submit(judge, target, run, notes, pack))
            results = [f.result() for f in futures]
        finally:
            programs.close()
            pool.submit(pack.close).result()
    for target in targets:
        say(target.label, "judged")
    if with_checkov:
        say("checkov", "scanning")
        _scan(runs, results)
        say("checkov", "done")
    return results


def _failed_run(target: Target, error: str) -> ProgramRun:
    """The run of a program whose worker ended before it finished."""
    project = load_project(target.program_dir).name
    return ProgramRun(project=project, stack=target.stack, config=dict(target.config), resources=[], error=error)


def _scan(runs: Sequence[ProgramRun], results: Sequence[TargetResult]) -> None:
    files: list[ScanFile] = []
    per_target: dict[int, tuple[ProgramRun, dict[str, dict[str, str]]]] = {}
    for run, result in zip(runs, results, strict=True):
        if result.error:
            continue
        target_files, mapping, unmapped = scan_files_for(run, len(per_target))
        per_target[id(result)] = (run, mapping)
        result.unmapped_types = unmapped
        files += target_files
    try:
        reports = run_checkov(files)
    except CheckovError as err:
        for result in results:
            if not result.error:
                result.error = str(err)
        return
    for run, result in zip(runs, results, strict=True):
        if id(result) in per_target:
            _, mapping = per_target[id(result)]
            result.checkov = summarise(run, mapping, reports)
