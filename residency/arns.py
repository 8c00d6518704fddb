"""Amazon Resource Names, split in one place: ``arn:partition:service:region:account-id:resource``.

Written here rather than taken from botocore (``botocore.utils.ArnParser``): the core imports neither boto3
nor botocore (the policy pack runs it, and needs no AWS SDK), and the core wants "not an ARN" as None
rather than an exception. The format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
"""

from __future__ import annotations

from dataclasses import dataclass

ARN_PREFIX = "arn:"


@dataclass(frozen=True)
class Arn:
    """The six fields of an ARN. ``region`` and ``account`` are empty for global or account-less resources
    (S3 buckets, IAM); ``resource`` keeps any ``type/`` or ``type:`` prefix and every later colon."""

    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse_arn(text: str) -> Arn | None:
    """The fields of ``text``, or None when it is not an ARN (a bare id, an alias, a name, a URN)."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(*parts[1:])


def is_arn(text: str) -> bool:
    """Whether ``text`` claims to be an ARN (it may still be malformed: ``parse_arn`` then gives None)."""
    return text.startswith(ARN_PREFIX)


def is_account_id(value: str) -> bool:
    """Whether ``value`` is an AWS account id: exactly 12 ASCII digits (leading zeros are part of it)."""
    return len(value) == 12 and value.isascii() and value.isdigit()
