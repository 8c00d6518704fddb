"""KMS keys -> Placement, Transfer (multi-Region replicas) and ControlState (rotation, service grants) facts.

Only customer-managed keys are judged: AWS-managed keys (aws/s3, ...) are created by services on first
use and are judged through the resources that use them (key custody). A multi-Region primary key yields
one Transfer per replica, because every replica holds the same key material; replicas themselves are
placed in their own region (so a replica outside the jurisdiction is also a residency-location FAIL).
The key policy is judged as the pack judges it (service-grant-bound): every Allow to an AWS service carries
the conditions that hold the service to this account and resource.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import ControlState, Destination, Fact, Placement, Transfer, Vector
from residency.policy_documents import parse_document
from residency.rule_ids import KMS_KEY_ROTATION, LOCATION, SERVICE_GRANT_BOUND
from residency.rules.hardening import unbound_service_grants

RESOURCE_TYPE = "AWS::KMS::Key"

PERMISSIONS = {
    "ListKeys": "kms:ListKeys",
    "DescribeKey": "kms:DescribeKey",
    "GetKeyRotationStatus": "kms:GetKeyRotationStatus",
    "GetKeyPolicy": "kms:GetKeyPolicy",
}


def discover(api: Api) -> list[Any]:
    keys = api.items("list_keys", "Keys", rule=LOCATION, resource=api.arn("kms", "key/*"))
    return [k["KeyArn"] for k in keys or []]


def inspect(api: Api, key_arn: str) -> list[Fact]:
    described = api.call("describe_key", rule=LOCATION, resource=key_arn, KeyId=key_arn)
    if described is None:
        return []
    meta = described.get("KeyMetadata", {})
    if meta.get("KeyManager") == "AWS" or meta.get("KeyState") == "PendingDeletion":
        return []
    facts: list[Fact] = [Placement(key_arn, RESOURCE_TYPE, api.region)]
    facts.extend(_replicas(api, key_arn, meta))
    if _rotation_applies(meta):
        facts.extend(_rotation(api, key_arn))
    facts.extend(_service_grants(api, key_arn))
    return facts


def _service_grants(api: Api, key_arn: str) -> list[Fact]:
    """The key policy's grants to AWS services; an unreadable policy is UNKNOWN (a failed call: ERROR)."""
    answer = api.call("get_key_policy", rule=SERVICE_GRANT_BOUND, resource=key_arn, KeyId=key_arn, PolicyName="default")
    if answer is None:
        return []
    document = parse_document(answer.get("Policy"))
    if document is None:
        return [ControlState(SERVICE_GRANT_BOUND, key_arn, RESOURCE_TYPE, api.region, None, "key policy not readable")]
    gaps = unbound_service_grants(document)
    detail = "; ".join(gaps) if gaps else "every service grant is held to this account and resource"
    return [ControlState(SERVICE_GRANT_BOUND, key_arn, RESOURCE_TYPE, api.region, not gaps, detail)]


def _replicas(api: Api, key_arn: str, meta: dict[str, Any]) -> list[Fact]:
    if not meta.get("MultiRegion"):
        return []
    config = meta.get("MultiRegionConfiguration", {})
    # The primary is the key whose own ARN is PrimaryKey.Arn. MultiRegionKeyType is not relied on: moto's
    # emulation flips it on the primary once a replica has been described.
    if config.get("PrimaryKey", {}).get("Arn") != key_arn:
        return []
    return [
        Transfer(
            Vector.KMS_MULTI_REGION_KEY,
            key_arn,
            RESOURCE_TYPE,
            api.region,
            Destination(f"replica key {replica.get('Arn')}", replica.get("Region")),
        )
        for replica in config.get("ReplicaKeys", [])
        if replica.get("Arn") != key_arn
    ]


def _rotation_applies(meta: dict[str, Any]) -> bool:
    # AWS supports automatic rotation only for symmetric keys with AWS-generated material.
    return (
        meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
        and meta.get("Origin", "AWS_KMS") == "AWS_KMS"
        and meta.get("KeyState") == "Enabled"
    )


def _rotation(api: Api, key_arn: str) -> list[Fact]:
    # A multi-Region replica inherits rotation from its primary; AWS answers for it all the same.
    status = api.call("get_key_rotation_status", rule=KMS_KEY_ROTATION, resource=key_arn, KeyId=key_arn)
    if status is None:
        return []
    enabled = bool(status.get("KeyRotationEnabled"))
    return [
        ControlState(
            KMS_KEY_ROTATION,
            key_arn,
            RESOURCE_TYPE,
            api.region,
            enabled,
            "rotation on" if enabled else "rotation off",
        )
    ]


SCANNER = ServiceScanner(name="kms", client_name="kms", permissions=PERMISSIONS, discover=discover, inspect=inspect)
