"""The newer vectors moto 5.2 cannot emulate, with botocore's Stubber on the scanners' own clients: DLM
cross-region copies, ElastiCache global datastores, DocumentDB/Neptune global clusters, Security Hub
finding aggregators, paginated Multi-Region Access Points and an unreadable account-level S3 block.

Api refuses any operation its scanner does not list, so every call stubbed here is also proven to be in
the generated IAM policy."""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

from tests.adapters.aws_live.test_scanners_stubbed import ACCOUNT, judged, scan, stubbed

OUTPOST = f"arn:aws:outposts:us-west-2:{ACCOUNT}:outpost/op-0123456789abcdef0"


def _dlm_policy(policy_id: str, details: dict[str, Any]) -> dict[str, Any]:
    arn = f"arn:aws:dlm:eu-west-1:{ACCOUNT}:policy/{policy_id}"
    return {"Policy": {"PolicyId": policy_id, "PolicyArn": arn, "State": "ENABLED", "PolicyDetails": details}}


def test_dlm_copies_to_regions_and_outposts_are_judged() -> None:
    api, stub, failures = stubbed("dlm")
    stub.add_response("get_lifecycle_policies", {"Policies": [{"PolicyId": "policy-1"}, {"PolicyId": "policy-2"}]})
    schedules = {
        "Schedules": [
            {
                "Name": "daily",
                "CrossRegionCopyRules": [
                    {"TargetRegion": "eu-central-1", "Encrypted": True},
                    {"Target": "us-east-1", "Encrypted": True},
                ],
            }
        ]
    }
    stub.add_response("get_lifecycle_policy", _dlm_policy("policy-1", schedules), {"PolicyId": "policy-1"})
    event_copy = {
        "Actions": [
            {"Name": "copy", "CrossRegionCopy": [{"Target": OUTPOST, "EncryptionConfiguration": {"Encrypted": True}}]}
        ]
    }
    event_copy["CrossRegionCopyTargets"] = [{"TargetRegion": "eu-north-1"}]  # a default policy's form
    stub.add_response("get_lifecycle_policy", _dlm_policy("policy-2", event_copy), {"PolicyId": "policy-2"})
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    one, two = (f"arn:aws:dlm:eu-west-1:{ACCOUNT}:policy/policy-{n}" for n in (1, 2))
    assert judged(facts) == {
        ("residency-location", "PASS", one, "eu-west-1"),
        ("residency-location", "PASS", two, "eu-west-1"),
        ("transfer-dlm-cross-region-copy", "PASS", one, "eu-central-1"),
        ("transfer-dlm-cross-region-copy", "FAIL", one, "us-east-1"),
        ("transfer-dlm-cross-region-copy", "FAIL", two, "us-west-2"),
        ("transfer-dlm-cross-region-copy", "PASS", two, "eu-north-1"),
    }


def test_dlm_policy_access_denied_is_a_named_error() -> None:
    api, stub, failures = stubbed("dlm")
    stub.add_response("get_lifecycle_policies", {"Policies": [{"PolicyId": "policy-1"}]})
    stub.add_client_error("get_lifecycle_policy", "AccessDeniedException", "not authorized", http_status_code=403)
    assert scan(api) == []
    [failure] = failures.items()
    assert (failure.rule, failure.permission, failure.resource) == (
        "transfer-dlm-cross-region-copy",
        "dlm:GetLifecyclePolicy",
        f"arn:aws:dlm:eu-west-1:{ACCOUNT}:policy/policy-1",
    )
    assert failure.message.endswith("missing IAM permission dlm:GetLifecyclePolicy")


def test_elasticache_global_datastore_secondaries_are_judged() -> None:
    api, stub, failures = stubbed("elasticache")
    arn = f"arn:aws:elasticache::{ACCOUNT}:globalreplicationgroup:ldgnf-sessions"
    members = [
        {"ReplicationGroupId": "sessions-dublin", "ReplicationGroupRegion": "eu-west-1", "Role": "PRIMARY"},
        {"ReplicationGroupId": "sessions-frankfurt", "ReplicationGroupRegion": "eu-central-1", "Role": "SECONDARY"},
        {"ReplicationGroupId": "sessions-virginia", "ReplicationGroupRegion": "us-east-1", "Role": "secondary"},
    ]
    stub.add_response(
        "describe_global_replication_groups",
        {"GlobalReplicationGroups": [{"GlobalReplicationGroupId": "ldgnf-sessions", "ARN": arn, "Members": members}]},
        {"ShowMemberInfo": True},
    )
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    assert judged(facts) == {
        ("transfer-elasticache-global-datastore", "PASS", arn, "eu-central-1"),
        ("transfer-elasticache-global-datastore", "FAIL", arn, "us-east-1"),
    }


def _global_cluster(engine: str, name: str, reader_region: str) -> dict[str, Any]:
    return {
        "GlobalClusterIdentifier": name,
        "GlobalClusterArn": f"arn:aws:rds::{ACCOUNT}:global-cluster:{name}",
        "Engine": engine,
        "GlobalClusterMembers": [
            {"DBClusterArn": f"arn:aws:rds:eu-west-1:{ACCOUNT}:cluster:{name}-writer", "IsWriter": True},
            {"DBClusterArn": f"arn:aws:rds:{reader_region}:{ACCOUNT}:cluster:{name}-reader", "IsWriter": False},
        ],
    }


def test_docdb_and_neptune_global_clusters_have_their_own_rules() -> None:
    for service, rule, reader_region, status in (
        ("docdb", "transfer-docdb-global-cluster", "us-east-1", "FAIL"),
        ("neptune", "transfer-neptune-global-cluster", "eu-central-1", "PASS"),
    ):
        api, stub, failures = stubbed(service)
        cluster = _global_cluster(service, f"{service}-global", reader_region)
        stub.add_response("describe_global_clusters", {"GlobalClusters": [cluster]})
        facts = scan(api)
        stub.assert_no_pending_responses()
        assert failures.items() == []
        assert judged(facts) == {(rule, status, cluster["GlobalClusterArn"], reader_region)}


def test_the_rds_scanner_leaves_docdb_and_neptune_global_clusters_to_their_scanners() -> None:
    api, stub, failures = stubbed("rds")
    aurora = _global_cluster("aurora-postgresql", "aurora-global", "us-east-1")
    stub.add_response("describe_db_instances", {"DBInstances": []})
    stub.add_response("describe_db_clusters", {"DBClusters": []})
    stub.add_response(
        "describe_global_clusters",
        {
            "GlobalClusters": [
                aurora,
                _global_cluster("neptune", "graph", "us-east-1"),
                _global_cluster("docdb", "docs", "us-east-1"),
            ]
        },
    )
    stub.add_response("describe_db_instance_automated_backups", {"DBInstanceAutomatedBackups": []})
    facts = scan(api)
    stub.assert_no_pending_responses()
    assert failures.items() == []
    assert judged(facts) == {("transfer-aurora-global-database", "FAIL", aurora["GlobalClusterArn"], "us-east-1")}


def _aggregator_arn(region: str) -> str:
    return f"arn:aws:securityhub:{region}:{ACCOUNT}:finding-aggregator/0a1b2c3d"


def _security_hub(region: str, mode: str, regions: list[str]) -> tuple[Any, Any]:
    # Listed from Frankfurt; read where it lives, the aggregation region (another client).
    api, stub, failures = stubbed("securityhub", region="eu-central-1")
    arn = _aggregator_arn(region)
    home = Stubber(api.in_region(region).client)
    home.activate()
    stub.add_response("list_finding_aggregators", {"FindingAggregators": [{"FindingAggregatorArn": arn}]})
    answer = {
        "FindingAggregatorArn": arn,
        "FindingAggregationRegion": region,
        "RegionLinkingMode": mode,
        **({"Regions": regions} if regions else {}),
    }
    home.add_response("get_finding_aggregator", answer, {"FindingAggregatorArn": arn})
    facts = scan(api)
    stub.assert_no_pending_responses()
    home.assert_no_pending_responses()
    assert failures.items() == []
    return facts, judged(facts)


def test_security_hub_aggregation_out_of_the_jurisdiction_is_a_fail() -> None:
    _, found = _security_hub("us-east-1", "ALL_REGIONS", [])
    assert found == {
        ("residency-location", "FAIL", _aggregator_arn("us-east-1"), "us-east-1"),
        ("transfer-security-hub-aggregator", "FAIL", _aggregator_arn("us-east-1"), "us-east-1"),
    }


def test_security_hub_aggregation_into_the_jurisdiction_passes() -> None:
    facts, found = _security_hub("eu-west-1", "SPECIFIED_REGIONS", ["eu-central-1"])
    assert found == {
        ("residency-location", "PASS", _aggregator_arn("eu-west-1"), "eu-west-1"),
        ("transfer-security-hub-aggregator", "PASS", _aggregator_arn("eu-west-1"), "eu-west-1"),
    }
    assert facts[1].destination.description == "Security Hub finding aggregator (collects from eu-central-1)"


def test_security_hub_linking_no_regions_moves_nothing() -> None:
    _, found = _security_hub("us-east-1", "NO_REGIONS", [])
    assert found == {("residency-location", "FAIL", _aggregator_arn("us-east-1"), "us-east-1")}


def test_security_hub_not_enabled_in_a_region_is_no_aggregator_and_no_error() -> None:
    api, stub, failures = stubbed("securityhub")
    stub.add_client_error("list_finding_aggregators", "InvalidAccessException", "not subscribed", http_status_code=401)
    assert scan(api) == []
    stub.assert_no_pending_responses()
    assert failures.items() == []


def test_mrap_pages_are_followed_and_a_foreign_bucket_keeps_its_reported_region() -> None:
    api, stub, failures = stubbed("mrap", region="us-west-2")
    s3 = Stubber(api.using("s3", "us-east-1").client)
    s3.activate()

    def point(name: str, bucket: str, region: str) -> dict[str, Any]:
        return {"Name": name, "Alias": f"{name}.mrap", "Regions": [{"Bucket": bucket, "Region": region}]}

    stub.add_response(
        "list_multi_region_access_points",
        {"AccessPoints": [point("first", "own-bucket", "us-east-1")], "NextToken": "page-2"},
        {"AccountId": ACCOUNT},
    )
    stub.add_response(
        "list_multi_region_access_points",
        {"AccessPoints": [point("second", "their-bucket", "eu-central-1")]},
        {"AccountId": ACCOUNT, "NextToken": "page-2"},
    )
    # The bucket's own answer wins over the access point's; a bucket of another account cannot be read.
    s3.add_response("get_bucket_location", {"LocationConstraint": "eu-west-1"}, {"Bucket": "own-bucket"})
    s3.add_client_error("get_bucket_location", "AccessDenied", "Access Denied", http_status_code=403)
    facts = scan(api)
    stub.assert_no_pending_responses()
    s3.assert_no_pending_responses()
    assert failures.items() == []
    assert judged(facts) == {
        ("transfer-s3-multi-region-access-point", "PASS", f"arn:aws:s3::{ACCOUNT}:accesspoint/first.mrap", "eu-west-1"),
        (
            "transfer-s3-multi-region-access-point",
            "PASS",
            f"arn:aws:s3::{ACCOUNT}:accesspoint/second.mrap",
            "eu-central-1",
        ),
    }


def test_an_unreadable_account_block_is_a_named_error_and_never_a_pass() -> None:
    api, stub, failures = stubbed("s3")
    control = Stubber(api.using("s3control").client)
    control.activate()
    stub.add_response("list_buckets", {"Buckets": [{"Name": "open-bucket"}]})
    control.add_client_error("get_public_access_block", "AccessDenied", "Access Denied", http_status_code=403)
    [item] = api.scanner.discover(api)
    control.assert_no_pending_responses()
    [failure] = failures.items()
    assert (failure.service, failure.rule, failure.permission) == (
        "s3control",
        "s3-public-access-blocked",
        "s3:GetAccountPublicAccessBlock",
    )
    assert failure.message == (
        "s3control GetPublicAccessBlock in eu-west-1 failed (AccessDenied: Access Denied); "
        "missing IAM permission s3:GetAccountPublicAccessBlock"
    )
    # The bucket has no block of its own: whether the account's covers it cannot be known (UNKNOWN).
    stub.add_response("get_bucket_location", {"LocationConstraint": "eu-west-1"}, {"Bucket": "open-bucket"})
    stub.add_response(
        "get_bucket_encryption", {"ServerSideEncryptionConfiguration": {"Rules": []}}, {"Bucket": "open-bucket"}
    )
    stub.add_client_error(
        "get_bucket_replication", "ReplicationConfigurationNotFoundError", "none", http_status_code=404
    )
    stub.add_client_error(
        "get_public_access_block", "NoSuchPublicAccessBlockConfiguration", "none", http_status_code=404
    )
    facts = list(api.scanner.inspect(api, item))
    stub.assert_no_pending_responses()
    assert ("s3-public-access-blocked", "UNKNOWN", "arn:aws:s3:::open-bucket", "eu-west-1") in judged(facts)
