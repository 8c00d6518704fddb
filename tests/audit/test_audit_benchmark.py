"""The benchmark script runs end to end (in its own process, so its emulator holds only its buckets) and
counts what docs/audit.md says: one ListBuckets, then four calls per compliant bucket."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_reports_time_and_calls_per_bucket() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/audit_buckets.py", "--buckets", "20", "--max-workers", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("audited 20 buckets in ") for line in lines)
    assert "API calls: 82 (4.1 per bucket)" in lines  # 20 x 4 + ListBuckets + GetCallerIdentity
    for operation in ("GetBucketLocation", "GetBucketEncryption", "GetBucketReplication", "GetPublicAccessBlock"):
        assert f"  {operation}: 20" in lines
    assert "findings: {'PASS': 78, 'FAIL': 2, 'ERROR': 0}" in lines
