"""Vectors moto 5.2 cannot emulate, tested with botocore's Stubber on the scanners' own clients:
DynamoDB global-table replicas, RDS automated-backup replication, EFS replication."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.stub import Stubber

from adapters.aws_live import SCANNERS
from adapters.aws_live.api import Api, ClientFactory, FailureLog, client_config
from residency.jurisdictions import default_catalogue
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.rules import Context, evaluate
from tests.moto_world import make_session

ACCOUNT = "123456789012"


def stubbed(service: str, region: str = "eu-west-1") -> tuple[Api, Stubber, FailureLog]:
    failures = FailureLog()
    api = Api(SCANNERS[service], region, ClientFactory(make_session(), client_config(1, 1, 1)), failures, ACCOUNT)
    stub = Stubber(api.client)
    stub.activate()
    return api, stub, failures


def scan(api: Api) -> list[Fact]:
    return [fact for item in api.scanner.discover(api) for fact in api.scanner.inspect(api, item)]


def judged(facts: list[Fact]) -> set[tuple[str, str, str, str | None]]:
    catalogue = default_catalogue()
    ctx = Context(jurisdiction=catalogue.get("eu"), catalogue=catalogue)
    return {(f.rule, str(f.status), f.resource, f.region) for f in evaluate(facts, ctx)}


def test_dynamodb_global_table_replica_outside_is_a_fail() -> None:
    api, stub, failures = stubbed("dynamodb")
    arn = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/orders"
    stub.add_response("list_tables", {"TableNames": ["orders"]})
    stub.add_response(
        "describe_table",
        {
            "Table": {
                "TableName": "orders",
                "TableArn": arn,
                "Replicas": [{"RegionName": "eu-west-1"}, {"RegionName": "eu-central-1"}, {"RegionName": "us-east-1"}],
            }
        },
        {"TableName": "orders"},
    )
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    assert judged(facts) == {
        ("residency-location", "PASS", arn, "eu-west-1"),
        ("transfer-dynamodb-global-table", "PASS", arn, "eu-central-1"),
        ("transfer-dynamodb-global-table", "FAIL", arn, "us-east-1"),
    }


def test_rds_automated_backup_replication_outside_is_a_fail() -> None:
    api, stub, failures = stubbed("rds")
    source = f"arn:aws:rds:eu-west-1:{ACCOUNT}:db:orders"
    target = f"arn:aws:rds:us-east-1:{ACCOUNT}:auto-backup:ab-123"
    stub.add_response("describe_db_instances", {"DBInstances": []})
    stub.add_response("describe_db_clusters", {"DBClusters": []})
    stub.add_response("describe_global_clusters", {"GlobalClusters": []})
    stub.add_response(
        "describe_db_instance_automated_backups",
        {
            "DBInstanceAutomatedBackups": [
                {
                    "DBInstanceArn": source,
                    "Region": "eu-west-1",
                    "DBInstanceAutomatedBackupsReplications": [{"DBInstanceAutomatedBackupsArn": target}],
                }
            ]
        },
    )
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    assert facts == [
        Transfer(
            Vector.RDS_BACKUP_REPLICATION,
            source,
            "AWS::RDS::DBInstance",
            "eu-west-1",
            Destination(f"replicated automated backups {target}", "us-east-1"),
        )
    ]
    assert judged(facts) == {("transfer-rds-backup-replication", "FAIL", source, "us-east-1")}


def _replication(source_region: str, dest_region: str, fs: str) -> dict[str, Any]:
    arn = f"arn:aws:elasticfilesystem:{source_region}:{ACCOUNT}:file-system/{fs}"
    return {
        "SourceFileSystemId": fs,
        "SourceFileSystemRegion": source_region,
        "SourceFileSystemArn": arn,
        "OriginalSourceFileSystemArn": arn,
        "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
        "Destinations": [{"Status": "ENABLED", "FileSystemId": "fs-dest", "Region": dest_region}],
    }


def test_efs_replication_outside_is_a_fail_and_inside_passes() -> None:
    api, stub, failures = stubbed("efs")
    fs_arn = f"arn:aws:elasticfilesystem:eu-west-1:{ACCOUNT}:file-system/fs-1"
    stub.add_response(
        "describe_file_systems",
        {
            "FileSystems": [
                {
                    "FileSystemId": "fs-1",
                    "FileSystemArn": fs_arn,
                    "OwnerId": ACCOUNT,
                    "CreationToken": "t",
                    "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
                    "LifeCycleState": "available",
                    "NumberOfMountTargets": 0,
                    "SizeInBytes": {"Value": 0},
                    "PerformanceMode": "generalPurpose",
                    "Tags": [],
                    "Encrypted": True,
                    "KmsKeyId": f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/k",
                }
            ]
        },
    )
    stub.add_response(
        "describe_replication_configurations",
        {
            "Replications": [
                _replication("eu-west-1", "us-east-1", "fs-1"),
                _replication("eu-west-1", "eu-central-1", "fs-2"),
                # Listed here as a destination of another region's replication: judged from its source.
                _replication("eu-north-1", "eu-west-1", "fs-3"),
            ]
        },
    )
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    fs2 = f"arn:aws:elasticfilesystem:eu-west-1:{ACCOUNT}:file-system/fs-2"
    assert judged(facts) == {
        ("residency-location", "PASS", fs_arn, "eu-west-1"),
        ("key-custody", "PASS", fs_arn, "eu-west-1"),
        ("transfer-efs-replication", "FAIL", fs_arn, "us-east-1"),
        ("transfer-efs-replication", "PASS", fs2, "eu-central-1"),
    }


def test_s3_location_quirks() -> None:
    from adapters.aws_live.s3 import normalise_location

    assert normalise_location(None) == "us-east-1"
    assert normalise_location("") == "us-east-1"
    assert normalise_location("EU") == "eu-west-1"
    assert normalise_location("eu-central-1") == "eu-central-1"


def test_legacy_eu_location_places_the_bucket_in_dublin() -> None:
    api, stub, failures = stubbed("s3")
    stub.add_response("get_bucket_location", {"LocationConstraint": "EU"}, {"Bucket": "old-bucket"})
    # The bucket's own region is the Api's region here, so the same (cached, stubbed) client answers.
    assert api.in_region("eu-west-1").client is api.client
    for method, code in (
        ("get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError"),
        ("get_bucket_replication", "ReplicationConfigurationNotFoundError"),
        ("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
    ):
        stub.add_client_error(method, code, "not configured", http_status_code=404)
    facts = list(SCANNERS["s3"].inspect(api, ("old-bucket", "open", None)))
    stub.assert_no_pending_responses()
    assert failures.items() == []
    arn = "arn:aws:s3:::old-bucket"
    assert judged(facts) == {
        ("residency-location", "PASS", arn, "eu-west-1"),
        ("s3-encryption-kms", "FAIL", arn, "eu-west-1"),
        ("s3-public-access-blocked", "FAIL", arn, "eu-west-1"),
    }


def test_s3_region_from_list_buckets_needs_no_get_bucket_location() -> None:
    """ListBuckets is paginated with MaxBuckets, so AWS returns each bucket's region: a bucket with a
    BucketRegion costs no GetBucketLocation; one without it (an endpoint that omits it) still gets one."""
    api, stub, failures = stubbed("s3", region="us-east-1")
    control = Stubber(api.using("s3control").client)
    control.activate()
    stub.add_response(
        "list_buckets",
        {"Buckets": [{"Name": "listed", "BucketRegion": "us-east-1"}], "ContinuationToken": "page-2"},
        {"MaxBuckets": 10_000},
    )
    stub.add_response(
        "list_buckets", {"Buckets": [{"Name": "unlisted"}]}, {"MaxBuckets": 10_000, "ContinuationToken": "page-2"}
    )
    control.add_response("get_public_access_block", {"PublicAccessBlockConfiguration": {}}, {"AccountId": ACCOUNT})
    items = api.scanner.discover(api)
    assert items == [("listed", "open", "us-east-1"), ("unlisted", "open", None)]
    # Both buckets are in the Api's own region, so the same (cached, stubbed) client answers.
    assert api.in_region("us-east-1").client is api.client
    facts = _inspect_unconfigured(api, stub, items[0])
    stub.assert_no_pending_responses()  # the listed region was used: no GetBucketLocation
    stub.add_response("get_bucket_location", {}, {"Bucket": "unlisted"})  # no constraint: us-east-1
    facts += _inspect_unconfigured(api, stub, items[1])
    stub.assert_no_pending_responses()
    control.assert_no_pending_responses()
    assert failures.items() == []
    assert {(f.resource, f.region) for f in facts if isinstance(f, Placement)} == {
        ("arn:aws:s3:::listed", "us-east-1"),
        ("arn:aws:s3:::unlisted", "us-east-1"),
    }


def _inspect_unconfigured(api: Api, stub: Stubber, item: Any) -> list[Fact]:
    for method, code in (
        ("get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError"),
        ("get_bucket_replication", "ReplicationConfigurationNotFoundError"),
        ("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
    ):
        stub.add_client_error(method, code, "not configured", http_status_code=404)
    return list(SCANNERS["s3"].inspect(api, item))
