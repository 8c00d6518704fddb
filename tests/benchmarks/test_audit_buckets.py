"""The benchmark script runs end to end (in its own process, so its emulator holds only its buckets) and
counts what docs/audit.md says: one ListBuckets, one GetCallerIdentity and one account-level
GetPublicAccessBlock, then four calls per bucket where the emulator's ListBuckets gives no BucketRegion
(moto 5.2) and three where it does (``--bucket-region``, as AWS answers a ListBuckets sent with MaxBuckets)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# The script's boto3 sessions get test credentials, never this machine's AWS configuration.
pytestmark = pytest.mark.usefixtures("aws_test_env")

ROOT = Path(__file__).resolve().parents[2]
BUCKETS = 10


@pytest.mark.parametrize("mode", [[], ["--separate-process"]], ids=["in-process", "separate-process"])
def test_benchmark_reports_time_and_calls_per_bucket(mode: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/audit_buckets.py", "--buckets", str(BUCKETS), "--max-workers", "4", *mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"audited {BUCKETS} buckets in ") for line in lines)
    calls = 4 * BUCKETS + 3  # plus the account-level GetPublicAccessBlock (S3 Control)
    assert f"API calls: {calls} ({calls / BUCKETS:.1f} per bucket)" in lines
    assert f"  GetPublicAccessBlock: {BUCKETS + 1}" in lines
    for operation in ("GetBucketLocation", "GetBucketEncryption", "GetBucketReplication"):
        assert f"  {operation}: {BUCKETS}" in lines
    strays = BUCKETS // 10  # every tenth bucket is in us-east-1
    assert f"findings: {{'PASS': {4 * BUCKETS - strays}, 'FAIL': {strays}, 'ERROR': 0}}" in lines


def test_with_the_listed_region_the_audit_makes_three_calls_per_bucket() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/audit_buckets.py",
            "--buckets",
            str(BUCKETS),
            "--max-workers",
            "4",
            "--bucket-region",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    calls = 3 * BUCKETS + 3  # ListBuckets, GetCallerIdentity, the account-level GetPublicAccessBlock
    assert f"API calls: {calls} ({calls / BUCKETS:.1f} per bucket)" in lines
    assert not any("GetBucketLocation" in line for line in lines)
    strays = BUCKETS // 10  # the listed region still places every tenth bucket in us-east-1
    assert f"findings: {{'PASS': {4 * BUCKETS - strays}, 'FAIL': {strays}, 'ERROR': 0}}" in lines


def test_bucket_region_with_a_separate_emulator_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/audit_buckets.py", "--bucket-region", "--separate-process"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--bucket-region needs the in-process emulator" in result.stderr
