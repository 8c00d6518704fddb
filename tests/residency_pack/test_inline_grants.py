"""Inline grants and destinations of types that also have a dedicated transfer rule are still searched.

A type whose catalogue entry has a dedicated vector (a bucket's replication, a secret's replicas, a replica
key's primary) had every named property left to that rule, also the ones the rule never reads: a bucket's
inline ``policy``, ``acl`` and ``grants``, its ``logging`` target, a secret's or a replica key's ``policy``.
A bucket policy granting another account passed unjudged when written inline on the bucket, and was judged
when written as a BucketPolicy. The dedicated rule keeps only what it reads (its ``out`` and ``in``
properties; the principals of a share, which are the share).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.residency_pack.cases import KEY_EU, SHARE_ACCOUNT, Res
from tests.residency_pack.direct import run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
FOREIGN = "arn:aws:iam::123456789012:root"


def _grant(principal: object) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _findings(case: list[Res], governance: Path, policy: str) -> set[str]:
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return {d.urn.rsplit("::", 1)[-1] for d in diags if d.level == "mandatory" and d.policy == policy}


def _bucket(**props: object) -> Res:
    return Res("aws:s3/bucket:Bucket", "records", {"bucket": "records", **props}, protect=True)


@pytest.mark.parametrize(
    "resource",
    [
        _bucket(policy=_grant({"AWS": FOREIGN})),
        _bucket(acl="public-read"),
        _bucket(grants=[{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}]),
        Res("aws:s3/bucketV2:BucketV2", "records", {"bucket": "records", "acl": "public-read"}, protect=True),
        Res("aws:secretsmanager/secret:Secret", "records", {"policy": _grant({"AWS": FOREIGN})}, protect=True),
        Res(
            "aws:kms/replicaKey:ReplicaKey",
            "records",
            {"primaryKeyArn": KEY_EU, "policy": _grant({"AWS": FOREIGN}), "enableKeyRotation": True},
            protect=True,
        ),
    ],
    ids=["bucket-policy", "bucket-acl", "bucket-grants", "bucketv2-acl", "secret-policy", "replica-key-policy"],
)
def test_an_inline_grant_to_another_account_or_anyone_blocks(resource: Res, governance: Path) -> None:
    assert _findings([resource], governance, "transfer-data-path") == {"records"}


def test_an_inline_grant_to_the_enclaves_own_account_passes(governance: Path) -> None:
    own = _bucket(policy=_grant({"AWS": "arn:aws:iam::111111111101:root"}))
    assert _findings([own], governance, "transfer-data-path") == set()


@pytest.mark.parametrize(
    "resource",
    [
        _bucket(logging={"targetBucket": "someone-elses-logs"}),
        Res("aws:s3/bucketV2:BucketV2", "records", {"bucket": "records", "loggings": [{"targetBucket": "x-logs"}]}),
    ],
    ids=["bucket", "bucketv2"],
)
def test_inline_access_logs_to_a_bucket_outside_the_program_block(resource: Res, governance: Path) -> None:
    assert _findings([resource], governance, "transfer-bucket-destination") == {"records"}


def test_a_snapshot_share_is_still_judged_by_its_own_rule_alone(governance: Path) -> None:
    # The share's principal is what transfer-ebs-snapshot-share judges (an assessment covers it); it is not
    # judged a second time as a resource policy.
    share = Res(
        "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
        "approved-share",  # the resource the assessment names
        {"snapshotId": "snap-1", "accountId": SHARE_ACCOUNT},
    )
    assert _findings([share], governance, "transfer-data-path") == set()
    assert _findings([share], governance, "transfer-ebs-snapshot-share") == set()


def test_a_snapshot_share_of_the_real_type_is_judged(governance: Path) -> None:
    # pulumi-aws registers it as aws:ec2/...; the pack's extractor named aws:ebs/..., a type that does not exist,
    # so a real share with any account was judged by no rule.
    share = Res(
        "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
        "share",
        {"snapshotId": "snap-1", "accountId": "123456789012"},
    )
    assert _findings([share], governance, "transfer-ebs-snapshot-share") == {"share"}
