"""`enclave deidentify`: turn a table into de-identified test data and a report, locally.

It runs ``residency.deidentify`` -- the code the enclave's pipeline function runs -- on a file.

Exit codes: 0 written; 1 the schema's bounds cannot be met (K within the allowed suppression share, or the
linkage-risk bound), nothing written; 2 a schema problem, an unknown or missing column, an unreadable
input or a bad argument, nothing written. The output and the report are written to temporary files and
renamed into place only when the run succeeded, so a failed run never leaves a partial file.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from enclave.commands.output_files import check_writable
from enclave.errors import UsageError
from enclave.offline.stack_files import find_project_dir

KEY_ENV = "ENCLAVE_PSEUDONYM_KEY"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("deidentify", help="de-identify a CSV, JSON Lines or Parquet table with a reviewed schema")
    p.add_argument("--dataset", required=True, help="schema name: governance/datasets/<NAME>.toml")
    p.add_argument("--input", required=True, type=Path, help="records (.csv, .jsonl/.ndjson or .parquet)")
    p.add_argument("--output", required=True, type=Path, help="test data to write (format from its suffix)")
    p.add_argument("--report", type=Path, help="write the run's JSON report here (default: print it)")
    p.add_argument("--datasets-dir", type=Path, help="schema directory (default: <project>/governance/datasets)")
    p.add_argument(
        "--key-file",
        type=Path,
        help=f"pseudonymisation key (at least 32 bytes); default: hex in ${KEY_ENV}, else a fresh random key",
    )
    p.set_defaults(func=run)


def _key(path: Path | None) -> tuple[bytes, str]:
    if path is not None:
        try:
            return path.read_bytes().strip(), f"file:{path.name}"
        except OSError as err:
            raise UsageError(f"--key-file {path}: cannot read: {err.strerror or err}") from None
    if os.environ.get(KEY_ENV):
        try:
            return bytes.fromhex(os.environ[KEY_ENV]), f"env:{KEY_ENV}"
        except ValueError:
            raise UsageError(f"${KEY_ENV} is not hexadecimal") from None
    # A fresh key per run: the pseudonyms link to nothing outside this run's output.
    return secrets.token_bytes(32), "ephemeral"


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: polars takes about a second to import, and every `enclave` command
    # (the gate included) builds this command's parser.
    from residency.deidentify import (
        ThresholdError,
        deidentify,
        format_of,
        load_schema,
        read_table,
        table_bytes,
        write_atomic,
    )

    directory = args.datasets_dir or find_project_dir() / "governance" / "datasets"
    schema = load_schema(directory, args.dataset)
    in_fmt, out_fmt = format_of(str(args.input)), format_of(str(args.output))
    check_writable(args.output, "--output")
    if args.report is not None:
        check_writable(args.report, "--report")
    try:
        data = args.input.read_bytes()
    except OSError as err:
        raise UsageError(f"--input {args.input}: cannot read: {err.strerror or err}") from None
    key, key_version = _key(args.key_file)
    frame = read_table(data, in_fmt, str(args.input))
    try:
        result = deidentify(frame, schema, key, key_version)
    except ThresholdError as err:
        print(f"enclave deidentify: failed: {err}", file=sys.stderr)
        return 1
    report = json.dumps({**result.report, "input": str(args.input), "output": str(args.output)}, indent=2)
    try:
        write_atomic(args.output, lambda tmp: tmp.write_bytes(table_bytes(result.output, out_fmt)))
    except OSError as err:
        raise UsageError(f"--output {args.output}: cannot write: {err.strerror or err}") from None
    if args.report is not None:
        try:
            write_atomic(args.report, lambda tmp: tmp.write_text(report + "\n", encoding="utf-8"))
        except OSError as err:
            args.output.unlink(missing_ok=True)  # no test data without its report
            raise UsageError(f"--report {args.report}: cannot write: {err.strerror or err}") from None
    if args.report is None:
        print(report)
    else:
        r = result.report
        print(
            f"{args.output}: {r['records_out']} of {r['records_in']} records, k={r['k_achieved']} "
            f"(required {r['k_required']}), linkage risk max {r['risk']['linkability_max']:.3f}; report {args.report}"
        )
    return 0


__all__ = ["register", "run"]
