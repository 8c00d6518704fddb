"""End to end against moto's server: the enclave's pipeline function on synthetic people.

The records bucket is seeded with Faker people (seeded) in three files and two formats; the function's
handler runs as Lambda would call it (boto3 through AWS_ENDPOINT_URL to moto on 127.0.0.1); the test data
and the report it writes are then checked: no input identifier anywhere, k >= K, the linkage risk within
the schema's bound, pseudonyms stable under one key and different after the key is rotated.

The function reads records through the records bucket's access point (its ARN as ``Bucket``). moto serves
S3 Control's access points but not object requests through them, so the fixture resolves an access point ARN
to its bucket with moto's own GetAccessPoint, as S3 does, and records every object request's ``Bucket``: the
tests assert that records were never read by the bucket's name.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import polars as pl
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from adapters.aws_live.api import ClientFactory
from enclave_lambda import deidentify as function
from enclave_lambda.rotation import rotate
from residency.deidentify import SchemaError, load_schema
from residency.deidentify.anonymity import measure_risk
from residency.deidentify.transforms import generalise
from scripts.synthetic_people import DIRECT_IDENTIFIERS, people
from tests.enclave.commands.test_deidentify import leaked_identifiers

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
QUASI = ["age", "sex", "postcode", "city", "visit_date"]
BUCKETS = {"RECORDS_BUCKET": "records", "TESTDATA_BUCKET": "testdata", "AUDIT_BUCKET": "audit"}
READS = ("ListObjectsV2", "GetObject")


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    suffix = uuid.uuid4().hex[:8]
    s3, secrets = boto3.client("s3"), boto3.client("secretsmanager")
    names = {env: f"{name}-{suffix}" for env, name in BUCKETS.items()}
    for bucket in names.values():
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
    secret_arn = secrets.create_secret(Name=f"pseudonym-key-{suffix}", Description="test")["ARN"]
    rotate_key(secrets, secret_arn)  # the first rotation makes the first key, as in the enclave
    access_point, reads = through_access_points(names["RECORDS_BUCKET"], suffix, moto_url)
    env = {**names, "RECORDS_ACCESS_POINT": access_point, "SECRET_ARN": secret_arn, "DATASETS": "people"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {"s3": boto3.client("s3"), "secretsmanager": secrets, "env": env, "reads": reads}


def through_access_points(bucket: str, suffix: str, moto_url: str) -> tuple[str, list[str]]:
    """A VPC access point on ``bucket`` (its ARN), and the ``Bucket`` of every object read made from now on by a
    client of boto3's default session (the handler's), each access point ARN resolved to its bucket."""
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    account = session.client("sts").get_caller_identity()["Account"]
    control = ClientFactory(session, Config(), moto_url).client("s3control", REGION)
    name = f"records-{suffix}"
    control.create_access_point(AccountId=account, Name=name, Bucket=bucket, VpcConfiguration={"VpcId": "vpc-1"})
    reads: list[str] = []

    def resolve(params: dict[str, Any], model: Any, **_: Any) -> None:
        target = str(params.get("Bucket", ""))
        if model.name in READS:
            reads.append(target)
        if target.startswith("arn:aws:s3:"):
            ap_name = target.rsplit("/", 1)[-1]
            params["Bucket"] = control.get_access_point(AccountId=account, Name=ap_name)["Bucket"]

    session.events.register("provide-client-params.s3", resolve)
    return f"arn:aws:s3:{REGION}:{account}:accesspoint/{name}", reads


def rotate_key(secrets: Any, secret_arn: str) -> None:
    token = str(uuid.uuid4())
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        rotate(secrets, secret_arn, token, step)


def seed_records(s3: Any, bucket: str, frame: pl.DataFrame) -> None:
    third = frame.height // 3
    parts = {"people/2025-01.csv": frame[:third], "people/2025-02.csv": frame[third : 2 * third]}
    for key, part in parts.items():
        s3.put_object(Bucket=bucket, Key=key, Body=part.write_csv().encode())
    buffer = io.BytesIO()
    frame[2 * third :].write_parquet(buffer)
    s3.put_object(Bucket=bucket, Key="people/2025-03.parquet", Body=buffer.getvalue())


def objects(s3: Any, bucket: str) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def run_handler(aws: dict[str, Any], run: str) -> tuple[pl.DataFrame, dict[str, Any]]:
    from datetime import datetime

    clients = {"s3": aws["s3"], "secretsmanager": aws["secretsmanager"]}
    (report,) = function.run_pipeline(clients, aws["env"], now=datetime.fromisoformat(run))
    assert report["status"] == "published", report
    stamp = report["run"]
    data = aws["s3"].get_object(Bucket=aws["env"]["TESTDATA_BUCKET"], Key=f"people/{stamp}.parquet")["Body"].read()
    stored = aws["s3"].get_object(Bucket=aws["env"]["AUDIT_BUCKET"], Key=f"deidentify-reports/people/{stamp}.json")
    assert json.loads(stored["Body"].read()) == report
    return pl.read_parquet(io.BytesIO(data)), report


def test_the_handler_publishes_k_anonymous_test_data_without_any_identifier(aws: dict[str, Any]) -> None:
    source = people(3000, seed=42)
    seed_records(aws["s3"], aws["env"]["RECORDS_BUCKET"], source)
    assert function.handler({"source": "schedule"}, None)["reports"][0]["records_in"] == 3000
    # Every records read named the access point, none the bucket (whose policy would deny it).
    records_reads = {b for b in aws["reads"] if b != aws["env"]["TESTDATA_BUCKET"] and b != aws["env"]["AUDIT_BUCKET"]}
    assert records_reads == {aws["env"]["RECORDS_ACCESS_POINT"]}

    output, report = run_handler(aws, "2026-01-02T03:04:05+00:00")
    schema = load_schema(ROOT / "governance" / "datasets", "people")
    # No direct identifier value of the input anywhere in the published objects.
    assert leaked_identifiers(source, output) == set()
    published = b"".join(objects(aws["s3"], aws["env"]["TESTDATA_BUCKET"]).values()).decode("latin-1").lower()
    for column in DIRECT_IDENTIFIERS:
        assert [v for v in source[column].cast(pl.String).to_list() if v.lower() in published] == []
    # k >= K, measured on the output itself.
    assert int(output.group_by(QUASI).len()["len"].min()) >= schema.k == 10  # type: ignore[arg-type]
    assert report["k_achieved"] >= schema.k and report["records_out"] == output.height
    # The linkage risk, measured again independently of the report, is within the schema's bound.
    generalised = source.with_columns(pl.col(c).cast(pl.String) for c in source.columns).select(
        generalise(spec, pl.String()) for spec in schema.fields if spec.name in QUASI
    )
    risk = measure_risk(generalised, output.select(QUASI), QUASI)
    assert risk.linkability_max <= schema.max_linkage_risk and risk.singling_out == 0.0
    assert report["risk"]["linkability_max"] == pytest.approx(risk.linkability_max)


def test_pseudonyms_are_stable_under_one_key_and_change_when_it_rotates(aws: dict[str, Any]) -> None:
    seed_records(aws["s3"], aws["env"]["RECORDS_BUCKET"], people(2000, seed=7))
    first, report_1 = run_handler(aws, "2026-01-01T00:00:00+00:00")
    again, report_2 = run_handler(aws, "2026-01-02T00:00:00+00:00")
    assert report_1["pseudonym_key_version"] == report_2["pseudonym_key_version"]
    assert sorted(first["patient_id"].to_list()) == sorted(again["patient_id"].to_list())
    rotate_key(aws["secretsmanager"], aws["env"]["SECRET_ARN"])
    rotated, report_3 = run_handler(aws, "2026-01-03T00:00:00+00:00")
    assert report_3["pseudonym_key_version"] != report_1["pseudonym_key_version"]
    assert set(rotated["patient_id"].to_list()).isdisjoint(first["patient_id"].to_list())
    assert set(rotated["email"].to_list()).isdisjoint(first["email"].to_list())


def test_an_unknown_column_fails_the_run_publishes_nothing_and_reports_why(aws: dict[str, Any]) -> None:
    frame = people(200).with_columns(pl.lit("x").alias("nhs_number"))
    aws["s3"].put_object(Bucket=aws["env"]["RECORDS_BUCKET"], Key="people/new.csv", Body=frame.write_csv().encode())
    with pytest.raises(RuntimeError, match="people: input column 'nhs_number' is not in dataset 'people'"):
        function.handler({}, None)
    assert objects(aws["s3"], aws["env"]["TESTDATA_BUCKET"]) == {}
    (report,) = [json.loads(v) for v in objects(aws["s3"], aws["env"]["AUDIT_BUCKET"]).values()]
    assert report["status"] == "failed" and "nhs_number" in report["error"]


def test_a_missing_environment_and_a_malformed_key_are_named(aws: dict[str, Any]) -> None:
    with pytest.raises(SchemaError, match="pipeline environment lacks DATASETS"):
        function.run_pipeline({}, {k: v for k, v in aws["env"].items() if k != "DATASETS"})
    aws["secretsmanager"].put_secret_value(SecretId=aws["env"]["SECRET_ARN"], SecretString="not hex")
    with pytest.raises(SchemaError, match="AWSCURRENT is not a hex key"):
        function.run_pipeline({"secretsmanager": aws["secretsmanager"]}, aws["env"])


def test_rotation_steps_refuse_an_unknown_version(aws: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="is not staged for rotation"):
        rotate(aws["secretsmanager"], aws["env"]["SECRET_ARN"], "no-such-token", "finishSecret")
    with pytest.raises(ValueError, match="unknown rotation step 'dance'"):
        rotate(aws["secretsmanager"], aws["env"]["SECRET_ARN"], str(uuid.uuid4()), "dance")
