"""Tables in and out: CSV, JSON Lines and Parquet, chosen by file name, read from bytes or files.

Writes are atomic: the table goes to a temporary file in the destination's directory and is renamed
over the destination only when complete, so a failed run never leaves a partial output behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from residency.deidentify.schema import SchemaError

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise SchemaError(f"{name}: unknown table format {suffix or '(none)'!r}; allowed: {', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


def read_table(data: bytes, fmt: str, source: str) -> pl.DataFrame:
    """Parse ``data``. CSV columns are read as text (no type guessing: the schema's rules parse them)."""
    try:
        if fmt == "csv":
            return pl.read_csv(io.BytesIO(data), infer_schema=False)
        if fmt == "jsonl":
            return pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
        if fmt == "parquet":
            return pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise SchemaError(f"{source}: cannot read as {fmt}: {first}") from None
    raise SchemaError(f"{source}: unknown table format {fmt!r}")


def table_bytes(frame: pl.DataFrame, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "csv":
        frame.write_csv(buffer)
    elif fmt == "jsonl":
        frame.write_ndjson(buffer)
    elif fmt == "parquet":
        frame.write_parquet(buffer)
    else:
        raise SchemaError(f"unknown table format {fmt!r}")
    return buffer.getvalue()


def write_atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write`` on a temporary sibling of ``path``, then rename it into place (or remove it)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent or Path("."))
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
