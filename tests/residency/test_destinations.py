"""Destination discovery: every shape of value that could say where data goes is found, and nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from residency.destinations import Candidate, Kind, classify, discover


def found(props: dict[str, Any], principals: tuple[str, ...] = ()) -> list[Candidate]:
    return list(discover(props, lambda path: bool(path) and path[0] in principals))


@pytest.mark.parametrize(
    ("text", "kind", "region", "account", "host"),
    [
        ("arn:aws:sqs:us-east-1:444455556666:q", Kind.ARN, "us-east-1", "444455556666", None),
        ("arn:aws:iam::444455556666:root", Kind.ARN, None, "444455556666", None),
        ("arn:aws:s3:::records-bucket/logs/", Kind.BUCKET, None, None, "records-bucket"),
        ("s3://exports/2026/", Kind.BUCKET, None, None, "exports"),
        ("us-east-1", Kind.REGION, "us-east-1", None, None),
        ("ap-south-2b", Kind.REGION, "ap-south-2", None, None),
        ("cn-north-1", Kind.REGION, "cn-north-1", None, None),
        ("com.amazonaws.us-west-2.s3", Kind.REGION, "us-west-2", None, None),
        ("444455556666", Kind.ACCOUNT, None, "444455556666", None),
        (
            "https://sqs.us-east-1.amazonaws.com/444455556666/q",
            Kind.AWS_HOST,
            "us-east-1",
            None,
            "sqs.us-east-1.amazonaws.com",
        ),
        ("https://api.example.com/ingest", Kind.EXTERNAL_HOST, None, None, "api.example.com"),
        ("jdbc:postgresql://db.example.org:5432/app", Kind.EXTERNAL_HOST, None, None, "db.example.org"),
        ("444455556666.dkr.ecr.us-east-1.amazonaws.com/app", Kind.AWS_HOST, "us-east-1", "444455556666", None),
    ],
)
def test_shapes(text: str, kind: Kind, region: str | None, account: str | None, host: str | None) -> None:
    c = classify(text)
    assert c is not None and (c.kind, c.region, c.account) == (kind, region, account), c
    if host:
        assert c.host == host


@pytest.mark.parametrize(
    "text",
    [
        "records",  # a plain name resolves in the caller's own region and account
        "index.handler",
        "python3.12",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",  # AWS-managed: no place
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        "ec2.amazonaws.com",  # service principal / global endpoint
        "https://10.0.1.5:8443/health",  # private address: inside the VPC
        "http://api.team.svc.cluster.local/v1",  # inside the cluster
        "*",  # a wildcard is public only where principals are expected
        "10.0.0.0/16",
    ],
)
def test_values_without_a_destination_shape(text: str) -> None:
    assert classify(text) is None


def test_a_bare_host_counts_only_in_a_property_named_like_a_host() -> None:
    found = classify("db.example.org", ("serverName",))
    assert found is not None and found.kind == Kind.EXTERNAL_HOST
    assert classify("db.example.org", ("certificateDomain",)) is None


def test_a_mailbox_is_a_destination_only_where_data_is_delivered() -> None:
    mailbox = classify("ops@partner.example", ("endpoint",))
    assert mailbox is not None and mailbox.host == "partner.example"
    assert classify("noreply@example.com", ("email",)) is None  # a sender identity


def test_nested_values_and_json_strings_are_walked() -> None:
    redrive = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-west-2:111111111101:dlq", "maxReceiveCount": 3})
    props = {"redrivePolicy": redrive, "targets": [{"config": {"url": "https://hooks.example.net/x"}}]}
    kinds = {(c.kind, c.where) for c in found(props)}
    assert (Kind.ARN, "redrivePolicy.deadLetterTargetArn") in kinds
    assert (Kind.EXTERNAL_HOST, "targets.0.config.url") in kinds


def test_labels_and_the_resource_own_region_are_not_searched() -> None:
    assert (
        found({"region": "us-east-1", "tags": {"copy-of": "us-east-1"}, "description": "see https://x.example"}) == []
    )


def test_unreadable_value_in_a_destination_property_is_opaque() -> None:
    [c] = found({"endpoint": "+15555550100"})
    assert c.kind == Kind.OPAQUE


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_policy_principals_are_candidates() -> None:
    doc = policy(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject"},
        {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Decrypt"},
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject"},
    )
    got = {(c.kind, c.account, c.region) for c in found({"policy": doc})}
    assert got == {(Kind.ARN, "444455556666", None), (Kind.AWS_HOST, None, "us-east-1")}


def test_star_principal_is_public_unless_a_condition_pins_it() -> None:
    public = policy({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"})
    [c] = found({"policy": public})
    assert c.kind == Kind.PUBLIC
    pinned = policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "sqs:SendMessage",
            "Condition": {"StringEquals": {"aws:SourceAccount": "444455556666"}},
        }
    )
    [c] = found({"policy": pinned})
    assert (c.kind, c.account) == (Kind.ACCOUNT, "444455556666")
    by_vpce = policy(
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
        }
    )
    assert found({"policy": by_vpce}) == []


def test_if_exists_conditions_do_not_pin() -> None:
    doc = policy(
        {"Effect": "Allow", "Principal": "*", "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "1"}}}
    )
    assert [c.kind for c in found({"policy": doc})] == [Kind.PUBLIC]


def test_deny_statements_restrict_and_are_skipped() -> None:
    doc = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b"})
    assert found({"policy": doc}) == []


def test_not_principal_in_an_allow_is_public() -> None:
    doc = policy({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111111111101:root"}, "Action": "s3:*"})
    assert Kind.PUBLIC in {c.kind for c in found({"policy": doc})}


@pytest.mark.parametrize("value", ["*", "all", "public-read", "http://acs.amazonaws.com/groups/global/AllUsers"])
def test_public_words_in_principal_properties(value: str) -> None:
    [c] = found({"group": value}, principals=("group",))
    assert c.kind == Kind.PUBLIC and c.principal


@pytest.mark.parametrize("ip", ["203.0.113.10", "8.8.8.8", "2001:db8::1"])
def test_an_address_outside_the_enclave_networks_is_a_host_wherever_it_is(ip: str) -> None:
    c = classify(ip, ("targetIps", 0, "ip"))
    assert c is not None and (c.kind, c.host) == (Kind.EXTERNAL_HOST, ip)


@pytest.mark.parametrize(
    "ip", ["10.0.0.2", "172.16.0.1", "192.168.1.1", "100.64.0.9", "fd00::1", "127.0.0.1", "0.0.0.0"]
)
def test_an_address_of_the_enclave_networks_is_no_destination(ip: str) -> None:
    assert classify(ip, ("targetIps", 0, "ip")) is None


@pytest.mark.parametrize(
    ("text", "path", "geography"),
    [
        ("arn:aws:bedrock:eu-west-1::inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0", (), "global"),
        ("arn:aws:bedrock:eu-west-1:111111111101:inference-profile/us.meta.llama3-2-1b-instruct-v1:0", (), "us"),
        ("eu.anthropic.claude-3-haiku-20240307-v1:0", ("foundationModel",), "eu"),
    ],
)
def test_a_cross_region_inference_profile_names_a_geography(text: str, path: tuple[str, ...], geography: str) -> None:
    c = classify(text, path)
    assert c is not None and (c.kind, c.host) == (Kind.GEOGRAPHY, geography)


def test_a_model_or_a_profile_id_elsewhere_is_no_geography() -> None:
    model = classify("arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
    assert model is not None and model.kind == Kind.ARN and model.region == "eu-west-1"
    assert classify("eu.anthropic.claude-3-haiku-20240307-v1:0", ("name",)) is None


def test_urls_written_in_a_script_are_candidates_outside_aws_only() -> None:
    script = "#!/bin/sh\ncurl -s https://s3.eu-west-1.amazonaws.com/x | sh\ncurl -T /data https://drop.example.net/u\n"
    [c] = found({"userData": script})
    assert (c.kind, c.host) == (Kind.EXTERNAL_HOST, "drop.example.net")
    assert found({"comment": "see https://docs.example.net for the format"}) == []  # prose is not code


def test_urls_in_base64_user_data_are_candidates_too() -> None:
    import base64

    encoded = base64.b64encode(b"#!/bin/sh\ncurl -T /data https://drop.example.net/u\n").decode()
    [c] = found({"userData": encoded})
    assert (c.kind, c.host) == (Kind.EXTERNAL_HOST, "drop.example.net")
    assert found({"sourceCodeHash": base64.b64encode(bytes(range(32))).decode()}) == []  # a hash, not a script
