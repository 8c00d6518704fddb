"""Hand-built gate results covering every report element: violations of both levels, an exemption,
checkov failures and justified skips, unmapped types and a target in error."""

from __future__ import annotations

from enclave.gate.results import CheckovFinding, CheckovSummary, ExemptionUse, TargetResult, Violation

BUCKET_URN = "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::records"
KEY_URN = "urn:pulumi:eu-dublin::enclave::aws:kms/key:Key::records-key"


def sample_results() -> list[TargetResult]:
    blocked = TargetResult(
        target="eu-dublin",
        stack="eu-dublin",
        jurisdiction="eu",
        resource_count=2,
        violations=[
            Violation(
                "residency-location",
                "residency",
                "critical",
                "mandatory",
                BUCKET_URN,
                "aws:s3/bucket:Bucket",
                "aws:s3/bucket:Bucket is in us-east-1, outside European Union <&> | pipes",
            ),
            Violation(
                "kms-key-rotation",
                "encryption",
                "medium",
                "advisory",
                KEY_URN,
                "aws:kms/key:Key",
                "not satisfied: KMS key rotation is enabled",
            ),
        ],
        exemptions=[
            ExemptionUse("EX-1", "s3-encryption-kms", BUCKET_URN, "legacy import", "data-platform", "2027-01-31")
        ],
        checkov=CheckovSummary(
            passed=10,
            failed=1,
            skipped=1,
            findings=[CheckovFinding("CKV_AWS_18", BUCKET_URN, "Ensure the S3 bucket has access logging enabled")],
            skips=[
                CheckovFinding(
                    "CKV_AWS_144",
                    BUCKET_URN,
                    "Ensure that S3 bucket has cross-region replication enabled",
                    skip_reason="replication out of the jurisdiction is forbidden",
                )
            ],
        ),
        unmapped_types=["random:index/randomPet:RandomPet"],
        source_file="stacks/Pulumi.eu-dublin.yaml",
        resource_urns=[BUCKET_URN, KEY_URN, "urn:pulumi:eu-dublin::enclave::aws:ec2/vpc:Vpc::net"],
    )
    clean = TargetResult(target="uk-london", stack="uk-london", jurisdiction="uk", resource_count=3, checkov=None)
    broken = TargetResult(
        target="programs/broken", stack="dev", jurisdiction="eu", error="the program failed: KeyError"
    )
    return [blocked, clean, broken]
