"""Through gRPC: an AWS provider's endpoint overrides are placed like the provider itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from policy_engine.client import PolicyEngine
from tests.residency_pack.cases import Res
from tests.residency_pack.engine_support import captured, of, start_engine


@pytest.fixture(scope="module")
def engine() -> Iterator[PolicyEngine]:
    running = start_engine({"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"})
    yield running
    running.close()


def _provider(endpoints: str) -> list[Res]:
    provider = Res("pulumi:providers:aws", "pinned", {"region": "eu-west-1", "endpoints": endpoints})
    return [provider, Res("aws:s3/bucket:Bucket", "records", {"bucket": "records"}, provider="pinned")]


@pytest.mark.parametrize(
    ("endpoints", "expected"),
    [
        ('[{"s3": "https://s3.us-east-1.amazonaws.com"}]', "is in us-east-1, outside European Union"),
        (
            '[{"kms": "https://kms.eu-west-1.amazonaws.com", "s3": "https://proxy.example.com"}]',
            "is not an AWS endpoint",
        ),
    ],
)
def test_an_endpoint_outside_the_jurisdiction_blocks_the_provider(
    engine: PolicyEngine, endpoints: str, expected: str
) -> None:
    [finding] = of(engine.analyze(captured(_provider(endpoints))), "residency-location")
    assert finding.urn.endswith("::pinned") and expected in finding.message


def test_endpoints_in_the_jurisdiction_pass(engine: PolicyEngine) -> None:
    endpoints = '[{"s3": "https://s3.eu-west-1.amazonaws.com", "kms": "https://kms-fips.eu-central-1.amazonaws.com"}]'
    assert of(engine.analyze(captured(_provider(endpoints))), "residency-location") == []
