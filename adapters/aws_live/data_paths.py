"""boto3 descriptions -> data-path transfers, through the same core the policy pack uses.

A live scanner maps what AWS describes onto the inputs of the matching Pulumi type (an SNS subscription's
``Endpoint`` is the ``endpoint`` of ``aws:sns/topicSubscription:TopicSubscription``), and the type's
catalogue entry, destination discovery and ``transfer-data-path`` judge it exactly as before deployment.
S3 buckets named by ARN carry no region: the auditor asks S3 where each one is (GetBucketLocation); a bucket
it cannot place stays unknown, which blocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.aws_live.api import Api
from adapters.aws_live.s3 import normalise_location
from residency.data_paths import candidates_of, data_path_transfers
from residency.destinations import Kind
from residency.model import Fact
from residency.resource_types import default_type_catalogue
from residency.rule_ids import TRANSFER_BUCKET_DESTINATION

S3_PERMISSIONS = {"GetBucketLocation": "s3:GetBucketLocation"}


def data_path_facts(api: Api, resource: str, token: str, props: Mapping[str, Any]) -> list[Fact]:
    """The transfers ``props`` (described by AWS, under ``token``'s input names) show, judged by the core."""
    entry = default_type_catalogue().get(token)
    if entry is None:  # a programming error: every token a scanner names is catalogued
        raise LookupError(f"{token} is not in the resource-type catalogue")
    candidates = list(candidates_of(entry, props))
    facts: list[Fact] = list(data_path_transfers(resource, token, api.region, entry, candidates))
    buckets = {c.host or c.value for c in candidates if c.kind == Kind.BUCKET}
    if buckets:
        regions = {name: _bucket_region(api, name, resource) for name in sorted(buckets)}
        facts.extend(data_path_transfers(resource, token, api.region, entry, candidates, regions))
    return facts


def _bucket_region(api: Api, bucket: str, resource: str) -> str | None:
    answer = api.using("s3").call(
        "get_bucket_location", rule=TRANSFER_BUCKET_DESTINATION, resource=resource, quiet=True, Bucket=bucket
    )
    if answer is None:
        return None  # not ours, or not readable: the bucket cannot be placed, which blocks
    return normalise_location(answer.get("LocationConstraint"))
