"""Seed the newer transfer vectors moto emulates: Redshift snapshot copy, S3 Multi-Region Access Points,
CloudFront and AWS Config aggregators, and a Neptune cluster (which the RDS scanner places). Called by ``audit_seed.seed_world`` after the buckets exist.

DLM, ElastiCache global datastores, DocumentDB/Neptune global-cluster members and Security Hub finding
aggregators are not emulated by moto 5.2: test_audit_stubbed_vectors.py covers them with Stubber.
"""

from __future__ import annotations

from typing import Any

from botocore.config import Config

from adapters.aws_live.api import ClientFactory
from tests.enclave.audit.moto_seed import client


def seed_vectors(w: Any) -> None:
    seed_neptune(w)
    seed_redshift(w)
    seed_mrap(w)
    seed_cloudfront(w)
    seed_config(w)


def seed_neptune(w: Any) -> None:
    # RDS DescribeDBClusters lists Neptune clusters too: the RDS scanner places this stray.
    answer = client(w, "neptune", "us-east-1").create_db_cluster(
        DBClusterIdentifier="stray-graph-virginia", Engine="neptune"
    )
    w.ids["stray-graph-virginia"] = answer["DBCluster"]["DBClusterArn"]


def _cluster(w: Any, region: str, name: str, copy_to: str | None = None, key: str | None = None) -> None:
    redshift = client(w, "redshift", region)
    redshift.create_cluster(
        ClusterIdentifier=name,
        NodeType="dc2.large",
        ClusterType="single-node",
        MasterUsername="admin",
        MasterUserPassword="Password1",
        **({"Encrypted": True, "KmsKeyId": key} if key else {}),
    )
    if copy_to and key:
        # An encrypted cluster's copies are encrypted in the destination under a grant made there.
        client(w, "redshift", copy_to).create_snapshot_copy_grant(SnapshotCopyGrantName=f"{name}-grant")
        redshift.enable_snapshot_copy(
            ClusterIdentifier=name, DestinationRegion=copy_to, SnapshotCopyGrantName=f"{name}-grant"
        )
    elif copy_to:
        redshift.enable_snapshot_copy(ClusterIdentifier=name, DestinationRegion=copy_to)
    w.ids[name] = f"arn:aws:redshift:{region}:{w.account}:cluster:{name}"


def seed_redshift(w: Any) -> None:
    _cluster(w, "eu-west-1", "good-redshift", copy_to="eu-central-1", key=w.ids["good-key-dublin"])
    _cluster(w, "eu-central-1", "redshift-copying-to-virginia", copy_to="us-east-1")
    _cluster(w, "us-east-1", "stray-redshift-virginia")


def s3control(w: Any) -> Any:
    # The auditor's own factory: it lets S3 Control reach an emulator (see ClientFactory). Multi-Region
    # Access Points' control plane is in us-west-2.
    return ClientFactory(w.session, Config(), w.url).client("s3control", "us-west-2")


def _mrap(w: Any, name: str, buckets: list[str]) -> None:
    s3control(w).create_multi_region_access_point(
        AccountId=w.account, ClientToken=name, Details={"Name": name, "Regions": [{"Bucket": b} for b in buckets]}
    )


def seed_mrap(w: Any) -> None:
    _mrap(w, "good-mrap", ["good-bucket-dublin", "good-bucket-frankfurt"])
    _mrap(w, "mrap-with-virginia", ["good-bucket-dublin", "replica-bucket-virginia"])
    points = s3control(w).list_multi_region_access_points(AccountId=w.account)
    for point in points["AccessPoints"]:
        w.ids[point["Name"]] = f"arn:aws:s3::{w.account}:accesspoint/{point['Alias']}"


def seed_cloudfront(w: Any) -> None:
    origin = "good-bucket-dublin.s3.eu-west-1.amazonaws.com"
    config = {
        "CallerReference": "enclave-cdn",
        "Comment": "serves an enclave bucket worldwide",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [{"Id": "o1", "DomainName": origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "o1",
            "ViewerProtocolPolicy": "https-only",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    answer = client(w, "cloudfront", "us-east-1").create_distribution(DistributionConfig=config)
    w.ids["enclave-cdn"] = answer["Distribution"]["ARN"]


def _aggregator(w: Any, region: str, name: str, source: dict[str, Any]) -> None:
    answer = client(w, "config", region).put_configuration_aggregator(
        ConfigurationAggregatorName=name, AccountAggregationSources=[{"AccountIds": [w.account], **source}]
    )
    w.ids[name] = answer["ConfigurationAggregator"]["ConfigurationAggregatorArn"]


def seed_config(w: Any) -> None:
    # Inside the jurisdiction, collecting from everywhere: data flows in, which is allowed.
    _aggregator(w, "eu-west-1", "good-aggregator", {"AllAwsRegions": True})
    # Outside, collecting from Dublin: configuration data leaves the jurisdiction.
    _aggregator(w, "us-east-1", "aggregator-in-virginia", {"AwsRegions": ["eu-west-1"]})
