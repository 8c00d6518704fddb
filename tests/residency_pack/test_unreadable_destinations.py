"""Destinations the adapter cannot read are reported as unreadable (blocking), never skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from adapters.pulumi.resources import UNREADABLE, items
from tests.residency_pack.cases import Res
from tests.residency_pack.direct import Diag, mandatory, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"


def _run(case: list[Res], governance: Path) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance)}})


@pytest.mark.parametrize("value", ["us-east-1", '[{"region": "us-east-1"}]', 3, True])
def test_items_of_a_string_or_scalar_is_one_unreadable_element(value: Any) -> None:
    assert items(value) == [UNREADABLE]


def test_items_of_lists_objects_and_absence() -> None:
    assert items(None) == [] and items([1, 2]) == [1, 2] and items({"a": 1}) == [{"a": 1}]


@pytest.mark.parametrize(
    ("case", "policy"),
    [
        (
            [Res("aws:secretsmanager/secret:Secret", "s", {"replicas": '[{"region":"us-east-1"}]'})],
            "transfer-secrets-manager-replica",
        ),
        (
            [
                Res(
                    "aws:backup/plan:Plan",
                    "p",
                    {"rules": [{"copyActions": "arn:aws:backup:us-east-1:1:backup-vault:v"}]},
                )
            ],
            "transfer-backup-copy",
        ),
        (
            [Res("aws:backup/plan:Plan", "p", {"rules": "everything"})],
            "transfer-backup-copy",
        ),
        (
            [Res("aws:dynamodb/table:Table", "t", {"replicas": "us-east-1"})],
            "transfer-dynamodb-global-table",
        ),
        (
            [Res(REPLICATION, "rep", {"bucket": "src", "role": "r", "rules": [{"destination": {}}]})],
            "transfer-s3-replication",
        ),
        (
            [Res(REPLICATION, "rep", {"bucket": "src", "role": "r", "rules": [{"destination": {"bucket": None}}]})],
            "transfer-s3-replication",
        ),
        (
            [
                Res(
                    "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint",
                    "mrap",
                    {"details": {"name": "m", "regions": [{"bucketAccountId": "111122223333"}]}},
                )
            ],
            "transfer-s3-multi-region-access-point",
        ),
        (
            [Res("aws:redshift/cluster:Cluster", "rs", {"snapshotCopy": {"retentionPeriod": 7}})],
            "transfer-redshift-snapshot-copy",
        ),
        (
            [
                Res("aws:rds/instance:Instance", "db", {"kmsKeyId": "x"}),
                Res("aws:ec2/instance:Instance", "vm", {"ebsBlockDevices": "disk"}),
            ],
            "key-custody",
        ),
    ],
    ids=[
        "secret-replicas-str",
        "copy-actions-str",
        "backup-rules-str",
        "table-replicas-str",
        "rule-no-bucket",
        "rule-null-bucket",
        "mrap-entry-no-bucket",
        "redshift-copy-no-region",
        "ebs-devices-str",
    ],
)
def test_unreadable_destination_blocks(case: list[Res], policy: str, governance: Path) -> None:
    diags = mandatory(_run(case, governance), policy)
    assert diags, f"{policy} reported nothing"
    assert any("unreadable" in d.message or "unknown" in d.message or "cannot" in d.message for d in diags), diags


def test_readable_destinations_in_the_jurisdiction_pass(governance: Path) -> None:
    case = [
        Res("aws:secretsmanager/secret:Secret", "s", {"replicas": [{"region": "eu-central-1"}]}),
        Res("aws:redshift/cluster:Cluster", "rs", {"snapshotCopy": {"destinationRegion": "eu-central-1"}}),
        Res("aws:dynamodb/table:Table", "t", {"replicas": [{"regionName": "eu-west-3"}]}),
    ]
    diags = _run(case, governance)
    assert not [d for d in diags if d.policy.startswith("transfer-") and d.level == "mandatory"], diags


def _replication_with_unknown_destination(rule_deps: list[str]) -> list[Res]:
    return [
        Res("aws:s3/bucket:Bucket", "source", {"bucket": "source"}),
        Res("aws:s3/bucket:Bucket", "replica", {"bucket": "replica"}),
        Res("aws:ssm/parameter:Parameter", "external-name", {"type": "String", "value": "x"}),
        Res(
            REPLICATION,
            "replication",
            {
                "bucket": "source",
                "role": "r",
                "rules": [{"status": "Enabled", "destination": {"bucket": UNKNOWN_STRING_VALUE}}],
            },
            deps={"bucket": ["source"], "rules": rule_deps},
        ),
    ]


def test_unknown_destination_depending_only_on_a_program_bucket_is_resolved(governance: Path) -> None:
    diags = [
        d
        for d in _run(_replication_with_unknown_destination(["replica"]), governance)
        if d.policy == "transfer-s3-replication"
    ]
    assert diags == []  # the replica bucket is in eu-west-1: resolved and passing, not deferred


def test_unknown_destination_with_any_other_dependency_blocks_at_preview(governance: Path) -> None:
    case = _replication_with_unknown_destination(["replica", "external-name"])
    diags = [d for d in _run(case, governance) if d.policy == "transfer-s3-replication"]
    assert [d.level for d in diags] == ["mandatory"] and "cannot be judged during preview" in diags[0].message, diags
