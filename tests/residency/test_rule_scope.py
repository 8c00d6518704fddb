"""Rule scope is a field of the rule: the surfaces read it, they keep no list of their own."""

from __future__ import annotations

from residency.rules import RULES
from residency.rules.base import Scope

PROGRAM_SCOPE = {
    "key-custody",
    "transfer-s3-replication",
    "transfer-s3-multi-region-access-point",
    "transfer-bucket-destination",
    "s3-encryption-kms",
    "s3-public-access-blocked",
    "vpc-flow-logs",
    "k8s-default-deny-egress",
    "k8s-cluster-in-enclave",
    "test-data-guard",
    "test-data-pipeline",
    "test-data-single-writer",
    "guard-protected",
    "eks-secrets-encrypted",
    "records-source-vpce",
    "jurisdiction-tag-guarded",
    "k8s-storage-encrypted",
}


def test_program_scope_rules_are_exactly_those_that_need_the_whole_program() -> None:
    assert {r.id for r in RULES if r.scope == Scope.PROGRAM} == PROGRAM_SCOPE


def test_the_pack_builds_its_stack_policies_from_the_rule_scope() -> None:
    from residency_pack.policies import stack_rules

    assert {r.id for r in stack_rules()} == PROGRAM_SCOPE
