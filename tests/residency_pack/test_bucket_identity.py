"""A bucket's own name and ARN are where it is, never where it sends data (transfer-bucket-destination).

AnalyzeStack reads each resource's state: after create (and in the gate, which runs the program with the
mocks' outputs) that holds the bucket's own ``arn``, an S3 ARN like any destination's. Judged as one, a
bucket abroad was reported as sending data to itself; where it is, residency-location judges. A bucket
that names another bucket (a replication destination, however alike the names) is still judged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.residency_pack.cases import Res
from tests.residency_pack.direct import Diag, mandatory, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
DESTINATION = "transfer-bucket-destination"


def _bucket(name: str, region: str = "eu-west-1", token: str = BUCKET, **props: object) -> Res:
    """A created bucket: its state holds its own ``arn`` and ``id`` beside its inputs."""
    outputs = {"arn": f"arn:aws:s3:::{name}", "id": name, "bucketRegion": region}
    return Res(token, name, {"bucket": name, "region": region, **props}, outputs=outputs)


def _replicating_to(bucket_arn: str) -> list[dict[str, object]]:
    """BucketV2's inline replication (a list, as in pulumi-aws v7), read by destination discovery."""
    return [{"role": "arn:aws:iam::111111111101:role/replication", "rules": [{"destination": {"bucket": bucket_arn}}]}]


def _judged(case: list[Res], governance: Path) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance)}})


def _named(diags: list[Diag], policy: str) -> set[str]:
    return {d.urn.rsplit("::", 1)[-1] for d in mandatory(diags, policy)}


@pytest.mark.parametrize("token", [BUCKET, BUCKET_V2])
def test_a_bucket_abroad_is_out_of_place_not_sending_data_to_itself(token: str, governance: Path) -> None:
    diags = _judged([_bucket("records-5fcb81f", "us-east-1", token)], governance)
    assert _named(diags, "residency-location") == {"records-5fcb81f"}
    assert _named(diags, DESTINATION) == set()


def test_a_bucket_that_sends_data_to_a_bucket_abroad_is_still_a_violation(governance: Path) -> None:
    # The destination's name starts like the source's: only the bucket's own names are left out.
    source = _bucket("records", token=BUCKET_V2, replicationConfigurations=_replicating_to("arn:aws:s3:::records-dr"))
    diags = _judged([source, _bucket("records-dr", "us-east-1")], governance)
    assert _named(diags, DESTINATION) == {"records"}
    assert "records-dr" in mandatory(diags, DESTINATION)[0].message
    assert _named(diags, "residency-location") == {"records-dr"}


def test_a_bucket_that_sends_data_to_a_bucket_outside_the_program_cannot_be_verified(governance: Path) -> None:
    source = _bucket("records", token=BUCKET_V2, replicationConfigurations=_replicating_to("arn:aws:s3:::elsewhere"))
    [finding] = mandatory(_judged([source], governance), DESTINATION)
    assert "elsewhere" in finding.message and "cannot be verified" in finding.message
