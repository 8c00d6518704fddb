"""Fresh-process measurements paired with the import floor (a process that only imports pulumi and pulumi_aws).

Each measurement runs the command as a fresh process right after one floor process, ``runs`` times (A B A B
...), and reports the median of the pair-by-pair ratios: pairing keeps a ratio meaningful while the load of
a shared machine drifts. Wall and CPU (user + system of the process and its children) and the peak memory of
the largest process come from the operating system's accounting (``wait4``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = (sys.executable, "-c", "import pulumi, pulumi_aws")


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float


def fresh(cmd: tuple[str, ...] | list[str], cwd: Path = ROOT) -> Run:
    """One fresh process: its wall time, CPU (its own and its children's) and peak RSS (largest process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: the gate found violations, which some measurements expect
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {stderr[-400:]}")
    # ru_maxrss covers the process and, through RUSAGE_CHILDREN accounting in wait4, its largest descendant.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Paired:
    runs: list[Run]
    floors: list[Run]

    def median(self, field: str) -> float:
        return float(statistics.median(float(getattr(r, field)) for r in self.runs))

    def ratio(self, field: str) -> float:
        pairs = zip(self.runs, self.floors, strict=True)
        return float(statistics.median(float(getattr(a, field)) / float(getattr(b, field)) for a, b in pairs))

    def line(self) -> str:
        return (
            f"{self.median('wall'):7.2f} s wall ({self.ratio('wall'):5.1f}x floor), "
            f"{self.median('cpu'):7.2f} s CPU ({self.ratio('cpu'):5.1f}x), peak {self.median('peak_mib'):6.0f} MiB"
        )


def paired(cmd: tuple[str, ...] | list[str], runs: int, cwd: Path = ROOT) -> Paired:
    fresh(FLOOR)  # warm-up, not counted: file caches
    floors, measured = [], []
    for _ in range(runs):
        floors.append(fresh(FLOOR))
        measured.append(fresh(cmd, cwd))
    return Paired(measured, floors)
