"""Benchmark of the offline gate (not a test): `uv run python benchmarks/gate.py [--quick] [--skip-checkov] [--skip-audit]`.

Reports, side by side in one run, each as a ratio to the import floor (a fresh process that only imports
pulumi and pulumi_aws, run just before each measured process; see benchmarks/measure.py):
1. the 9 shipped stacks as one fresh `enclave check --all` process, without and with checkov;
2. a generated program of 1,000 and 5,000 resources through `enclave check --program` (peak memory too);
3. the pack's resources/s in process (adapter facts + rules + exemptions) and through gRPC (the pack in its own
   process, driven as the engine drives it) at 1k, 5k and 10k synthetic resources, with CPU per resource
   (flat = linear); and a pack whose two policies do nothing, through the same gRPC path (the protocol's floor);
4. the live audit of 1,000 buckets in moto with ListBuckets' BucketRegion (benchmarks/audit_buckets.py).
Targets (issue 16, 2 cores): 9 stacks without checkov <= 5x the floor; 5,000 resources <= 15x; >= 2,000
resources/s through gRPC and >= 100,000/s in process; linear to 10k; <= 3.0 audit calls per bucket.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.pulumi.resources import ResourceView, facts_for  # noqa: E402
from benchmarks.measure import FLOOR, paired  # noqa: E402
from enclave.gate.pipeline import PACK_DIR  # noqa: E402
from enclave.offline.model import CapturedResource  # noqa: E402
from policy_engine.client import PolicyEngine, StackIdentity  # noqa: E402
from residency_pack.context import build_context  # noqa: E402
from residency_pack.evaluation import judge  # noqa: E402
from residency_pack.judgement import RESOURCE_RULES  # noqa: E402

SIZES = (1_000, 5_000, 10_000)
REGION = "eu-west-1"
PROJECT = "bench"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()} on {platform.system()}; "
        f"load average {load:.1f} at start"
    )


def synthetic(n: int) -> list[CapturedResource]:
    """n resources in groups of four: a key, a bucket, its encryption config (referencing both), its PAB; as an
    enclave program makes them, stores protected and retained, their guards protected (guard-protected)."""
    out: list[CapturedResource] = []
    stack = f"urn:pulumi:bench::{PROJECT}::pulumi:pulumi:Stack$"
    for i in range(n // 4):
        key_arn = f"arn:aws:kms:{REGION}:123456789012:key/k-{i}"
        key = CapturedResource(
            f"{stack}aws:kms/key:Key::key-{i}",
            "aws:kms/key:Key",
            f"key-{i}",
            True,
            {"enableKeyRotation": True, "deletionWindowInDays": 30.0},
            outputs={"arn": key_arn},
            region=REGION,
            protect=True,
            retain_on_delete=True,
        )
        bucket = CapturedResource(
            f"{stack}aws:s3/bucket:Bucket::data-{i}",
            "aws:s3/bucket:Bucket",
            f"data-{i}",
            True,
            {"bucket": f"data-{i}"},
            outputs={"arn": f"arn:aws:s3:::data-{i}"},
            region=REGION,
            protect=True,
            retain_on_delete=True,
        )
        sse = CapturedResource(
            f"{stack}aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::sse-{i}",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            f"sse-{i}",
            True,
            {
                "bucket": f"data-{i}",
                "rules": [
                    {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}}
                ],
            },
            region=REGION,
            protect=True,
            property_dependencies={"bucket": [bucket.urn], "rules": [key.urn]},
        )
        pab = CapturedResource(
            f"{stack}aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::pab-{i}",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            f"pab-{i}",
            True,
            {
                "bucket": f"data-{i}",
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            region=REGION,
            protect=True,
            property_dependencies={"bucket": [bucket.urn]},
        )
        out += [key, bucket, sse, pab]
    return out


def config() -> dict[str, str]:
    return {"aws:region": REGION, f"{PROJECT}:jurisdiction": "eu"}


def in_process_rate(resources: list[CapturedResource]) -> float:
    env = {"PULUMI_CONFIG": __import__("json").dumps(config()), "PULUMI_PROJECT": PROJECT}
    ctx = build_context(None, ROOT / "governance", environ=env)
    views = [ResourceView(r.urn, r.type, r.name, r.inputs, r.region) for r in resources]
    start = time.process_time()
    for view in views:
        judge(RESOURCE_RULES, facts_for(view), ctx)
    return len(resources) / (time.process_time() - start)


def grpc_run(resources: list[CapturedResource], pack_dir: Path = PACK_DIR) -> tuple[float, float]:
    """Wall time of the analysis, and CPU time of the whole run (this process + the pack process, which
    includes the pack's start-up; a run with no resources measures that part alone)."""
    identity = StackIdentity(project=PROJECT, stack="bench", config=config())
    cpu0 = time.process_time() + _children_cpu()
    with PolicyEngine(pack_dir, identity) as engine:
        start = time.perf_counter()
        diagnostics = engine.analyze(resources)
        elapsed = time.perf_counter() - start
    cpu = time.process_time() + _children_cpu() - cpu0
    mandatory = [d for d in diagnostics if d.mandatory]
    if mandatory:  # the synthetic program is compliant: a violation means the benchmark measures the wrong thing
        raise SystemExit(f"unexpected violation: {mandatory[0].policy}: {mandatory[0].message}")
    return elapsed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


NOOP_PACK = """from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy

PolicyPack(name="noop", enforcement_level=EnforcementLevel.MANDATORY, policies=[
    ResourceValidationPolicy("noop-resource", "does nothing", lambda args, report: None),
    StackValidationPolicy("noop-stack", "does nothing", lambda args, report: None),
])
"""


def noop_pack(directory: Path) -> Path:
    """A pack of one resource and one stack policy that do nothing: what the gRPC path itself costs."""
    (directory / "PulumiPolicy.yaml").write_text(
        f"runtime:\n  name: python\n  options:\n    virtualenv: {ROOT / '.venv'}\n"
    )
    (directory / "__main__.py").write_text(NOOP_PACK)
    return directory


def generated_program(directory: Path, n: int) -> Path:
    """A Pulumi program of ``n`` resources (the synthetic mix: key, bucket, its encryption and its block)."""
    (directory / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\nconfig:\n  aws:region: {REGION}\n")
    (directory / "__main__.py").write_text(
        f"""import pulumi
import pulumi_aws as aws

# As an enclave program makes them (and the synthetic resources above): stores protected and retained, their
# guards protected (guard-protected), so the program is compliant and the gate judges it to the end.
store = pulumi.ResourceOptions(protect=True, retain_on_delete=True)
keep = pulumi.ResourceOptions(protect=True)
for i in range({n // 4}):
    key = aws.kms.Key(f"key-{{i}}", enable_key_rotation=True, deletion_window_in_days=30, opts=store)
    bucket = aws.s3.Bucket(f"data-{{i}}", bucket=f"data-{{i}}", opts=store)
    aws.s3.BucketServerSideEncryptionConfiguration(f"sse-{{i}}", bucket=bucket.bucket, rules=[{{
        "apply_server_side_encryption_by_default": {{"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn}}}}],
        opts=keep)
    aws.s3.BucketPublicAccessBlock(f"pab-{{i}}", bucket=bucket.bucket, block_public_acls=True,
        block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True, opts=keep)
"""
    )
    return directory


def check_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "enclave.cli", "check", *args, "--format", "json"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run per fresh-process measurement; 1k and 5k only")
    parser.add_argument("--runs", type=int, default=3, help="paired runs per fresh-process measurement")
    parser.add_argument("--skip-checkov", action="store_true", help="skip the run with checkov")
    parser.add_argument("--skip-audit", action="store_true", help="skip the audit of 1,000 buckets")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    print(f"machine: {machine()}")
    print("Ratios are to the import floor, measured just before each run (median of pair-by-pair ratios).\n")
    floor = paired(FLOOR, runs)
    print(f"0. import floor (python -c 'import pulumi, pulumi_aws'): {floor.line()}")
    print(
        f"1. 9 shipped stacks, `enclave check --all --no-checkov`: {paired(check_cmd('--all', '--no-checkov'), runs).line()}"
    )
    if not args.skip_checkov:
        print(f"   9 shipped stacks with checkov, `enclave check --all`: {paired(check_cmd('--all'), runs).line()}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 5_000):
            (Path(tmp) / f"p{n}").mkdir()
            program = generated_program(Path(tmp) / f"p{n}", n)
            cmd = check_cmd("--program", str(program), "--jurisdiction", "eu", "--no-checkov")
            print(f"2. generated program, {n:,} resources: {paired(cmd, runs).line()}")
        print("3. the pack, synthetic resources (CPU per resource excludes the pack's start-up)")
        startup = grpc_run([])[1]
        noop = noop_pack(Path(tmp))
        base = None
        for n in SIZES[:2] if args.quick else SIZES:
            sample = synthetic(n)
            wall, cpu = grpc_run(sample)
            noop_wall, _ = grpc_run(sample, noop)
            per = (cpu - startup) / n * 1e6
            base = base or per
            print(
                f"   {n:>6,}: in process {in_process_rate(sample):9,.0f}/s CPU | gRPC {n / wall:6,.0f}/s wall "
                f"(no-op pack {n / noop_wall:6,.0f}/s), {per:6.0f} us CPU per resource (x{per / base:.2f} of 1k)"
            )
    if not args.skip_audit:
        audit = [sys.executable, str(ROOT / "benchmarks" / "audit_buckets.py"), "--bucket-region"]
        out = subprocess.run(audit, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        calls = next(line for line in out.splitlines() if line.startswith("API calls"))
        print(
            f"4. audit of 1,000 buckets (moto, BucketRegion as AWS returns it): {paired(audit, runs).line()}; {calls}"
        )


if __name__ == "__main__":
    main()
