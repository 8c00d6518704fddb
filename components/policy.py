"""IAM policy documents built as data: dicts over Outputs, serialised once by ``Output.json_dumps``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from residency.identity import JURISDICTION_TAG_ACTIONS

Statement = dict[str, Any]


def bucket_arn(bucket: aws.s3.Bucket) -> pulumi.Output[str]:
    """The bucket's ARN from its name, as S3 forms it (``arn:aws:s3:::<bucket>``): known at preview, where the
    provider's Check has already given the name, while ``bucket.arn`` is unknown until the bucket exists.
    It keeps the dependency on the bucket, so a document built from it is still the bucket's."""
    return pulumi.Output.concat("arn:aws:s3:::", bucket.bucket)


def named_arn(service: str, region: str, account: str, kind: str, name: pulumi.Input[str]) -> pulumi.Output[str]:
    """An ARN from the resource's name (``arn:aws:<service>:<region>:<account>:<kind><name>``), known at
    preview where the resource's own ``arn`` output is not; it keeps the dependency on the resource."""
    return pulumi.Output.concat(f"arn:aws:{service}:{region}:{account}:{kind}", name)


def iam_arn(account: str, kind: str, resource: aws.iam.Role | aws.iam.Policy) -> pulumi.Output[str]:
    """A role's or managed policy's ARN from the account and its name (``kind`` is role or policy; path /), known
    at preview where ``arn`` is not; it keeps the dependency on the role or policy."""
    return pulumi.Output.concat(f"arn:aws:iam::{account}:{kind}/", resource.name)


# The suffix of the inline policy that holds a role's statements on resources whose ARNs exist only once they
# are created (KMS keys, a secret): ``<policy name>-keys``.
KEYS_POLICY_SUFFIX = "-keys"


def role_policies(
    name: str,
    role: pulumi.Input[str],
    statements: list[Statement],
    created_arn_sids: frozenset[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """A role's inline policy, with the statements named in ``created_arn_sids`` in a second one (``<name>-keys``).

    A KMS key's or a secret's ARN is unknown until the key or secret exists, and a document that holds one is
    unknown as a whole at preview: the pack could not read the role's S3 grants (test-data single writer).
    Apart, the S3 document is known at preview (bucket ARNs from names), and the keys' document depends on the
    keys alone, which key custody resolves through the program. IAM evaluates a role's inline policies
    together, so the role is granted exactly what one document granted.
    """
    known = [s for s in statements if s.get("Sid") not in created_arn_sids]
    later = [s for s in statements if s.get("Sid") in created_arn_sids]
    aws.iam.RolePolicy(name, role=role, policy=document(*known), opts=opts)
    if later:
        aws.iam.RolePolicy(f"{name}{KEYS_POLICY_SUFFIX}", role=role, policy=document(*later), opts=opts)


def document(*statements: Statement) -> pulumi.Output[str]:
    """A policy document (JSON string Output) from statements that may contain Outputs anywhere."""
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": list(statements)})


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> Statement:
    """Every request to the bucket must use TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# Object-level actions: reading, writing, deleting or listing user data (object keys can be personal data).
OBJECT_DATA_ACTIONS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:ListBucket*", "s3:RestoreObject"]


def _principal_condition(principal_arns: list[str], services: list[str] | None) -> dict[str, Any]:
    """True for every principal not listed. For a service principal ``aws:PrincipalArn`` is absent, so
    ``ArnNotEquals`` is true and the service-name condition decides (conditions are ANDed)."""
    condition: dict[str, Any] = {"ArnNotEquals": {"aws:PrincipalArn": principal_arns}}
    if services:
        condition["StringNotEqualsIfExists"] = {"aws:PrincipalServiceName": services}
    return condition


def deny_all_principals_except(
    bucket_arn: pulumi.Input[str], principal_arns: list[str], services: list[str] | None = None
) -> Statement:
    """Nobody outside the enclave's principals (not even the account root) touches the bucket at all."""
    return {
        "Sid": "DenyAllButEnclavePrincipals",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": _principal_condition(principal_arns, services),
    }


def deny_object_access_except(
    bucket_arn: pulumi.Input[str], reader_arns: list[str], services: list[str] | None = None
) -> Statement:
    """Only the data readers touch objects; other enclave principals (deploy, auditor) see configuration only."""
    return {
        "Sid": "DenyObjectAccessButReaders",
        "Effect": "Deny",
        "Principal": "*",
        "Action": OBJECT_DATA_ACTIONS,
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": _principal_condition(reader_arns, services),
    }


def deny_jurisdiction_tag(tag_key: str, except_principals: list[str] | None = None) -> Statement:
    """Deny setting or removing ``tag_key`` on users, roles and sessions, except by ``except_principals``.

    IgnoreCase: IAM tag keys are case-insensitive (``Jurisdiction`` satisfies ``aws:PrincipalTag/jurisdiction``).
    """
    condition: dict[str, Any] = {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": [tag_key]}}
    if except_principals:
        condition["ArnNotEquals"] = {"aws:PrincipalArn": except_principals}
    return {
        "Sid": "DenyJurisdictionTagChanges",
        "Effect": "Deny",
        "Action": list(JURISDICTION_TAG_ACTIONS),
        "Resource": "*",
        "Condition": condition,
    }


def deny_object_access_outside_access_points(
    bucket_arn: pulumi.Input[str], access_point_arns: list[pulumi.Input[str]], exempt_arns: list[str]
) -> Statement:
    """Objects are reached only through ``access_point_arns`` (``s3:DataAccessPointArn``), except by ``exempt_arns``.

    A request that does not use an access point carries no ``s3:DataAccessPointArn``: ``StringNotEquals`` is then
    true, so it is denied. The access points have a VPC network origin, so S3 rejects every request to them from
    outside the enclave's VPC (residency/records_network.py cites the AWS documentation). The ARNs are built
    from names, so the document is known at preview (a VPC endpoint's id, which ``aws:SourceVpce`` needs, is not).
    """
    condition: dict[str, Any] = {"StringNotEquals": {"s3:DataAccessPointArn": access_point_arns}}
    if exempt_arns:
        condition["ArnNotEquals"] = {"aws:PrincipalArn": exempt_arns}
    return {
        "Sid": "DenyObjectAccessOutsideEnclaveNetwork",
        "Effect": "Deny",
        "Principal": "*",
        "Action": OBJECT_DATA_ACTIONS,
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": condition,
    }


def access_point_resources(access_point_arn: pulumi.Input[str]) -> list[pulumi.Input[str]]:
    """What an identity policy names to act through an access point: the access point (ListBucket) and its
    objects (``<access point ARN>/object/<key>``, as IAM forms the resource of a request through it)."""
    return [access_point_arn, pulumi.Output.concat(access_point_arn, "/object/*")]


def service_trust(service: str, account_id: str) -> Statement:
    """A service role's trust: ``service`` may assume it only on this account's behalf (``aws:SourceAccount``,
    AWS's confused-deputy condition), so no other account's resource can make the service act as the role."""
    return {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


def service_delivery_statements(
    service: str,
    sid_prefix: str,
    bucket_arn: pulumi.Input[str],
    bucket_actions: str | list[str],
    objects_arn: pulumi.Input[str],
    source: Mapping[str, pulumi.Input[str]],
) -> list[Statement]:
    """An AWS service's documented delivery into a bucket (CloudTrail, AWS Config): check the bucket, then write
    ``objects_arn`` handing the objects to the bucket owner, both only for the sources in ``source``."""
    return [
        {
            "Sid": f"{sid_prefix}AclCheck",
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": bucket_actions,
            "Resource": bucket_arn,
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": f"{sid_prefix}Write",
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "s3:PutObject",
            "Resource": objects_arn,
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]
