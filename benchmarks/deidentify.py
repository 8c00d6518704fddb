"""Benchmark: de-identify 1,000,000 synthetic people on 2 cores with the shipped `people` schema.

    uv run python benchmarks/deidentify.py [--records 1000000]

The records (scripts/synthetic_people.py: Faker names, seeded) are generated once into a Parquet file
outside the timed part. A fresh child process (POLARS_MAX_THREADS=2) then reads the file and runs
``residency.deidentify.deidentify`` -- every step: redaction of the notes, HMAC pseudonyms, generalisation,
k-anonymity and l-diversity by suppression, and the risk measurement -- and reports the wall time of the
run, the time to write the Parquet output, and the process's peak resident memory (ru_maxrss), which
includes the input table. Goal (issue 11): <= 10 s for 1,000,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(path: Path) -> None:
    import polars as pl

    from residency.deidentify import deidentify, load_schema, table_bytes

    schema = load_schema(ROOT / "governance" / "datasets", "people")
    frame = pl.read_parquet(path)
    start, cpu_start = time.perf_counter(), time.process_time()
    result = deidentify(frame, schema, b"b" * 32, "benchmark")
    run, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    start = time.perf_counter()
    written = len(table_bytes(result.output, "parquet"))
    write = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "records": frame.height,
                "seconds": run,
                "cpu_seconds": cpu,
                "write_seconds": write,
                "peak_mib": peak_mib,
                "output_bytes": written,
                "k_achieved": result.report["k_achieved"],
                "suppressed": result.report["records_suppressed"],
                "linkability_max": result.report["risk"]["linkability_max"],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from scripts.synthetic_people import people

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.parquet"
        start = time.perf_counter()
        people(args.records, seed=1).write_parquet(path)
        print(f"generated {args.records:,} synthetic people in {time.perf_counter() - start:.1f} s (not timed)")
        env = {**os.environ, "POLARS_MAX_THREADS": "2"}
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path)], env=env, check=True, capture_output=True, text=True
        )
        numbers = json.loads(out.stdout)
    print(f"cores: {os.cpu_count()} (Polars limited to 2 threads); load average at end: {os.getloadavg()[0]:.1f}")
    print(
        f"de-identified {numbers['records']:,} records in {numbers['seconds']:.2f} s "
        f"({numbers['records'] / numbers['seconds']:,.0f} records/s, {numbers['cpu_seconds']:.1f} s CPU); Parquet output in "
        f"{numbers['write_seconds']:.2f} s ({numbers['output_bytes'] / 2**20:.0f} MiB)"
    )
    print(f"peak memory (RSS, whole process incl. input): {numbers['peak_mib']:,.0f} MiB")
    print(
        f"k achieved {numbers['k_achieved']}, suppressed {numbers['suppressed']}, "
        f"max linkage risk {numbers['linkability_max']:.4f}"
    )


if __name__ == "__main__":
    main()
