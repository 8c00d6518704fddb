"""Run the gate's in-process programs (the project's own stacks) in forked workers that share one import.

Why: importing the provider modules a stack program uses (``pulumi_aws.ec2``, ``pulumi_kubernetes.core.v1``,
...) costs several times the import floor, and the programs themselves are CPU-bound. Run one after another
in the gate's process they paid the imports once but used one core. Here the gate runs its first in-process
program itself (which imports what the programs use), freezes the heap (``gc.freeze``: a worker's
collections never scan, and so never copy, the parent's objects), and forks one worker per remaining
program *before* any other thread exists (the pack's gRPC threads start later; forking a process with
running threads can copy a lock that one of them holds). Each worker waits for the gate's go-ahead, so only
as many run at once as there are cores; it sends its run back pickled and exits.

A worker runs the same code on the same inherited state as the gate would have, so its run is the same.
A program that ends its process (``os._exit``, a signal, ``sys.exit``) ends only its worker: its target
gets one line, as an isolated program's does, and the other targets are judged as usual.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from enclave.offline.model import ProgramRun

T = TypeVar("T")
Outcome = tuple[ProgramRun, list[str]]
# What a worker sends back: ("run", outcome) or ("raise", the exception run_one raised).
_Message = tuple[str, Any]


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def program_runs(
    targets: Sequence[T],
    run_one: Callable[[T], Outcome],
    in_process: Callable[[T], bool],
    failed: Callable[[T, str], ProgramRun],
    started: Callable[[T], None] = lambda _t: None,
) -> Generator[Outcome, None, None]:
    """Each target's run, in the targets' order. ``in_process`` targets after the first run in forked
    workers (at most one per core at a time); the others (isolated programs, which start their own process)
    run here when their turn comes. ``failed(target, error)`` is the run of a worker that ended early."""
    forkable = [i for i, t in enumerate(targets) if in_process(t)]
    if len(forkable) < 2 or not can_fork():
        for target in targets:
            started(target)
            yield run_one(target)
        return
    first = forkable[0]
    for target in targets[:first]:
        started(target)
        yield run_one(target)
    started(targets[first])
    first_outcome = run_one(targets[first])  # imports what the programs use, once, before the fork
    gc.collect()
    gc.freeze()
    pool = _Workers({i: targets[i] for i in forkable[1:]}, run_one, failed, started)
    try:
        yield first_outcome
        for index in range(first + 1, len(targets)):
            if index in pool.workers:
                yield pool.outcome(index)
            else:
                started(targets[index])
                yield run_one(targets[index])
    finally:
        pool.close()


class _Worker:
    def __init__(self, process: BaseProcess, go: Connection, result: Connection) -> None:
        self.process, self.go, self.result = process, go, result
        self.outcome: _Message | None = None
        self.done = False


class _Workers:
    """One forked worker per target, all forked at once (here, before any thread starts); at most one per
    core is let run at a time, in the targets' order."""

    def __init__(
        self,
        targets: dict[int, T],
        run_one: Callable[[T], Outcome],
        failed: Callable[[T, str], ProgramRun],
        started: Callable[[T], None],
    ) -> None:
        self.targets, self.failed, self.started = targets, failed, started
        context = multiprocessing.get_context("fork")
        self.workers: dict[int, _Worker] = {}
        sys.stdout.flush()  # or what the gate had buffered would be written again by each worker
        sys.stderr.flush()
        for index, target in targets.items():
            go_read, go_write = context.Pipe(duplex=False)
            result_read, result_write = context.Pipe(duplex=False)
            # The gate's ends of every pipe so far, which the worker closes: a worker holding another's go
            # pipe open would keep it waiting for ever if the gate died.
            gate_ends = [go_write, result_read, *(c for w in self.workers.values() for c in (w.go, w.result))]
            process = context.Process(target=_work, args=(run_one, target, go_read, result_write, gate_ends))
            process.start()
            go_read.close()
            result_write.close()
            self.workers[index] = _Worker(process, go_write, result_read)
        self.waiting = list(targets)
        self.running: list[int] = []
        for _ in range(_cores()):
            self._start_next()

    def _start_next(self) -> None:
        if self.waiting:
            index = self.waiting.pop(0)
            self.started(self.targets[index])
            self.workers[index].go.send(True)
            self.running.append(index)

    def outcome(self, index: int) -> Outcome:
        worker = self.workers[index]
        while not worker.done:
            self._collect_one()
        message = worker.outcome
        if message is None:
            code = worker.process.exitcode
            return self.failed(self.targets[index], f"the program exited with code {code} before it finished"), []
        kind, value = message
        if kind == "raise":
            raise value
        outcome: Outcome = value
        return outcome

    def _collect_one(self) -> None:
        """Wait until a running worker has sent its run or ended, then let the next one start."""
        by_handle = {self.workers[i].result: i for i in self.running}
        ready = wait(list(by_handle))
        for handle in ready:
            index = by_handle[handle]  # type: ignore[index]  # wait() returns the Connections it was given
            worker = self.workers[index]
            try:
                worker.outcome = worker.result.recv()
            except EOFError:
                worker.outcome = None  # the worker ended without a run
            worker.process.join()
            worker.done = True
            self.running.remove(index)
            self._start_next()

    def close(self) -> None:
        """End every worker still alive (the gate stopped early) and release the pipes."""
        for worker in self.workers.values():
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
            worker.go.close()
            worker.result.close()


def _work(
    run_one: Callable[[T], Outcome], target: T, go: Connection, result: Connection, gate_ends: list[Connection]
) -> None:
    """A worker: wait for the go-ahead, run, send the run (or the exception run_one raised) back."""
    for end in gate_ends:
        end.close()
    try:
        go.recv()
    except EOFError:
        return  # the gate stopped before this target's turn
    try:
        message: _Message = ("run", run_one(target))
    except Exception as err:  # re-raised in the gate, as when the program ran there
        message = ("raise", err)
    try:
        result.send(message)
    except Exception:  # pickling failed: the exception's type and first line still reach the gate
        value = message[1]
        first = str(value).splitlines()[0] if isinstance(value, Exception) and str(value) else ""
        what = type(value).__name__ if message[0] == "raise" else "the run could not be sent back"
        result.send(("raise", RuntimeError(f"{what}: {first}".rstrip(": "))))
