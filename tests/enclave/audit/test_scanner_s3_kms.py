"""S3 and KMS against the moto server: every seeded violation is found, compliant resources pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.moto_world import audit, outcomes


@pytest.fixture(scope="module")
def report(world: Any) -> Any:
    return audit(world, ("s3", "kms"))


def bucket(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def test_s3_and_kms_violations_are_exactly_the_seeded_ones(world: Any, report: Any) -> None:
    ids = world.ids
    assert outcomes(report, "ERROR") == set()
    assert outcomes(report, "FAIL") == {
        ("residency-location", bucket("stray-bucket-virginia"), "us-east-1"),
        ("residency-location", bucket("stray-bucket-london"), "eu-west-2"),
        ("residency-location", bucket("replica-bucket-virginia"), "us-east-1"),
        ("residency-location", ids["key-in-virginia"], "us-east-1"),
        ("residency-location", ids["key-multi-region-replica"], "us-east-1"),
        ("s3-encryption-kms", bucket("stray-bucket-virginia"), "us-east-1"),
        ("s3-encryption-kms", bucket("stray-bucket-london"), "eu-west-2"),
        ("s3-public-access-blocked", bucket("stray-bucket-virginia"), "us-east-1"),
        ("s3-public-access-blocked", bucket("public-bucket"), "eu-central-1"),
        ("key-custody", bucket("replica-bucket-virginia"), "us-east-1"),
        ("key-custody", bucket("key-abroad-bucket"), "us-east-1"),
        ("transfer-s3-replication", bucket("replicating-bucket"), "us-east-1"),
        ("transfer-s3-replication", bucket("replicating-to-unknown"), None),
        ("transfer-kms-multi-region-key", ids["key-multi-region"], "us-east-1"),
        ("kms-key-rotation", ids["key-without-rotation"], "eu-central-1"),
    }


def test_compliant_buckets_and_keys_pass_every_rule(world: Any, report: Any) -> None:
    good = {
        bucket("good-bucket-dublin"),
        bucket("good-bucket-frankfurt"),
        world.ids["good-key-dublin"],
        world.ids["good-key-frankfurt"],
    }
    judged = [f for f in report.findings if f.resource in good]
    assert {f.status for f in judged} == {"PASS"}
    assert {(f.rule, f.resource) for f in judged} >= {
        ("residency-location", bucket("good-bucket-dublin")),
        ("key-custody", bucket("good-bucket-dublin")),
        ("s3-encryption-kms", bucket("good-bucket-dublin")),
        ("s3-public-access-blocked", bucket("good-bucket-dublin")),
        ("transfer-s3-replication", bucket("good-bucket-dublin")),
        ("kms-key-rotation", world.ids["good-key-dublin"]),
    }


def test_unresolvable_replication_destination_cannot_be_proven(report: Any) -> None:
    [finding] = [
        f
        for f in report.findings
        if f.resource == bucket("replicating-to-unknown") and f.rule == "transfer-s3-replication"
    ]
    assert finding.status == "FAIL"
    assert "bucket bucket-of-another-account, whose region cannot be proven to be in European Union" in finding.message


def test_messages_name_the_place(report: Any) -> None:
    [finding] = [
        f for f in report.findings if f.resource == bucket("stray-bucket-london") and f.rule == "residency-location"
    ]
    assert finding.message.startswith("AWS::S3::Bucket is in eu-west-2, outside European Union")
