"""aws-native resources are placed in their effective region; other clouds' resources cannot be placed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.residency_pack.cases import STACK_CONFIG, Res
from tests.residency_pack.direct import Diag, run_direct

NATIVE_BUCKET = "aws-native:s3:Bucket"
NATIVE_PROVIDER = "pulumi:providers:aws-native"


def _location(case: list[Res], governance: Path, monkeypatch: pytest.MonkeyPatch, **config: str) -> list[Diag]:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({**STACK_CONFIG, **config}))
    monkeypatch.setenv("PULUMI_PROJECT", "enclave")
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return [d for d in diags if d.policy == "residency-location"]


@pytest.mark.parametrize(
    ("case", "config", "expected"),
    [
        # The stack's aws-native:region, not aws:region, places an aws-native resource on the default provider.
        ([Res(NATIVE_BUCKET, "b")], {"aws-native:region": "us-east-1"}, "is in us-east-1"),
        ([Res(NATIVE_BUCKET, "b")], {}, "no determinable region"),
        ([Res(NATIVE_PROVIDER, "p", {"region": "us-east-1"})], {}, "is in us-east-1"),
        # An explicit provider without region takes the deployer's environment: unknown, never the stack's.
        (
            [Res(NATIVE_PROVIDER, "p"), Res(NATIVE_BUCKET, "b", provider="p")],
            {"aws-native:region": "eu-west-1"},
            "no determinable region",
        ),
        (
            [Res(NATIVE_PROVIDER, "p", {"region": "us-east-1"}), Res(NATIVE_BUCKET, "b", provider="p")],
            {"aws-native:region": "eu-west-1"},
            "is in us-east-1",
        ),
    ],
)
def test_aws_native_outside_or_unknown_blocks(
    case: list[Res], config: dict[str, str], expected: str, governance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diags = _location(case, governance, monkeypatch, **config)
    assert diags and all(d.level == "mandatory" for d in diags), diags
    assert any(expected in d.message for d in diags), diags


@pytest.mark.parametrize(
    ("case", "config"),
    [
        ([Res(NATIVE_BUCKET, "b")], {"aws-native:region": "eu-west-1"}),
        ([Res(NATIVE_BUCKET, "b", {"region": "eu-central-1"})], {"aws-native:region": "us-east-1"}),
        ([Res(NATIVE_PROVIDER, "p", {"region": "eu-west-1"}), Res(NATIVE_BUCKET, "b", provider="p")], {}),
        # Packages without a location stay fact-free.
        ([Res("random:index/randomPassword:RandomPassword", "pw"), Res("tls:index/privateKey:PrivateKey", "k")], {}),
        ([Res("azuread:index/group:Group", "g")], {}),
    ],
)
def test_aws_native_inside_and_locationless_packages_pass(
    case: list[Res], config: dict[str, str], governance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _location(case, governance, monkeypatch, **config) == []


@pytest.mark.parametrize(
    "token",
    [
        "gcp:storage/bucket:Bucket",
        "google-native:storage/v1:Bucket",
        "azure-native:storage:StorageAccount",
        "azure:storage/account:Account",
        "oci:ObjectStorage/bucket:Bucket",
        "alicloud:oss/bucket:Bucket",
        "digitalocean:index/spacesBucket:SpacesBucket",
        "linode:index/instance:Instance",
        "hcloud:index/server:Server",
        "pulumi:providers:gcp",
    ],
)
def test_unmodelled_cloud_resources_block(token: str, governance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [diag] = _location([Res(token, "r", {"region": "europe-west1", "location": "westeurope"})], governance, monkeypatch)
    assert diag.level == "mandatory" and "does not model" in diag.message, diag


@pytest.mark.parametrize(("native_region", "blocked"), [("us-east-1", True), ("eu-west-1", False)])
def test_the_stack_native_region_reaches_the_pack_through_the_engine(
    native_region: str, blocked: bool, governance: Path
) -> None:
    from tests.residency_pack.engine_support import captured, of, start_engine

    engine = start_engine({**STACK_CONFIG, "aws-native:region": native_region})
    try:
        engine.configure({"residency-context": {"governanceDir": str(governance)}})
        diags = of(engine.analyze(captured([Res(NATIVE_BUCKET, "b")])), "residency-location")
    finally:
        engine.close()
    assert bool(diags) is blocked, diags


BUILTIN_PROVIDER = Res("pulumi:providers:pulumi", "default")


@pytest.mark.usefixtures("eu_stack")
def test_the_engines_builtin_provider_and_a_stack_reference_hold_no_data(governance: Path) -> None:
    # The engine registers a default `pulumi` provider for every StackReference (it reads another stack's
    # outputs from the same backend). Neither stores nor sends data; what the outputs set is judged where they
    # are used (a bucket's region), so they are known, not "another provider" that cannot be verified.
    reference = Res("pulumi:pulumi:StackReference", "network", {"name": "org/network/prod"}, provider="default")
    assert _blocking([BUILTIN_PROVIDER, reference], governance) == set()


@pytest.mark.usefixtures("eu_stack")
def test_a_package_the_catalogue_does_not_know_still_blocks_beside_the_builtin_provider(governance: Path) -> None:
    saas = Res("pulumi:providers:datadog", "default-datadog")
    assert _blocking([BUILTIN_PROVIDER, saas], governance) == {("transfer-data-path", "default-datadog")}


def _blocking(case: list[Res], governance: Path) -> set[tuple[str, str]]:
    diags = run_direct(case, {"residency-context": {"governanceDir": str(governance)}})
    return {(d.policy, d.urn.rsplit("::", 1)[-1]) for d in diags if d.level == "mandatory"}
