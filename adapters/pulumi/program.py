"""One resource of a whole program, as stack-level analysis sees it, and the S3 types it keys on.

Its own module so that the stack-scope extractors (``aws_program``, ``controlled_interface``) can share it
without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.pulumi.resources import ResourceView, UnknownValueError, get_path, text

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_TYPES = (BUCKET, "aws:s3/bucketV2:BucketV2")
# A bucket's default encryption, a separate resource in pulumi-aws v7.
SSE_CONFIG = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


@dataclass(frozen=True)
class ProgramResource:
    """One resource of the program, with the links stack-level analysis uses."""

    view: ResourceView
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def known(value: Any, *path: str | int) -> Any:
    """``get_path(value, *path)``, or None when it is unknown during preview."""
    try:
        return get_path(value, *path)
    except UnknownValueError:
        return None


def bucket_names(view: ResourceView) -> list[str]:
    """The names a bucket of the program is known by (its name, ARN and id), as far as they are known."""
    names = [text(known(view.props, k)) for k in ("bucket", "arn", "id")]
    return [n for n in names if n]
