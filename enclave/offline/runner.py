"""Run a Pulumi Python program under Pulumi's own mock runtime and capture every registration.

This is what `enclave plan` and `enclave check` stand on: the program runs exactly as under the
language host (``runpy`` of the program directory, its config in the runtime), but the engine is
``CapturingMonitor`` with ``RealisticMocks``. No CLI, plugins, credentials or network are needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import runpy
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.rpc import UNKNOWN
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from enclave.offline.default_providers import add_default_providers
from enclave.offline.mocks import RealisticMocks, plain
from enclave.offline.model import CapturedResource, ProgramRun
from enclave.offline.monitor import CapturingMonitor
from enclave.offline.resource_outputs import single_future_outputs
from enclave.offline.stack_files import Project, load_project, load_stack_config
from enclave.offline.stack_trace import cheap_stack_traces
from enclave.offline.transforms import TransformError
from enclave.offline.unknowns import contains_unknown, describe_source, recording_stack_reference_reads
from residency.regions import effective_region
from residency.stack_config import REGION, declared_account

LOG = logging.getLogger(__name__)


def run_program(
    program_dir: Path,
    stack: str,
    config: Mapping[str, str],
    *,
    secret_keys: Sequence[str] = (),
    project: str | None = None,
    preview: bool = False,
    account: str | None = None,
    computed_unknown: bool = False,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> ProgramRun:
    """Run the program in ``program_dir`` for ``stack`` with ``config`` (engine-style ``ns:key`` strings).

    ``stack_outputs``: the outputs of stacks the program references (``StackReference``), by the stack name
    it passes; a reference to any other stack reads values that do not exist offline."""
    loaded = load_project(program_dir)
    project_name = project or loaded.name
    region = config.get(REGION)
    account = account or _account_from_config(config, project_name)
    mocks = RealisticMocks(
        project_name,
        stack,
        region,
        account,
        preview=preview,
        computed_unknown=computed_unknown,
        stack_outputs=stack_outputs,
    )
    monitor = CapturingMonitor(mocks)

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_log_without_traceback)
    asyncio.set_event_loop(loop)
    pulumi_settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=project_name, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    # set_mocks keeps the SDK's pending outputs and RPCs; a program that failed mid-run left tasks of its
    # (now closed) loop there, and this run would wait on them ("Event loop is closed"). Start clean, as
    # pulumi.runtime.test does before each test.
    pulumi_settings.SETTINGS.rpc_manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()

    error: str | None = None
    detail: str | None = None
    outputs: dict[str, Any] = {}
    reads: dict[str, list[str]] = {}
    try:
        with (
            contextlib.chdir(loaded.main if loaded.main.is_dir() else loaded.main.parent),
            recording_stack_reference_reads(reads),
            cheap_stack_traces(),
            single_future_outputs(),
        ):
            _sync_await(run_pulumi_func(lambda: _run_main(loaded)))
            outputs = _stack_outputs()
    except Exception as err:  # the program's own failure: reported, never raised through the CLI
        error, detail = describe_program_error(err, loaded)
    finally:
        # Invokes and registrations run on the loop's default executor; join it before closing the loop,
        # or its threads outlive the loop and complain at interpreter exit.
        loop.run_until_complete(loop.shutdown_default_executor())
        monitor.transforms.close()
        loop.close()
        asyncio.set_event_loop(None)

    resources = _with_regions(add_default_providers(monitor.captured, project_name, stack, config), region)
    run = ProgramRun(
        project=project_name,
        stack=stack,
        config=dict(config),
        resources=resources,
        error=error,
        stack_outputs=outputs,
    )
    run.error_detail = detail
    run.unanswered_invokes = sorted(mocks.unanswered_invokes)
    run.stack_references = dict(mocks.stack_references)
    run.supplied_references = dict(mocks.supplied_references)
    run.preview = preview
    for r in resources:
        r.unknown_sources = {
            key: describe_source(
                r.property_dependencies.get(key, []), run.stack_references, reads, run.unanswered_invokes
            )
            for key, value in r.inputs.items()
            if contains_unknown(value)
        }
    return run


def _log_without_traceback(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's handler for errors nobody awaited, e.g. the other registrations of a program that failed.

    The program's first error is what the run reports. asyncio's default handler would also print the
    traceback of each abandoned future, and it does so in whichever thread the garbage collector runs
    (an xdist worker's I/O thread, say). On Python 3.11 formatting a traceback calls ``ast.parse`` for
    its carets, and two threads in ``ast.parse`` at once raise "AST constructor recursion depth
    mismatch" in the other. One line, no traceback.
    """
    error = context.get("exception")
    LOG.debug("%s%s", context.get("message", "asyncio error"), f": {error!r}" if error else "")


def run_stack(project_dir: Path, stack: str) -> ProgramRun:
    """Run a shipped stack: its config comes from the project's stack file."""
    project = load_project(project_dir)
    config, secret_keys = load_stack_config(project, stack)
    return run_program(project_dir, stack, config, secret_keys=secret_keys)


def _stack_outputs() -> dict[str, Any]:
    # set_mocks finishes the root stack before the program runs, so exports never reach the monitor;
    # read them from the root stack resource instead.
    root = pulumi_settings.get_root_resource()
    exported = getattr(root, "outputs", None) or {}
    return {k: plain(_sync_await(pulumi.Output.from_input(v).future())) for k, v in exported.items()}


def _run_main(project: Project) -> None:
    main = project.main
    if main.is_dir():
        runpy.run_path(str(main), run_name="__main__")
    else:
        sys.path.insert(0, str(main.parent))
        try:
            runpy.run_path(str(main), run_name="__main__")
        finally:
            sys.path.remove(str(main.parent))


def _account_from_config(config: Mapping[str, str], project: str) -> str | None:
    return declared_account(config, project)


def _with_regions(resources: list[CapturedResource], stack_region: str | None) -> list[CapturedResource]:
    """Fill each AWS resource's effective region: own input, else its provider's, else the stack's."""
    providers = {r.urn: r.inputs for r in resources if r.is_provider}
    for r in resources:
        if r.type.startswith("aws:") or r.type == "pulumi:providers:aws":
            provider_props = providers.get(r.provider) if r.provider else None
            own = r.inputs if not r.is_provider else {"region": r.inputs.get("region")}
            region = effective_region(own, provider_props, stack_region)
            r.region = None if region == UNKNOWN else region  # unknown in a preview: not determinable
    return resources


def describe_program_error(err: BaseException, project: Project) -> tuple[str, str | None]:
    """One line for the user, plus the program's own traceback frames (never the runtime's)."""
    if isinstance(err, pulumi.RunError | pulumi.InputPropertyError | pulumi.InputPropertiesError):
        return str(err).splitlines()[0] if str(err) else type(err).__name__, None
    if isinstance(err, TransformError):
        return str(err), None
    if isinstance(err, ModuleNotFoundError) and err.name:
        return f"the program imports {err.name!r}, which is not installed in this environment", None
    root = str(project.directory)
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(root)]
    detail = "".join(traceback.format_list(frames)) if frames else None
    message = str(err).splitlines()[0] if str(err) else ""
    return f"the program failed: {type(err).__name__}: {message}".rstrip(": "), detail
