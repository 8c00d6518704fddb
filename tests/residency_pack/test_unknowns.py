"""Values unknown during preview: what the pack cannot decide at preview blocks at preview (mandatory), naming
the unknown input; values resolved through property dependencies and known values are judged."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from residency.finding_wire import decode
from tests.residency_pack.cases import KEY_EU, KEY_US, Res
from tests.residency_pack.direct import Diag, mandatory, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")


def _run(case: list[Res], governance: Path) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance)}})


def _unknown(diags: list[Diag], policy: str) -> list[str | None]:
    """The unknown input each of ``policy``'s mandatory findings names (decoded, not parsed from prose)."""
    found = [decode(d.message) for d in diags if d.policy == policy and d.level == "mandatory"]
    return [f.unknown if f is not None else None for f in found]


def test_unknown_region_blocks_in_preview_and_is_named(governance: Path) -> None:
    diags = _run([Res("aws:s3/bucket:Bucket", "data", {"region": UNKNOWN_STRING_VALUE})], governance)
    location = [d for d in diags if d.policy == "residency-location"]
    assert [d.level for d in location] == ["mandatory"] and _unknown(diags, "residency-location") == [".region"]
    assert "region unknown during preview (.region)" in location[0].message
    assert not [d for d in diags if d.level == "advisory" and "can't run policy" in d.message]


def test_unknown_replication_destination_resolves_through_property_dependencies(governance: Path) -> None:
    source = Res("aws:s3/bucket:Bucket", "source", {"bucket": "source"})
    replica = Res("aws:s3/bucket:Bucket", "replica", {"region": "us-east-1"})
    replication = Res(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "replication",
        {
            "bucket": "source",
            "role": "r",
            "rules": [{"status": "Enabled", "destination": {"bucket": UNKNOWN_STRING_VALUE}}],
        },
        deps={"bucket": ["source"], "rules": ["replica"]},
    )
    diags = mandatory(_run([source, replica, replication], governance), "transfer-s3-replication")
    assert diags and "us-east-1" in diags[0].message and diags[0].urn == replication.urn


def test_unresolvable_unknown_destination_blocks_at_preview(governance: Path) -> None:
    replication = Res(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "replication",
        {
            "bucket": "source",
            "role": "r",
            "rules": [{"status": "Enabled", "destination": {"bucket": UNKNOWN_STRING_VALUE}}],
        },
    )
    diags = _run([replication], governance)
    assert _unknown(diags, "transfer-s3-replication") == [".rules.0.destination.bucket"]


def _log_group_with_key_from(key_region: str | None) -> list[Res]:
    key_props = {"enableKeyRotation": True, **({"region": key_region} if key_region else {})}
    return [
        Res("aws:kms/key:Key", "logs-key", key_props),
        Res(
            "aws:cloudwatch/logGroup:LogGroup",
            "logs",
            {"kmsKeyId": UNKNOWN_STRING_VALUE},
            deps={"kmsKeyId": ["logs-key"]},
        ),
    ]


def test_unknown_key_arn_is_judged_by_the_key_it_depends_on(governance: Path) -> None:
    diags = _run(_log_group_with_key_from("us-east-1"), governance)
    custody = [d for d in diags if d.policy == "key-custody"]
    assert [d.level for d in custody] == ["mandatory"], custody
    assert "logs-key held in us-east-1" in custody[0].message and custody[0].urn.endswith("::logs")


def test_unknown_key_arn_of_an_in_jurisdiction_key_passes_in_preview(governance: Path) -> None:
    assert not [d for d in _run(_log_group_with_key_from(None), governance) if d.policy == "key-custody"]


def test_unknown_key_arn_without_a_program_key_blocks_at_preview(governance: Path) -> None:
    case = [Res("aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": UNKNOWN_STRING_VALUE})]
    assert _unknown(_run(case, governance), "key-custody") == [".kmsKeyId"]


def _database_with(kms_key_id: str, pi_deps: list[str]) -> list[Res]:
    return [
        Res("aws:kms/key:Key", "db-key", {"enableKeyRotation": True}),
        Res("aws:sns/topic:Topic", "other", {}),
        Res(
            "aws:rds/instance:Instance",
            "db",
            {"kmsKeyId": kms_key_id, "performanceInsightsKmsKeyId": UNKNOWN_STRING_VALUE},
            deps={"performanceInsightsKmsKeyId": pi_deps},
        ),
    ]


def test_known_foreign_key_is_judged_when_another_key_of_the_resource_is_unknown(governance: Path) -> None:
    diags = _run(_database_with(KEY_US, ["db-key"]), governance)
    custody = [d for d in diags if d.policy == "key-custody"]
    assert [d.level for d in custody] == ["mandatory"], custody
    assert KEY_US in custody[0].message and custody[0].urn.endswith("::db")


def test_known_home_key_with_a_resolved_unknown_key_passes_in_preview(governance: Path) -> None:
    assert not [d for d in _run(_database_with(KEY_EU, ["db-key"]), governance) if d.policy == "key-custody"]


def test_unknown_key_depending_on_more_than_a_program_key_blocks_at_preview(governance: Path) -> None:
    diags = _run(_database_with(KEY_EU, ["db-key", "other"]), governance)
    assert _unknown(diags, "key-custody") == [".performanceInsightsKmsKeyId"]


def test_known_replica_key_is_not_lost_when_the_table_key_is_unknown(governance: Path) -> None:
    # The table's own key resolves to a program key; the replica's known foreign key must still be judged.
    case = [
        Res("aws:kms/key:Key", "table-key", {"enableKeyRotation": True}),
        Res(
            "aws:dynamodb/table:Table",
            "table",
            {
                "serverSideEncryption": {"enabled": True, "kmsKeyArn": UNKNOWN_STRING_VALUE},
                "replicas": [{"regionName": "us-east-1", "kmsKeyArn": KEY_US}],
            },
            deps={"serverSideEncryption": ["table-key"]},
        ),
    ]
    custody = mandatory(_run(case, governance), "key-custody")
    assert custody and any("us-east-1" in d.message for d in custody), custody


def _flow_log(traffic: str) -> list[Res]:
    vpc = Res("aws:ec2/vpc:Vpc", "net", {"cidrBlock": "10.0.0.0/16"})
    # Its destination: a log group of the program, whose ARN is unknown until it exists too (resolved through
    # the program: adapters.pulumi.preview_references).
    logs = Res("aws:cloudwatch/logGroup:LogGroup", "net-logs", {"retentionInDays": 365})
    log = Res(
        "aws:ec2/flowLog:FlowLog",
        "net-flow-log",
        {"vpcId": UNKNOWN_STRING_VALUE, "trafficType": traffic, "logDestination": UNKNOWN_STRING_VALUE},
        deps={"vpcId": ["net"], "logDestination": ["net-logs"]},
    )
    return [vpc, logs, log]


def test_a_flow_log_on_a_vpc_unknown_at_preview_is_judged(governance: Path) -> None:
    # The VPC's id is unknown until the VPC exists; the stack policies must still decide, not leave it
    # to the engine's advisory "can't run policy".
    diags = _run(_flow_log("ALL"), governance)
    assert not [d for d in diags if "can't run policy" in d.message], diags
    assert mandatory(diags, "vpc-flow-logs") == []
    rejected = mandatory(_run(_flow_log("REJECT"), governance), "vpc-flow-logs")
    assert len(rejected) == 1 and "trafficType is REJECT" in rejected[0].message


def test_a_flow_log_traffic_type_unknown_at_preview_blocks(governance: Path) -> None:
    assert ".trafficType" in _unknown(_run(_flow_log(UNKNOWN_STRING_VALUE), governance), "vpc-flow-logs")
