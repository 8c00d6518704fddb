"""Control states that one pulumi-aws resource shows on its own (resource scope): key rotation, trail
settings, internet and NAT gateways, S3 default encryption and public access blocks.

Controls that need the whole program (a bucket with no encryption or public access block at all, flow logs
of a VPC) are judged in ``adapters.pulumi.aws_program``.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.pulumi.resources import ProgramIndex, ResourceView, extractor, get_path, items, text
from residency.kms_keys import is_aws_managed_key
from residency.model import ControlState, Fact


def _control(view: ResourceView, control: str, satisfied: bool, detail: str) -> ControlState:
    return ControlState(control, view.urn, view.type, view.region, satisfied, detail)


@extractor("aws:kms/key:Key")
def kms_rotation(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # AWS leaves rotation off unless asked; asymmetric and HMAC keys cannot rotate and are not judged.
    spec = text(view.props.get("customerMasterKeySpec")) or text(view.props.get("keySpec")) or "SYMMETRIC_DEFAULT"
    if spec == "SYMMETRIC_DEFAULT":
        on = view.props.get("enableKeyRotation") is True
        yield _control(view, "kms-key-rotation", on, "enableKeyRotation is " + ("true" if on else "not true"))


@extractor("aws:cloudtrail/trail:Trail")
def trail_controls(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    validation = view.props.get("enableLogFileValidation") is True
    yield _control(view, "trail-log-validation", validation, "enableLogFileValidation is " + str(validation).lower())
    # enableLogging defaults to true in the provider; only an explicit false stops the trail.
    logging = view.props.get("enableLogging") is not False
    yield _control(view, "trail-logging", logging, "enableLogging is " + ("not false" if logging else "false"))


@extractor("aws:ec2/internetGateway:InternetGateway", "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")
def internet_gateway(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _control(
        view, "no-internet-gateway", False, f"{view.type.rsplit(':', 1)[-1]} attaches the network to the internet"
    )


@extractor("aws:ec2/natGateway:NatGateway")
def nat_gateway(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # A private NAT gateway only translates between private networks; a public one reaches the internet.
    private = text(view.props.get("connectivityType")) == "private"
    yield _control(
        view, "no-internet-gateway", private, f"NAT gateway connectivityType is {'private' if private else 'public'}"
    )


@extractor("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
def bucket_encryption_rule(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _encryption_state(view, items(view.props.get("rules")))


@extractor("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
def bucket_inline_encryption(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    inline = view.props.get("serverSideEncryptionConfiguration")
    if inline is not None:
        yield _encryption_state(view, items(get_path(inline, "rule")))


def _encryption_state(view: ResourceView, rules: list[object]) -> ControlState:
    defaults = [get_path(r, "applyServerSideEncryptionByDefault") for r in rules]
    algorithms = [text(get_path(d, "sseAlgorithm")) for d in defaults]
    keyed = all(a in ("aws:kms", "aws:kms:dsse") for a in algorithms) and bool(algorithms)
    keys = [text(get_path(d, "kmsMasterKeyId")) for d in defaults]
    managed = [k for k in keys if k is not None and is_aws_managed_key(k)]
    with_key = keyed and all(keys) and not managed
    detail = f"sseAlgorithm {', '.join(a or '(none)' for a in algorithms) or '(no rule)'}"
    if managed:
        detail += f" with the AWS-managed key {managed[0]}, not a customer-managed key"
    elif keyed and not with_key:
        detail += " without kmsMasterKeyId (uses the AWS-managed key)"
    return _control(view, "s3-encryption-kms", with_key, detail)


PUBLIC_ACCESS_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


@extractor("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
def bucket_public_access_block(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    off = [s for s in PUBLIC_ACCESS_SETTINGS if view.props.get(s) is not True]
    detail = f"not enabled: {', '.join(off)}" if off else "all four settings on"
    yield _control(view, "s3-public-access-blocked", not off, detail)
