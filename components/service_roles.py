"""What every AWS service integration of the enclave builds the same way: the role a service assumes (Lambda,
EventBridge Scheduler, VPC flow logs) and the encrypted, retained log group a function or a flow log writes to.

Each is a guard (residency/guards.py): deleting the role or the log group stops a control or its record, so
both are protected; the log group is also retained, as the record it holds must outlive its component.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.guard import guarded
from components.policy import document, service_trust


def service_role(
    owner: pulumi.Resource,
    logical_name: str,
    *,
    service: str,
    account_id: str,
    description: str,
    permissions_boundary_arn: pulumi.Input[str],
    name: str | None = None,
    max_session_duration: int | None = None,
) -> aws.iam.Role:
    """A role only ``service`` assumes, for this account only, under the enclave's permissions boundary."""
    return aws.iam.Role(
        logical_name,
        name=name,
        description=description,
        assume_role_policy=document(service_trust(service, account_id)),
        permissions_boundary=permissions_boundary_arn,
        max_session_duration=max_session_duration,
        opts=guarded(owner),
    )


def log_group(
    owner: pulumi.Resource,
    logical_name: str,
    *,
    key_arn: pulumi.Input[str],
    retention_days: int,
    name: str | None = None,
) -> aws.cloudwatch.LogGroup:
    """A log group under the enclave's audit key, kept ``retention_days``; ``name`` is the one AWS writes to
    (a function's ``/aws/lambda/<function>``), or None for a generated name (a flow log's)."""
    return aws.cloudwatch.LogGroup(
        logical_name,
        name=name,
        kms_key_id=key_arn,
        retention_in_days=retention_days,
        opts=guarded(owner, retain=True),
    )


def function_log_group_name(function_name: str) -> str:
    """Where Lambda writes a function's logs unless told otherwise; the log group made ahead carries it."""
    return f"/aws/lambda/{function_name}"
