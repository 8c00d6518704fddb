"""One resource of a whole program, as stack-level analysis sees it, and the S3 types it keys on.

Its own module so that the stack-scope extractors (``aws_program``, ``controlled_interface``) can share it
without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from adapters.pulumi.resources import ResourceView

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
