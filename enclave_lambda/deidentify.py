"""The enclave's de-identification pipeline: records bucket -> test-data bucket, report -> audit bucket.

Records are read through the records bucket's access point (``RECORDS_ACCESS_POINT``, its ARN, which boto3
takes as ``Bucket``): the bucket policy denies object requests that do not come through it, and its VPC network
origin makes S3 reject requests from outside the enclave's VPC, where this function runs.
For each dataset named in ``DATASETS``, every object under ``<dataset>/`` in the records bucket (CSV,
JSON Lines or Parquet by suffix) is read, de-identified together (k-anonymity needs the whole set, not
one file at a time) with the reviewed schema packaged beside this code, and written as one Parquet object
``<dataset>/<run>.parquet`` to the test-data bucket. The report goes to ``deidentify-reports/<dataset>/
<run>.json`` in the audit bucket, also when the run fails its bounds (then no test data is written).
The pseudonymisation key is the secret's AWSCURRENT version (64 hex characters, made by rotation.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import polars as pl

from residency.deidentify import (
    SchemaError,
    ThresholdError,
    deidentify,
    format_of,
    load_schema,
    read_table,
    table_bytes,
)

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
REPORT_PREFIX = "deidentify-reports"
ENV_KEYS = ("RECORDS_ACCESS_POINT", "TESTDATA_BUCKET", "AUDIT_BUCKET", "SECRET_ARN", "DATASETS")


def _config(env: Mapping[str, str]) -> dict[str, str]:
    missing = [k for k in ENV_KEYS if not env.get(k)]
    if missing:
        raise SchemaError(f"pipeline environment lacks {', '.join(missing)}")
    return {k: env[k] for k in ENV_KEYS}


def pseudonym_key(secrets: Any, secret_arn: str) -> tuple[bytes, str]:
    value = secrets.get_secret_value(SecretId=secret_arn, VersionStage="AWSCURRENT")
    try:
        key = bytes.fromhex(value["SecretString"])
    except (KeyError, ValueError):
        raise SchemaError(f"secret {secret_arn}: AWSCURRENT is not a hex key") from None
    return key, str(value["VersionId"])


def _records(s3: Any, access_point: str, dataset: str) -> pl.DataFrame | None:
    frames = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=access_point, Prefix=f"{dataset}/"):
        for obj in page.get("Contents", []):
            key = obj["Key"]
            if key.endswith("/"):
                continue
            body = s3.get_object(Bucket=access_point, Key=key)["Body"].read()
            frames.append(read_table(body, format_of(key), f"{access_point}/object/{key}"))
    if not frames:
        return None
    try:
        return pl.concat(frames, how="vertical_relaxed")
    except pl.exceptions.PolarsError as err:
        raise SchemaError(f"dataset {dataset!r}: the record files do not share one set of columns: {err}") from None


def run_dataset(
    clients: Mapping[str, Any], cfg: Mapping[str, str], dataset: str, key: bytes, version: str, run: str
) -> dict[str, Any]:
    s3 = clients["s3"]
    report: dict[str, Any] = {"dataset": dataset, "run": run, "pseudonym_key_version": version}
    try:
        schema = load_schema(PACKAGE_ROOT / "governance" / "datasets", dataset)
        frame = _records(s3, cfg["RECORDS_ACCESS_POINT"], dataset)
        if frame is None:
            report |= {"status": "no records"}
        else:
            result = deidentify(frame, schema, key, version)
            target = f"{dataset}/{run}.parquet"
            s3.put_object(Bucket=cfg["TESTDATA_BUCKET"], Key=target, Body=table_bytes(result.output, "parquet"))
            report |= result.report | {"status": "published", "output": f"s3://{cfg['TESTDATA_BUCKET']}/{target}"}
    except (SchemaError, ThresholdError) as err:
        report |= {"status": "failed", "error": str(err)}
    s3.put_object(
        Bucket=cfg["AUDIT_BUCKET"],
        Key=f"{REPORT_PREFIX}/{dataset}/{run}.json",
        Body=json.dumps(report, indent=2).encode(),
        ContentType="application/json",
    )
    return report


def run_pipeline(
    clients: Mapping[str, Any], env: Mapping[str, str], now: datetime | None = None
) -> list[dict[str, Any]]:
    cfg = _config(env)
    key, version = pseudonym_key(clients["secretsmanager"], cfg["SECRET_ARN"])
    run = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return [run_dataset(clients, cfg, d.strip(), key, version, run) for d in cfg["DATASETS"].split(",") if d.strip()]


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point (scheduled). Fails the invocation when any dataset failed, so it is retried and
    its error metric rises; the reports are in the audit bucket either way."""
    clients = {"s3": boto3.client("s3"), "secretsmanager": boto3.client("secretsmanager")}
    reports = run_pipeline(clients, os.environ)
    failed = [r for r in reports if r.get("status") == "failed"]
    if failed:
        raise RuntimeError("; ".join(f"{r['dataset']}: {r['error']}" for r in failed))
    return {"reports": reports}
