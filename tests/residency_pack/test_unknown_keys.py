"""S3 default encryption under a key whose ARN is unknown at preview (``kmsMasterKeyId: key.arn``), as every
enclave stack writes it: resolved through the property's dependency on a key resource of the program and
judged by that key (adapters.pulumi.preview_keys.py); an unknown that cannot be resolved blocks."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from residency.finding_wire import decode
from tests.residency_pack.cases import Res
from tests.residency_pack.direct import Diag, run_direct

pytestmark = pytest.mark.usefixtures("eu_stack")
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
PUBLIC_ACCESS_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
KEY_PATH = ".rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"


def _blocking(case: list[Res], governance: Path) -> list[Diag]:
    # Protected, as an enclave program's stores are (guard-protected): these cases are about keys alone.
    protected = [dataclasses.replace(r, protect=True) for r in case]
    diags = run_direct(protected, {"residency-context": {"governanceDir": str(governance)}})
    assert not [d for d in diags if "can't run policy" in d.message], diags
    return [d for d in diags if d.level == "mandatory"]


def _rule(algorithm: str = "aws:kms", key: str = UNKNOWN_STRING_VALUE) -> dict[str, Any]:
    return {"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm, "kmsMasterKeyId": key}}


def _encrypted_bucket(rules_deps: list[str], key: Res | None = None, **rule: str) -> list[Res]:
    """A bucket, its public access block and its encryption configuration, whose ``rules`` depend on
    ``rules_deps`` (names); ``key``, if given, is declared in the program."""
    case = [key] if key is not None else []
    return [
        *case,
        Res("aws:s3/bucket:Bucket", "records", {"bucket": "records"}),
        Res(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "records-pab",
            {"bucket": UNKNOWN_STRING_VALUE, **dict.fromkeys(PUBLIC_ACCESS_SETTINGS, True)},
            deps={"bucket": ["records"]},
        ),
        Res(
            SSE,
            "records-sse",
            {"bucket": UNKNOWN_STRING_VALUE, "rules": [_rule(**rule)]},
            deps={"bucket": ["records"], "rules": rules_deps},
        ),
    ]


def _key(name: str = "records-key", **props: Any) -> Res:
    return Res("aws:kms/key:Key", name, {"enableKeyRotation": True, **props})


def _unknowns(diags: list[Diag]) -> set[tuple[str, str | None]]:
    decoded = [(d.policy, decode(d.message)) for d in diags]
    return {(policy, f.unknown) for policy, f in decoded if f is not None}


def test_a_key_of_the_program_in_the_jurisdiction_passes_at_preview(governance: Path) -> None:
    # What every enclave stack previews: nothing blocks, and nothing is left to the engine's advisory.
    assert _blocking(_encrypted_bucket(["records-key"], _key()), governance) == []


def test_the_key_is_judged_by_its_own_region(governance: Path) -> None:
    diags = _blocking(_encrypted_bucket(["records-key"], _key(region="us-east-1")), governance)
    # The key itself is outside (residency-location), and so is the custody of the bucket's data.
    assert sorted((d.policy, d.urn.rsplit("::", 1)[-1]) for d in diags) == [
        ("key-custody", "records-sse"),
        ("residency-location", "records-key"),
    ]
    assert "records-key held in us-east-1" in next(d.message for d in diags if d.policy == "key-custody")


def test_the_key_is_judged_by_its_provider_region(governance: Path) -> None:
    abroad = Res("pulumi:providers:aws", "abroad", {"region": "us-east-1"})
    key = Res("aws:kms/key:Key", "records-key", {"enableKeyRotation": True}, provider="abroad")
    diags = _blocking([abroad, *_encrypted_bucket(["records-key"], key)], governance)
    custody = [d for d in diags if d.policy == "key-custody"]
    assert len(custody) == 1 and "records-key held in us-east-1" in custody[0].message, diags


def test_an_unknown_key_that_depends_on_no_program_key_blocks_at_preview(governance: Path) -> None:
    diags = _blocking(_encrypted_bucket([]), governance)
    assert ("s3-encryption-kms", KEY_PATH) in _unknowns(diags) and ("key-custody", KEY_PATH) in _unknowns(diags)
    # Left to the stack policies that resolve keys, not reported again by the resource's location policy.
    assert not [d for d in diags if d.policy == "residency-location"], diags


def test_an_unknown_key_that_depends_on_more_than_a_program_key_blocks_at_preview(governance: Path) -> None:
    other = Res("aws:sns/topic:Topic", "other", {})
    diags = _blocking([other, *_encrypted_bucket(["records-key", "other"], _key())], governance)
    assert ("s3-encryption-kms", KEY_PATH) in _unknowns(diags), diags


def test_only_the_key_is_resolved_an_unknown_algorithm_still_blocks(governance: Path) -> None:
    case = _encrypted_bucket(["records-key"], _key(), algorithm=UNKNOWN_STRING_VALUE)
    path = ".rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"
    assert ("s3-encryption-kms", path) in _unknowns(_blocking(case, governance))


def test_a_resolved_key_does_not_hide_an_aes256_rule(governance: Path) -> None:
    case = _encrypted_bucket(["records-key"], _key(), algorithm="AES256")
    diags = [d for d in _blocking(case, governance) if d.policy == "s3-encryption-kms"]
    assert len(diags) == 1 and "violated" in diags[0].message and diags[0].urn.endswith("::records-sse"), diags


def test_an_inline_block_with_an_unknown_program_key_passes(governance: Path) -> None:
    block = {"rule": _rule()}
    bucket = Res(
        "aws:s3/bucket:Bucket",
        "records",
        {"bucket": "records", "serverSideEncryptionConfiguration": block},
        deps={"serverSideEncryptionConfiguration": ["records-key"]},
    )
    judged = ("s3-encryption-kms", "key-custody", "residency-location")
    assert [d for d in _blocking([_key(), bucket], governance) if d.policy in judged] == []


def test_an_inline_block_with_an_unresolvable_unknown_key_blocks(governance: Path) -> None:
    bucket = Res(
        "aws:s3/bucket:Bucket", "records", {"bucket": "records", "serverSideEncryptionConfiguration": {"rule": _rule()}}
    )
    path = ".serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.kmsMasterKeyId"
    assert ("s3-encryption-kms", path) in _unknowns(_blocking([bucket], governance))


STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
EKS = "aws:eks/cluster:Cluster"


def _storage_class(deps: list[str]) -> Res:
    params = {"type": "gp3", "encrypted": "true", "kmsKeyId": UNKNOWN_STRING_VALUE}
    return Res(
        STORAGE_CLASS,
        "encrypted-gp3",
        {"provisioner": "ebs.csi.aws.com", "parameters": params},
        deps={"parameters": deps},
    )


def _cluster(deps: list[str]) -> Res:
    props = {
        "roleArn": "arn:aws:iam::111122223333:role/eks",
        "vpcConfig": {"endpointPrivateAccess": True, "endpointPublicAccess": False},
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": UNKNOWN_STRING_VALUE}},
        "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    }
    return Res(EKS, "cluster", props, deps={"encryptionConfig": deps})


@pytest.mark.parametrize("make", [_storage_class, _cluster], ids=["storage-class", "eks-cluster"])
def test_kubernetes_encryption_under_a_program_key_passes_at_preview(make: Any, governance: Path) -> None:
    judged = ("k8s-storage-encrypted", "eks-secrets-encrypted", "key-custody", "residency-location")
    assert [d for d in _blocking([_key(), make(["records-key"])], governance) if d.policy in judged] == []


@pytest.mark.parametrize("make", [_storage_class, _cluster], ids=["storage-class", "eks-cluster"])
def test_kubernetes_encryption_under_a_foreign_program_key_fails_custody(make: Any, governance: Path) -> None:
    diags = _blocking([_key(region="us-east-1"), make(["records-key"])], governance)
    custody = [d for d in diags if d.policy == "key-custody"]
    assert len(custody) == 1 and "us-east-1" in custody[0].message, diags


@pytest.mark.parametrize(
    ("make", "control", "path"),
    [
        (_storage_class, "k8s-storage-encrypted", ".parameters.kmsKeyId"),
        (_cluster, "eks-secrets-encrypted", ".encryptionConfig.provider.keyArn"),
    ],
    ids=["storage-class", "eks-cluster"],
)
def test_kubernetes_encryption_under_an_unresolvable_key_blocks(
    make: Any, control: str, path: str, governance: Path
) -> None:
    diags = _blocking([make([])], governance)
    assert (control, path) in _unknowns(diags), diags
    assert not [d for d in diags if d.policy == "residency-location"], diags


def test_an_unknown_key_hides_neither_the_endpoint_nor_the_logs_of_a_cluster(governance: Path) -> None:
    cluster = _cluster(["records-key"])
    cluster.props["vpcConfig"] = {"endpointPrivateAccess": True, "endpointPublicAccess": True}
    diags = _blocking([_key(), cluster], governance)
    assert [d.policy for d in diags] == ["eks-private-endpoint"], diags
