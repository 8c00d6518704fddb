"""boto3 descriptions -> residency facts: one scanner per AWS service, and the auditor's IAM policy.

``SCANNERS`` is the registry the live auditor runs; each scanner lists the IAM action of every API
operation it calls, and ``iam_policy()`` is generated from those lists, so the documented
least-privilege policy cannot drift from the code (tests record every call and check it is listed).
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live import (
    backup,
    cloudfront,
    cloudtrail,
    config,
    dlm,
    dynamodb,
    ec2,
    ecr,
    efs,
    elasticache,
    global_clusters,
    kms,
    mrap,
    rds,
    redshift,
    s3,
    secretsmanager,
    securityhub,
)
from adapters.aws_live.api import ServiceScanner

SCANNERS: dict[str, ServiceScanner] = {
    s.name: s
    for s in (
        s3.SCANNER,
        kms.SCANNER,
        dynamodb.SCANNER,
        rds.SCANNER,
        secretsmanager.SCANNER,
        ecr.SCANNER,
        efs.SCANNER,
        backup.SCANNER,
        ec2.SCANNER,
        cloudtrail.SCANNER,
        redshift.SCANNER,
        dlm.SCANNER,
        mrap.SCANNER,
        cloudfront.SCANNER,
        elasticache.SCANNER,
        global_clusters.DOCDB_SCANNER,
        global_clusters.NEPTUNE_SCANNER,
        config.SCANNER,
        securityhub.SCANNER,
    )
}

# Calls the orchestrator makes itself, outside any service scanner: (client name, operation) -> IAM action.
ACCOUNT_PERMISSIONS: dict[tuple[str, str], str] = {
    ("sts", "GetCallerIdentity"): "sts:GetCallerIdentity",
    ("ec2", "DescribeRegions"): "ec2:DescribeRegions",
}


def all_permissions() -> dict[tuple[str, str], str]:
    """Every (client name, operation) the auditor may call, with the IAM action it needs."""
    table = dict(ACCOUNT_PERMISSIONS)
    for scanner in SCANNERS.values():
        for operation, action in scanner.permissions.items():
            table[(scanner.client_name, operation)] = action
        for client_name, permissions in scanner.other_clients.items():
            for operation, action in permissions.items():
                table[(client_name, operation)] = action
    return table


def iam_actions() -> list[str]:
    return sorted(set(all_permissions().values()))


def iam_policy() -> dict[str, Any]:
    """The least-privilege, read-only IAM policy the auditor needs."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "EnclaveResidencyAudit", "Effect": "Allow", "Action": iam_actions(), "Resource": "*"},
        ],
    }
