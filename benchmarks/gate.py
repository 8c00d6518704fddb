"""Benchmark of the offline gate (not a test): `uv run python benchmarks/gate.py [--quick] [--skip-checkov]`.

Reports, in one run:
1. gate time per shipped stack (in-process, warm) and for all stacks as a fresh `enclave check --all`
   process, with and without checkov;
2. resource evaluations per second: in-process (the pack's own code path: adapter facts + rules + exemptions,
   no gRPC) and through gRPC (the pack process driven as the engine drives it: Analyze per resource, then
   AnalyzeStack);
3. how the gRPC cost grows from 1,000 to 10,000 synthetic resources (time per resource should stay flat).
Targets on 2 cores: all stacks without checkov < 10 s; >= 5,000 evaluations/s through gRPC; linear growth.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.pulumi.resources import ResourceView, facts_for  # noqa: E402
from enclave.gate.pipeline import PACK_DIR, run_gate, stack_targets  # noqa: E402
from enclave.offline.model import CapturedResource  # noqa: E402
from enclave.offline.stack_files import load_project  # noqa: E402
from policy_engine.client import PolicyEngine, StackIdentity  # noqa: E402
from residency_pack.context import build_context  # noqa: E402
from residency_pack.evaluation import judge  # noqa: E402
from residency_pack.policies import build_policies, resource_rules  # noqa: E402

SIZES = (1_000, 2_000, 5_000, 10_000)
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
    """n resources in groups of four: a key, a bucket, its encryption config (referencing both), its PAB."""
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
        )
        bucket = CapturedResource(
            f"{stack}aws:s3/bucket:Bucket::data-{i}",
            "aws:s3/bucket:Bucket",
            f"data-{i}",
            True,
            {"bucket": f"data-{i}"},
            outputs={"arn": f"arn:aws:s3:::data-{i}"},
            region=REGION,
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
            property_dependencies={"bucket": [bucket.urn]},
        )
        out += [key, bucket, sse, pab]
    return out


def config() -> dict[str, str]:
    return {"aws:region": REGION, f"{PROJECT}:jurisdiction": "eu"}


def in_process_rate(resources: list[CapturedResource]) -> float:
    env = {"PULUMI_CONFIG": __import__("json").dumps(config()), "PULUMI_PROJECT": PROJECT}
    ctx = build_context(None, ROOT / "governance", environ=env)
    rules = resource_rules()
    start = time.perf_counter()
    for r in resources:
        judge(rules, facts_for(ResourceView(r.urn, r.type, r.name, r.inputs, r.region)), ctx)
    return len(resources) / (time.perf_counter() - start)


def grpc_run(resources: list[CapturedResource]) -> tuple[float, float]:
    """Wall time of the analysis, and CPU time of the whole run (this process + the pack process, which
    includes the pack's start-up; a run with no resources measures that part alone)."""
    identity = StackIdentity(project=PROJECT, stack="bench", config=config())
    cpu0 = time.process_time() + _children_cpu()
    with PolicyEngine(PACK_DIR, identity) as engine:
        start = time.perf_counter()
        diagnostics = engine.analyze(resources)
        elapsed = time.perf_counter() - start
    cpu = time.process_time() + _children_cpu() - cpu0
    mandatory = [d for d in diagnostics if d.mandatory]
    if mandatory:  # the synthetic program is compliant: a violation means the benchmark measures the wrong thing
        raise SystemExit(f"unexpected violation: {mandatory[0].policy}: {mandatory[0].message}")
    return elapsed, cpu


def grpc_time(resources: list[CapturedResource]) -> float:
    return grpc_run(resources)[0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def servicer_floor(resources: list[CapturedResource], policies: int) -> float:
    """Resources/s of pulumi_policy's own Analyze handler (no gRPC) with ``policies`` no-op policies: the
    ceiling any pack with that many resource policies can reach, since the handler deserialises a resource's
    properties once per policy."""
    from pulumi_policy.policy import EnforcementLevel, Policy, ResourceValidationPolicy, _PolicyAnalyzerServicer

    noop: list[Policy] = [
        ResourceValidationPolicy(f"noop-{i}", "no-op", lambda _args, _report: None) for i in range(policies)
    ]
    servicer = _PolicyAnalyzerServicer("floor", "1.0.0", noop, EnforcementLevel.MANDATORY)
    engine = PolicyEngine.__new__(PolicyEngine)  # only its request builder is used
    by_urn = {r.urn: r for r in resources}
    requests = [PolicyEngine._analyze_request(engine, r, by_urn) for r in resources]
    start = time.perf_counter()
    for request in requests:
        servicer.Analyze(request, None)  # type: ignore[no-untyped-call]
    return len(resources) / (time.perf_counter() - start)


def cli_time(*args: str) -> str:
    """Wall time of a fresh `enclave check` process, and the CPU time it and its children used.

    On a shared machine the wall time depends on other load; CPU time / cores bounds from below the wall
    time an idle 2-core machine would need."""
    cpu0, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "enclave.cli", "check", *args, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"enclave check {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()[-400:]}")
    return f"{elapsed:6.2f} s wall, {cpu:6.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sizes 1k and 2k only")
    parser.add_argument("--skip-checkov", action="store_true", help="skip the runs with checkov")
    parser.add_argument("--growth-only", action="store_true", help="only part 3")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    print("Wall times depend on other load on the machine; CPU times (this process and its children) do not.\n")

    if args.growth_only:
        growth(args.quick)
        return
    stacks = load_project(ROOT).stacks()
    print("1. gate time per stack (in-process, warm, residency pack over gRPC, no checkov)")
    run_gate(stack_targets(ROOT, stacks[:1]), with_checkov=False)  # warm imports
    for stack in stacks:
        start, cpu0 = time.perf_counter(), time.process_time() + _children_cpu()
        [result] = run_gate(stack_targets(ROOT, [stack]), with_checkov=False)
        wall, cpu = time.perf_counter() - start, time.process_time() + _children_cpu() - cpu0
        print(f"   {stack:<14} {wall:6.2f} s wall, {cpu:5.2f} s CPU  ({result.resource_count} resources)")
    print(f"   all stacks, fresh `enclave check --all --no-checkov` process: {cli_time('--all', '--no-checkov')}")
    print(
        f"   one stack, fresh `enclave check eu-dublin --no-checkov` process: {cli_time('eu-dublin', '--no-checkov')}"
    )
    if not args.skip_checkov:
        print(f"   all stacks, fresh `enclave check --all` process (one checkov run): {cli_time('--all')}")
        print(f"   one stack with checkov (`enclave check eu-dublin`): {cli_time('eu-dublin')}")

    sample = synthetic(2_000)
    policies = sum(1 for p in build_policies() if type(p).__name__ == "ResourceValidationPolicy")
    print("\n2. resource evaluations per second (each runs every resource policy of the pack)")
    print(f"   in-process (adapter facts + rules + exemptions): {in_process_rate(sample):10,.0f} resources/s")
    t = grpc_time(sample)
    print(
        f"   through gRPC (Analyze per resource + AnalyzeStack): {len(sample) / t:10,.0f} resources/s"
        f" = {len(sample) * policies / t:,.0f} policy evaluations/s ({policies} resource policies)"
    )
    print(
        f"   ceiling of pulumi_policy's handler with {policies} no-op policies: "
        f"{servicer_floor(sample, policies):10,.0f} resources/s; with 1: {servicer_floor(sample, 1):,.0f}/s"
    )

    growth(args.quick)


def growth(quick: bool) -> None:
    print("\n3. cost growth through gRPC (CPU excludes the pack's start-up; it does not depend on other load)")
    startup = grpc_run([])[1]
    base = None
    for n in SIZES[:2] if quick else SIZES:
        wall, cpu = grpc_run(synthetic(n))
        per = (cpu - startup) / n * 1e6
        base = base or per
        print(
            f"   {n:>6,} resources: {wall:7.2f} s wall {n / wall:8,.0f} /s | {cpu - startup:7.2f} s CPU "
            f"{per:7.1f} us CPU/resource (x{per / base:.2f} of 1k)"
        )


if __name__ == "__main__":
    main()
