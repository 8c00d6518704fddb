"""Benchmark: audit N S3 buckets (default 1,000) in a local moto server; print time and API calls per bucket.

Usage: .venv/bin/python benchmarks/audit_buckets.py [--buckets 1000] [--max-workers 8] [--separate-process]
       [--bucket-region]

By default the emulator (moto's ThreadedMotoServer) runs inside this process; with --separate-process it
runs as its own process (``python -m moto.server``), so the auditor and the emulator do not share a GIL.

Every tenth bucket lives outside the EU (us-east-1); the rest are compliant (SSE-KMS under an EU key and
a full public access block). moto 5.2 ignores ListBuckets' ``MaxBuckets`` pagination token and does not
return ``BucketRegion``, so the auditor falls back to one GetBucketLocation per bucket; ``--bucket-region``
(in-process only) makes the emulator's ListBuckets return each bucket's ``BucketRegion`` as AWS does, to
count the calls the audit makes against AWS. API calls are counted with a botocore ``before-call`` hook on the audit's
own Session, so seeding calls are not counted.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
from moto.server import ThreadedMotoServer

from enclave.audit import AuditRequest, run_audit
from residency.jurisdictions import default_catalogue

BLOCKED = {k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")}


def _session() -> Any:
    return boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name="eu-west-1")


def seed(url: str, buckets: int) -> None:
    session = _session()
    eu = session.client("s3", region_name="eu-west-1", endpoint_url=url)
    us = session.client("s3", region_name="us-east-1", endpoint_url=url)
    key = session.client("kms", region_name="eu-west-1", endpoint_url=url).create_key()["KeyMetadata"]["Arn"]
    encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]}

    def one(i: int) -> None:
        name = f"bench-bucket-{i:05d}"
        if i % 10 == 0:
            us.create_bucket(Bucket=name)
        else:
            eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        eu.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=encryption)
        eu.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=BLOCKED)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(buckets)))


def run(url: str, buckets: int, max_workers: int) -> dict[str, Any]:
    """Audit the seeded buckets; return the measurements."""
    session = _session()
    calls: Counter[str] = Counter()
    session.events.register("before-call.*.*", lambda model, **_: calls.update([model.name]))
    catalogue = default_catalogue()
    request = AuditRequest(
        jurisdiction=catalogue.get("eu"),
        regions=("eu-west-1",),
        services=("s3",),
        endpoint_url=url,
        max_workers=max_workers,
    )
    started = time.perf_counter()
    report = run_audit(session, request, catalogue)
    seconds = time.perf_counter() - started
    total = sum(calls.values())
    return {
        "buckets": buckets,
        "seconds": round(seconds, 2),
        "buckets_per_second": round(buckets / seconds, 1),
        "api_calls": total,
        "api_calls_per_bucket": round(total / buckets, 3),
        "calls_by_operation": dict(sorted(calls.items())),
        "summary": report.counts(),
    }


def _emulate_bucket_region() -> None:
    """Make moto's ListBuckets answer with each bucket's BucketRegion, as AWS does when MaxBuckets is sent."""
    from moto.core.responses import ActionResult
    from moto.s3.responses import S3Response

    def all_buckets(self: Any) -> Any:
        self.data["Action"] = "ListAllMyBuckets"
        self._authenticate_and_authorize_s3_action()
        listed = self.backend.list_buckets(
            prefix=self._get_param("prefix"), bucket_region=self._get_param("bucket-region"), max_buckets=None
        )
        buckets = [
            {"Name": b.name, "CreationDate": b.creation_date_ISO8601, "BucketRegion": b.region_name} for b in listed
        ]
        self.data["Action"] = "ListBuckets"
        return self.serialized(ActionResult({"Owner": {"ID": "bench", "DisplayName": "bench"}, "Buckets": buckets}))

    S3Response.all_buckets = all_buckets  # type: ignore[method-assign]


class _InProcess:
    def __enter__(self) -> str:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        return f"http://{host}:{port}"

    def __exit__(self, *_: object) -> None:
        self.server.stop()


class _SeparateProcess:
    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # bounded wait for the port to open
            with socket.socket() as conn:
                if conn.connect_ex(("127.0.0.1", port)) == 0:
                    return f"http://127.0.0.1:{port}"
            time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("moto.server did not start within 30 s")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--max-workers", type=int, default=8)
    parser.add_argument("--separate-process", action="store_true", help="run the emulator as its own process")
    parser.add_argument(
        "--bucket-region", action="store_true", help="the emulator's ListBuckets returns BucketRegion, as AWS does"
    )
    args = parser.parse_args(argv)
    if args.bucket_region and args.separate_process:
        parser.error("--bucket-region needs the in-process emulator (it patches moto); drop --separate-process")
    if args.bucket_region:
        _emulate_bucket_region()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    with _SeparateProcess() if args.separate_process else _InProcess() as url:
        started = time.perf_counter()
        seed(url, args.buckets)
        print(f"seeded {args.buckets} buckets in {time.perf_counter() - started:.1f}s")
        result = run(url, args.buckets, args.max_workers)
    print(f"audited {result['buckets']} buckets in {result['seconds']}s ({result['buckets_per_second']} buckets/s)")
    print(f"API calls: {result['api_calls']} ({result['api_calls_per_bucket']} per bucket)")
    for operation, count in result["calls_by_operation"].items():
        print(f"  {operation}: {count}")
    print(f"findings: {result['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
