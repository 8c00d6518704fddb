"""The handlers run against moto's server (the tests.moto_world plugin starts it), in an account of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from enclave.continuous.settings import HandlerSettings
from residency.jurisdictions import default_catalogue


@pytest.fixture(autouse=True)
def _aws_env(aws_test_env: None) -> None:
    pass


# moto issues credentials for any role ARN: this account holds only what these tests seed.
ACCOUNT = "210987654321"


@dataclass
class Enclave:
    url: str
    session: Any
    settings: HandlerSettings
    ids: dict[str, str] = field(default_factory=dict)

    def client(self, service: str, region: str = "eu-west-1") -> Any:
        return self.session.client(service, region_name=region, endpoint_url=self.url)


def account_session(url: str, account: str = ACCOUNT) -> Any:
    sts = boto3.client(
        "sts", region_name="eu-west-1", endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    role = f"arn:aws:iam::{account}:role/enclave-eu-continuous-auditor"
    c = sts.assume_role(RoleArn=role, RoleSessionName="continuous-test")["Credentials"]
    return boto3.Session(
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
        region_name="eu-west-1",
    )


@pytest.fixture(scope="session")
def enclave(moto_url: str) -> Enclave:
    """An eu enclave account: the object-locked audit bucket and its key, a compliant records bucket, and a
    seeded violation (a bucket in eu-west-1 replicating to us-east-1, with no transfer assessment)."""
    session = account_session(moto_url)
    e = Enclave(moto_url, session, HandlerSettings(default_catalogue().get("eu"), "eu-west-1", endpoint_url=moto_url))
    kms = e.client("kms")
    key = kms.create_key(Description="audit")["KeyMetadata"]["Arn"]
    s3, s3_us = e.client("s3"), e.client("s3", "us-east-1")
    eu = {"CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}
    s3.create_bucket(Bucket="cont-audit-logs", ObjectLockEnabledForBucket=True, **eu)
    s3.put_object_lock_configuration(
        Bucket="cont-audit-logs",
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}},
        },
    )
    s3.create_bucket(Bucket="cont-records", **eu)
    s3.create_bucket(Bucket="cont-leaky", **eu)
    s3_us.create_bucket(Bucket="cont-copy-us")
    for bucket in ("cont-leaky", "cont-copy-us"):
        e.client("s3").put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(
        Bucket="cont-leaky",
        ReplicationConfiguration={
            "Role": f"arn:aws:iam::{ACCOUNT}:role/replication",
            "Rules": [
                {
                    "ID": "to-us",
                    "Status": "Enabled",
                    "Priority": 1,
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": "arn:aws:s3:::cont-copy-us"},
                }
            ],
        },
    )
    e.client("securityhub").enable_security_hub()
    e.ids["audit_key"] = key
    e.settings = HandlerSettings(
        e.settings.jurisdiction, "eu-west-1", "cont-audit-logs", key, True, endpoint_url=moto_url
    )
    return e
