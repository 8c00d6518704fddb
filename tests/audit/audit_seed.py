"""Seed the moto server over boto3, exactly as a real account would be configured.

Names say what each resource is: ``good-*`` is compliant for jurisdiction eu, anything else is a seeded
violation that a test expects to see as a FAIL.
"""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/replication"
ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def client(w: Any, service: str, region: str) -> Any:
    return w.session.client(service, region_name=region, endpoint_url=w.url)


def seed_world(w: Any) -> None:
    seed_kms(w)
    seed_s3(w)


def _key(w: Any, region: str, name: str, *, rotate: bool = True, multi_region: bool = False) -> str:
    kms = client(w, "kms", region)
    meta = kms.create_key(Description=name, MultiRegion=multi_region)["KeyMetadata"]
    if rotate:
        kms.enable_key_rotation(KeyId=meta["KeyId"])
    w.ids[name] = meta["Arn"]
    w.ids[f"{name}-id"] = meta["KeyId"]
    return str(meta["Arn"])


def seed_kms(w: Any) -> None:
    _key(w, "eu-west-1", "good-key-dublin")
    _key(w, "eu-central-1", "good-key-frankfurt")
    _key(w, "eu-central-1", "key-without-rotation", rotate=False)
    _key(w, "us-east-1", "key-in-virginia")
    _key(w, "eu-west-1", "key-multi-region", multi_region=True)
    replica = client(w, "kms", "eu-west-1").replicate_key(KeyId=w.ids["key-multi-region-id"], ReplicaRegion="us-east-1")
    w.ids["key-multi-region-replica"] = replica["ReplicaKeyMetadata"]["Arn"]


def _bucket(
    w: Any, name: str, region: str, *, key: str | None = None, blocked: bool = True, versioned: bool = False
) -> None:
    s3 = client(w, "s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    if key is not None:
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]
            },
        )
    if blocked:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=ALL_BLOCKED)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def _replicate(w: Any, source: str, region: str, destination: str) -> None:
    client(w, "s3", region).put_bucket_replication(
        Bucket=source,
        ReplicationConfiguration={
            "Role": ROLE,
            "Rules": [
                {
                    "ID": f"to-{destination}",
                    "Status": "Enabled",
                    "Priority": 1,
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{destination}"},
                }
            ],
        },
    )


def seed_s3(w: Any) -> None:
    dublin, frankfurt = w.ids["good-key-dublin"], w.ids["good-key-frankfurt"]
    _bucket(w, "good-bucket-dublin", "eu-west-1", key=dublin, versioned=True)
    _bucket(w, "good-bucket-frankfurt", "eu-central-1", key=frankfurt, versioned=True)
    # In-jurisdiction replication is allowed.
    _replicate(w, "good-bucket-dublin", "eu-west-1", "good-bucket-frankfurt")
    _bucket(w, "stray-bucket-virginia", "us-east-1", blocked=False)  # no encryption, no public access block
    _bucket(w, "stray-bucket-london", "eu-west-2", key="alias/aws/s3")
    _bucket(w, "replica-bucket-virginia", "us-east-1", key=w.ids["key-in-virginia"], versioned=True)
    _bucket(w, "replicating-bucket", "eu-west-1", key=dublin, versioned=True)
    _replicate(w, "replicating-bucket", "eu-west-1", "replica-bucket-virginia")
    _bucket(w, "replicating-to-unknown", "eu-west-1", key=dublin, versioned=True)
    _replicate(w, "replicating-to-unknown", "eu-west-1", "bucket-of-another-account")
    _bucket(w, "key-abroad-bucket", "eu-west-1", key=w.ids["key-in-virginia"])
    _bucket(w, "public-bucket", "eu-central-1", key=frankfurt, blocked=False)
