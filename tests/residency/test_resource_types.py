"""The resource-type catalogue: every installed SDK type is classified, and bad entries are named."""

from __future__ import annotations

import pytest

from adapters.sdk_types import SDK_PACKAGES, sdk_tokens
from residency.errors import CatalogueError
from residency.model import Vector
from residency.resource_types import (
    Direction,
    TypeClass,
    default_type_catalogue,
    how_to_classify,
    matches,
    parse_type_catalogue,
    unknown_package,
)


@pytest.mark.parametrize("package", sorted(SDK_PACKAGES))
def test_every_type_of_the_installed_sdks_is_classified(package: str) -> None:
    # A pulumi-aws or pulumi-kubernetes upgrade fails here until scripts/generate_type_catalogue.py has been
    # run and its new lines reviewed.
    catalogue = default_type_catalogue()
    missing = sorted(set(sdk_tokens(SDK_PACKAGES[package])) - set(catalogue.entries))
    assert not missing, f"{len(missing)} {package} types are not classified, e.g. {missing[:5]}"
    assert catalogue.get(f"pulumi:providers:{package}") is not None


def test_the_catalogue_is_large_and_every_class_is_used() -> None:
    counts = default_type_catalogue().count_by_class()
    assert sum(counts.values()) > 2000
    assert all(counts[c] > 50 for c in TypeClass), counts


@pytest.mark.parametrize(
    ("token", "type_class", "vector"),
    [
        ("aws:sns/topicSubscription:TopicSubscription", TypeClass.MOVES_DATA, Vector.MESSAGING_FAN_OUT),
        ("aws:cloudwatch/eventTarget:EventTarget", TypeClass.MOVES_DATA, Vector.MESSAGING_FAN_OUT),
        ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", TypeClass.MOVES_DATA, Vector.DELIVERY_STREAM),
        ("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", TypeClass.MOVES_DATA, Vector.DELIVERY_STREAM),
        ("aws:dms/replicationTask:ReplicationTask", TypeClass.MOVES_DATA, Vector.MIGRATION),
        ("aws:rds/snapshotCopy:SnapshotCopy", TypeClass.MOVES_DATA, Vector.SNAPSHOT_COPY),
        ("aws:redshift/dataShareAuthorization:DataShareAuthorization", TypeClass.GRANTS_ACCESS, Vector.ACCOUNT_SHARING),
        ("aws:s3/bucketPolicy:BucketPolicy", TypeClass.GRANTS_ACCESS, Vector.RESOURCE_POLICY),
        ("aws:kms/grant:Grant", TypeClass.GRANTS_ACCESS, Vector.RESOURCE_POLICY),
        ("aws:cloudformation/stack:Stack", TypeClass.MOVES_DATA, Vector.EMBEDDED_INFRASTRUCTURE),
        ("aws:ec2/flowLog:FlowLog", TypeClass.MOVES_DATA, Vector.LOGGING_DESTINATION),
        ("aws:iam/role:Role", TypeClass.GRANTS_ACCESS, Vector.RESOURCE_POLICY),
    ],
)
def test_reviewed_classes(token: str, type_class: TypeClass, vector: Vector) -> None:
    entry = default_type_catalogue().get(token)
    assert entry is not None and entry.reviewed
    assert (entry.type_class, entry.vector) == (type_class, vector)


def test_global_control_plane_types_say_why() -> None:
    for token in ("aws:iam/policy:Policy", "aws:route53/zone:Zone", "kubernetes:core/v1:Namespace"):
        entry = default_type_catalogue().get(token)
        assert entry is not None and entry.type_class == TypeClass.CONTROL_PLANE and entry.reason, token
        assert not entry.searched


def test_direction_of_named_properties() -> None:
    entry = default_type_catalogue().get("aws:rds/snapshotCopy:SnapshotCopy")
    assert entry is not None
    assert entry.direction_of(("destinationRegion",)) == Direction.OUT
    assert entry.direction_of(("sourceDbSnapshotIdentifier",)) == Direction.IN
    assert entry.direction_of(("kmsKeyId",)) is None


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("endpoint", ("endpoint",), True),
        ("endpoint", ("endpoint", "x"), True),  # a property covers what is inside it
        ("endpoint", ("endpointType",), False),
        ("logging.*.targetBucket", ("logging", 0, "targetBucket"), True),
        ("**.image", ("spec", "template", "spec", "containers", 0, "image"), True),
        ("**.image", ("spec", "template", "spec", "containers", 0, "env"), False),
    ],
)
def test_property_patterns(pattern: str, path: tuple[str | int, ...], expected: bool) -> None:
    assert matches(pattern, path) is expected


def test_unclassified_type_message_names_the_type_and_the_fix() -> None:
    message = how_to_classify("aws:newsvc/thing:Thing")
    assert "aws:newsvc/thing:Thing" in message and "residency/resource_types/aws.toml" in message
    assert "scripts/generate_type_catalogue.py" in message


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"class": "stores-data"}, "class 'stores-data' is not one of holds-data, moves-data"),
        ({"class": "control-plane"}, "a control-plane type needs a reason"),
        ({"class": "moves-data", "vector": "teleport"}, "vector 'teleport' is not a known vector"),
        ({"class": "moves-data", "out": "endpoint"}, "out: must be a list of property paths"),
        ({"class": "holds-data", "resource": "x"}, "unknown key(s) resource"),
        ({"class": "holds-data", "reviewed": "yes"}, "reviewed must be true or false"),
        ("holds-data", "must be a table"),
    ],
)
def test_bad_entries_are_named(raw: object, error: str) -> None:
    with pytest.raises(CatalogueError, match=error.replace("(", r"\(").replace(")", r"\)")) as info:
        parse_type_catalogue([("aws.toml", {"aws:x/y:Y": raw})])
    assert "aws.toml: aws:x/y:Y" in str(info.value)


def test_a_type_classified_twice_is_rejected() -> None:
    entry = {"aws:x/y:Y": {"class": "holds-data"}}
    with pytest.raises(CatalogueError, match="aws:x/y:Y is classified twice"):
        parse_type_catalogue([("a.toml", entry), ("b.toml", entry)])


def test_a_key_that_is_not_a_type_token_is_rejected() -> None:
    with pytest.raises(CatalogueError, match="not a Pulumi type token"):
        parse_type_catalogue([("aws.toml", {"Bucket": {"class": "holds-data"}})])


def test_whole_packages_are_classified_in_the_packages_file() -> None:
    catalogue = default_type_catalogue()
    for package, type_class in (("aws-native", TypeClass.HOLDS_DATA), ("random", TypeClass.CONTROL_PLANE)):
        entry = catalogue.package_entry(package)
        assert entry is not None and entry.reviewed and entry.type_class == type_class and entry.reason
    dynamic = catalogue.package_entry("pulumi-python")
    assert dynamic is not None and dynamic.vector == Vector.EMBEDDED_INFRASTRUCTURE
    # Packages classified type by type have no package entry: a new type of theirs stays UNKNOWN.
    assert catalogue.package_entry("aws") is None and catalogue.classifies_types_of("aws")
    assert not catalogue.knows_package("snowflake")


@pytest.mark.parametrize(
    ("packages", "error"),
    [
        ({"Snow Flake": {"class": "holds-data"}}, "packages.toml: Snow Flake: not a Pulumi package name"),
        ({"aws": {"class": "holds-data"}}, "packages.toml: aws is classified type by type already"),
        ({"random": {"class": "control-plane"}}, "packages.toml: random: a control-plane type needs a reason"),
        ({"random": {"class": "holds-data", "package": "x"}}, "packages.toml: random: unknown key(s) package"),
    ],
)
def test_bad_package_entries_are_named(packages: dict[str, object], error: str) -> None:
    with pytest.raises(CatalogueError, match=error.replace("(", r"\(").replace(")", r"\)")):
        parse_type_catalogue([("aws.toml", {"aws:x/y:Y": {"class": "holds-data"}})], packages)


def test_an_unknown_package_says_how_to_make_it_known() -> None:
    said = unknown_package("pulumi:providers:snowflake")
    assert said.startswith("pulumi:providers:snowflake is from provider package snowflake, which the resource-type")
    assert "residency/resource_types/packages.toml" in said and "naming provider snowflake" in said
