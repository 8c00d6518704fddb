"""Every other service moto emulates: the seeded violations are found exactly, compliant ones pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.moto_world import audit, outcomes

SERVICES = ("rds", "secretsmanager", "ecr", "backup", "ec2", "cloudtrail")


@pytest.fixture(scope="module")
def report(world: Any) -> Any:
    return audit(world, SERVICES)


def expected_fails(w: Any) -> set[tuple[str, str, str | None]]:
    ids, account = w.ids, w.account

    def ec2(region: str, what: str) -> str:
        return f"arn:aws:ec2:{region}:{account}:{what}"

    return {
        # RDS: a cross-region read replica (seen from both ends, merged), and an Aurora global database.
        ("transfer-rds-read-replica", ids["source-db"], "us-east-1"),
        ("residency-location", ids["replica-db"], "us-east-1"),
        ("transfer-aurora-global-database", ids["global-db"], "us-east-1"),
        ("residency-location", ids["secondary-cluster"], "us-east-1"),
        # A Neptune cluster: RDS DescribeDBClusters lists it, so it is placed like any cluster.
        ("residency-location", ids["stray-graph-virginia"], "us-east-1"),
        # Secrets Manager: a replica in us-east-1 (and the replica itself is placed there).
        ("transfer-secrets-manager-replica", ids["replicated-secret"], "us-east-1"),
        ("residency-location", ids["replicated-secret-replica"], "us-east-1"),
        # ... whose replica is encrypted under the (AWS-managed) key of us-east-1.
        ("key-custody", ids["replicated-secret"], "us-east-1"),
        # ECR: the Frankfurt registry replicates to us-east-1.
        ("transfer-ecr-replication", f"arn:aws:ecr:eu-central-1:{account}:registry/{account}", "us-east-1"),
        # AWS Backup: a copy action to a vault in us-east-1.
        ("transfer-backup-copy", ids["backup-plan"], "us-east-1"),
        # EC2 networking.
        ("vpc-flow-logs", ids["vpc-without-flow-logs"], "eu-west-1"),
        ("no-internet-gateway", ids["vpc-with-internet-gateway"], "eu-central-1"),
        ("no-internet-gateway", ids["vpc-with-egress-gateway"], "eu-west-1"),
        ("no-internet-gateway", ids["vpc-with-nat-gateway"], "eu-central-1"),
        ("residency-location", ids["stray-vpc-virginia"], "us-east-1"),
        ("transfer-vpc-peering", ec2("eu-west-1", f"vpc-peering-connection/{ids['peering-to-virginia']}"), "us-east-1"),
        (
            "transfer-transit-gateway-peering",
            ec2("eu-west-1", f"transit-gateway-attachment/{ids['tgw-peering']}"),
            "us-east-1",
        ),
        # EBS snapshots: shared with another account, public, and copied to us-east-1.
        ("transfer-ebs-snapshot-share", ids["shared-snapshot"], None),
        ("transfer-ebs-snapshot-share", ids["public-snapshot"], None),
        ("residency-location", ids["copied-snapshot"], "us-east-1"),
        ("transfer-ebs-snapshot-copy", ids["copied-snapshot"], "us-east-1"),
        # CloudTrail: a trail that neither validates its logs nor logs.
        ("trail-log-validation", ids["trail-without-validation"], "eu-west-1"),
        ("trail-logging", ids["trail-without-validation"], "eu-west-1"),
        # Single-Region (CreateTrail's default): IAM and global-endpoint events never reach it (issue 10).
        ("trail-covers-global-events", ids["trail-without-validation"], "eu-west-1"),
    }


def default_vpc_fails(report: Any) -> set[tuple[str, str, str | None]]:
    # Regions outside the enclave keep their default VPCs (no flow logs): real strays, asserted separately.
    defaults = {f.resource for f in report.findings if "(default VPC)" in f.message}
    return {(f.rule, f.resource, f.region) for f in report.findings if f.status == "FAIL" and f.resource in defaults}


def test_seeded_violations_are_found_exactly(world: Any, report: Any) -> None:
    assert outcomes(report, "ERROR") == set()
    fails = outcomes(report, "FAIL")
    assert fails - default_vpc_fails(report) == expected_fails(world)


def test_default_vpcs_outside_the_jurisdiction_are_strays(world: Any, report: Any) -> None:
    strays = {(rule, region) for rule, _, region in default_vpc_fails(report)}
    assert strays == {
        ("residency-location", "us-east-1"),
        ("residency-location", "eu-west-2"),
        ("vpc-flow-logs", "us-east-1"),
        ("vpc-flow-logs", "eu-west-2"),
    }


def test_compliant_resources_raise_no_fail(world: Any, report: Any) -> None:
    good = {world.ids[k] for k in world.ids if k.startswith("good-") and not k.endswith("-id")}
    good.add(world.ids["source-db"])  # its only violation is the replica transfer
    judged = [f for f in report.findings if f.resource in good and f.rule != "transfer-rds-read-replica"]
    assert judged, "compliant resources were not judged at all"
    assert [f for f in judged if f.status != "PASS"] == []


def test_in_jurisdiction_transfers_pass(world: Any, report: Any) -> None:
    peering = f"arn:aws:ec2:eu-west-1:{world.account}:vpc-peering-connection/{world.ids['good-peering']}"
    passed = outcomes(report, "PASS")
    assert ("transfer-vpc-peering", peering, "eu-central-1") in passed
    assert ("transfer-secrets-manager-replica", world.ids["good-secret"], "eu-central-1") in passed


def test_trail_facts_are_judged_in_the_home_region(world: Any, report: Any) -> None:
    trail = world.ids["good-trail"]
    assert {(f.rule, f.status, f.region) for f in report.findings if f.resource == trail} == {
        ("residency-location", "PASS", "eu-west-1"),
        ("trail-log-validation", "PASS", "eu-west-1"),
        ("trail-logging", "PASS", "eu-west-1"),
        ("trail-covers-global-events", "PASS", "eu-west-1"),
    }


def test_dynamodb_table_is_placed(world: Any) -> None:
    report = audit(world, ("dynamodb",))
    assert {(f.rule, f.status, f.region) for f in report.findings if f.resource == world.ids["good-table"]} == {
        ("residency-location", "PASS", "eu-west-1")
    }


def test_every_finding_comes_from_the_shared_rule_catalogue(report: Any) -> None:
    from residency.rules import RULES_BY_ID

    # The auditor has no rules of its own: every rule id it reports is one the policy pack runs too.
    assert {f.rule for f in report.findings} <= set(RULES_BY_ID)


def test_a_private_nat_gateway_keeps_the_vpc_off_the_internet(world: Any, report: Any) -> None:
    [finding] = [
        f for f in report.findings if f.resource == world.ids["good-vpc-frankfurt"] and f.rule == "no-internet-gateway"
    ]
    assert (finding.status, finding.message) == (
        "PASS",
        "The enclave network has no internet gateway: no internet gateway",
    )
