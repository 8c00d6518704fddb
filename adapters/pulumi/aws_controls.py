"""Control states that one pulumi-aws resource shows on its own (resource scope): key rotation, trail
settings, internet and NAT gateways, S3 default encryption and public access blocks.

Controls that need the whole program (a bucket with no encryption or public access block at all, flow logs
of a VPC) are judged in ``adapters.pulumi.aws_program``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from adapters.pulumi.program import BUCKET_TYPES, SSE_CONFIG
from adapters.pulumi.resources import ProgramIndex, ResourceView, extractor, get_path, items, text
from residency.model import ControlState, Fact
from residency.policy_documents import parse_document
from residency.rule_ids import (
    KMS_KEY_ROTATION,
    NO_INTERNET_GATEWAY,
    S3_ENCRYPTION_KMS,
    S3_PUBLIC_ACCESS_BLOCKED,
    SERVICE_GRANT_BOUND,
    TRAIL_COVERS_GLOBAL_EVENTS,
    TRAIL_LOG_VALIDATION,
    TRAIL_LOGGING,
    VPC_ENDPOINT_POLICY,
)
from residency.rules.hardening import endpoint_policy_gaps, trail_scope_gaps, unbound_service_grants
from residency.s3_controls import EncryptionRule, judge_default_encryption, public_access_settings_off


def _control(view: ResourceView, control: str, satisfied: bool, detail: str) -> ControlState:
    return ControlState(control, view.urn, view.type, view.region, satisfied, detail)


@extractor("aws:kms/key:Key")
def kms_rotation(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # AWS leaves rotation off unless asked; asymmetric and HMAC keys cannot rotate and are not judged.
    spec = text(view.props.get("customerMasterKeySpec")) or text(view.props.get("keySpec")) or "SYMMETRIC_DEFAULT"
    if spec == "SYMMETRIC_DEFAULT":
        on = view.props.get("enableKeyRotation") is True
        yield _control(view, KMS_KEY_ROTATION, on, "enableKeyRotation is " + ("true" if on else "not true"))


@extractor("aws:cloudtrail/trail:Trail")
def trail_controls(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    validation = view.props.get("enableLogFileValidation") is True
    yield _control(view, TRAIL_LOG_VALIDATION, validation, "enableLogFileValidation is " + str(validation).lower())
    # enableLogging defaults to true in the provider; only an explicit false stops the trail.
    logging = view.props.get("enableLogging") is not False
    yield _control(view, TRAIL_LOGGING, logging, "enableLogging is " + ("not false" if logging else "false"))
    gaps = trail_scope_gaps(view.props.get("isMultiRegionTrail"), view.props.get("includeGlobalServiceEvents"))
    yield _control(view, TRAIL_COVERS_GLOBAL_EVENTS, not gaps, "; ".join(gaps) or "multi-Region, global events")


def _document_control(view: ResourceView, control: str, raw: Any, gaps_of: Any, ok: str) -> ControlState:
    """A control judged on a policy document; UNKNOWN (satisfied None) when the document cannot be read."""
    document = parse_document(raw)
    if raw is not None and document is None:
        return ControlState(control, view.urn, view.type, view.region, None, "the policy is not a readable document")
    gaps = gaps_of(document)
    return ControlState(control, view.urn, view.type, view.region, not gaps, "; ".join(gaps) or ok)


@extractor("aws:ec2/vpcEndpoint:VpcEndpoint")
def endpoint_policy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    raw = view.props.get("policy")
    yield _document_control(view, VPC_ENDPOINT_POLICY, raw, endpoint_policy_gaps, "the account's principals only")


@extractor("aws:kms/key:Key", "aws:s3/bucketPolicy:BucketPolicy")
def service_grants(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # A key without a policy gets AWS's default (the account root only): no service is granted anything.
    raw = view.props.get("policy")
    if raw is not None:
        yield _document_control(
            view,
            SERVICE_GRANT_BOUND,
            raw,
            lambda d: unbound_service_grants(d) if d is not None else ["no policy document"],
            "every service grant held to this account and resource",
        )


@extractor("aws:ec2/internetGateway:InternetGateway", "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")
def internet_gateway(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _control(
        view, NO_INTERNET_GATEWAY, False, f"{view.type.rsplit(':', 1)[-1]} attaches the network to the internet"
    )


@extractor("aws:ec2/natGateway:NatGateway")
def nat_gateway(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # A private NAT gateway only translates between private networks; a public one reaches the internet.
    private = text(view.props.get("connectivityType")) == "private"
    yield _control(
        view, NO_INTERNET_GATEWAY, private, f"NAT gateway connectivityType is {'private' if private else 'public'}"
    )


# Reads a default-encryption rule's key; a program-scope caller resolves one unknown at preview.
KeyReader = Callable[[Any], str | None]


def written_key(default: Any) -> str | None:
    return text(get_path(default, "kmsMasterKeyId"))


def encryption_states(view: ResourceView, key_of: KeyReader = written_key) -> Iterator[ControlState]:
    """s3-encryption-kms of a BucketServerSideEncryptionConfiguration, or of a bucket's inline block."""
    if view.type == SSE_CONFIG:
        yield _encryption_state(view, items(view.props.get("rules")), key_of)
        return
    inline = view.props.get("serverSideEncryptionConfiguration")
    if inline is not None:
        yield _encryption_state(view, items(get_path(inline, "rule")), key_of)


# A key ARN unknown at preview (``key.arn``) is resolved with the program (adapters.pulumi.preview_keys).
@extractor(SSE_CONFIG, *BUCKET_TYPES, unknowns_resolved_by_program=True)
def bucket_encryption(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield from encryption_states(view)


def _encryption_state(view: ResourceView, rules: list[object], key_of: KeyReader) -> ControlState:
    defaults = [get_path(r, "applyServerSideEncryptionByDefault") for r in rules]
    read = [EncryptionRule(text(get_path(d, "sseAlgorithm")), key_of(d)) for d in defaults]
    satisfied, detail = judge_default_encryption(read)
    return _control(view, S3_ENCRYPTION_KMS, satisfied, detail)


def pulumi_setting(setting: str) -> str:
    """A public access block setting's pulumi-aws input name (``BlockPublicAcls`` -> ``blockPublicAcls``)."""
    return setting[0].lower() + setting[1:]


@extractor("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
def bucket_public_access_block(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    off = [pulumi_setting(s) for s in public_access_settings_off(lambda s: view.props.get(pulumi_setting(s)))]
    detail = f"not enabled: {', '.join(off)}" if off else "all four settings on"
    yield _control(view, S3_PUBLIC_ACCESS_BLOCKED, not off, detail)
