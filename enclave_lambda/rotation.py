"""Secrets Manager rotation for the pseudonymisation key: a fresh 256-bit key, made inside the enclave.

The four rotation steps (AWS's contract for a rotation function). The key exists in no system but this
secret, so setSecret has nothing to update. After rotation, new test data carries new pseudonyms that
cannot be linked to the old ones: that is the point of rotating.
"""

from __future__ import annotations

import secrets
from typing import Any

import boto3

KEY_BYTES = 32
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")


def _stages(client: Any, secret_id: str) -> dict[str, list[str]]:
    return dict(client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {}))


def rotate(client: Any, secret_id: str, token: str, step: str) -> None:
    if step not in STEPS:
        raise ValueError(f"unknown rotation step {step!r}; allowed: {', '.join(STEPS)}")
    stages = _stages(client, secret_id)
    if "AWSCURRENT" in stages.get(token, []):
        return  # already rotated: every step is idempotent
    if step != "createSecret" and token not in stages:
        raise ValueError(f"version {token} of {secret_id} is not staged for rotation")
    if step == "createSecret":
        try:
            client.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING")
        except client.exceptions.ResourceNotFoundException:
            client.put_secret_value(
                SecretId=secret_id,
                ClientRequestToken=token,
                SecretString=secrets.token_hex(KEY_BYTES),
                VersionStages=["AWSPENDING"],
            )
    elif step == "setSecret":
        pass
    elif step == "testSecret":
        value = client.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING")
        if len(bytes.fromhex(value["SecretString"])) != KEY_BYTES:
            raise ValueError(f"pending version {token} of {secret_id} is not a {KEY_BYTES}-byte hex key")
    else:  # finishSecret
        current = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
        client.update_secret_version_stage(
            SecretId=secret_id,
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            **({"RemoveFromVersionId": current} if current else {}),
        )


def handler(event: dict[str, Any], context: Any) -> None:
    rotate(boto3.client("secretsmanager"), event["SecretId"], event["ClientRequestToken"], event["Step"])
