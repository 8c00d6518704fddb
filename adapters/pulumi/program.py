"""One resource of a whole program, as stack-level analysis sees it, and the bucket types it keys on.

Its own module so that the stack-scope extractors (``aws_program``, ``controlled_interface``) can share it
without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from adapters.pulumi.resources import ResourceView

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_TYPES = (BUCKET, "aws:s3/bucketV2:BucketV2")


@dataclass(frozen=True)
class ProgramResource:
    """One resource of the program, with the links stack-level analysis uses."""

    view: ResourceView
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
