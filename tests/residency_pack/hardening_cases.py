"""Failing and passing programs for the hardening rules (issue 10), merged into tests/residency_pack/cases.py's table."""

from __future__ import annotations

import json
from typing import Any

from tests.residency_pack.cases import Case, Res

ACCOUNT = "111122223333"
_TRAIL = "aws:cloudtrail/trail:Trail"
_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


_ENDPOINT_PROPS = {"vpcId": "vpc-1", "serviceName": "com.amazonaws.eu-west-1.s3", "vpcEndpointType": "Gateway"}
_ANYONE = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
_CLOUDTRAIL = {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey"}

CASES: dict[str, tuple[Case, Case]] = {
    "trail-covers-global-events": (
        [Res(_TRAIL, "trail", {"s3BucketName": "audit", "enableLogFileValidation": True, "isMultiRegionTrail": False})],
        [Res(_TRAIL, "trail", {"s3BucketName": "audit", "enableLogFileValidation": True, "isMultiRegionTrail": True})],
    ),
    "vpc-endpoint-policy": (
        [Res(_ENDPOINT, "s3", dict(_ENDPOINT_PROPS))],
        [
            Res(
                _ENDPOINT,
                "s3",
                {
                    **_ENDPOINT_PROPS,
                    "policy": _doc({**_ANYONE, "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}),
                },
            )
        ],
    ),
    "service-grant-bound": (
        [Res("aws:kms/key:Key", "key", {"enableKeyRotation": True, "policy": _doc({**_CLOUDTRAIL, "Resource": "*"})})],
        [
            Res(
                "aws:kms/key:Key",
                "key",
                {
                    "enableKeyRotation": True,
                    "policy": _doc(
                        {
                            **_CLOUDTRAIL,
                            "Resource": "*",
                            "Condition": {
                                "StringEquals": {
                                    "aws:SourceAccount": ACCOUNT,
                                    "aws:SourceArn": f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/t",
                                }
                            },
                        }
                    ),
                },
            )
        ],
    ),
}
