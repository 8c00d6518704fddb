"""Rules indexed by the kind of fact they judge: the index offers a fact exactly the rules that judge it."""

from __future__ import annotations

from dataclasses import replace

from residency.model import (
    ClusterBinding,
    ControlState,
    Destination,
    Fact,
    KeyReference,
    NamespaceLabels,
    Placement,
    Transfer,
    Vector,
    ZonePinning,
)
from residency.rules import RULE_INDEX, RULES
from residency.rules.base import fact_kind
from residency.rules.index import RuleIndex

URN = "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::records"


def sample_facts() -> list[Fact]:
    """One fact of every kind the catalogue judges, and one no rule judges."""
    facts: list[Fact] = [
        Placement(URN, "aws:s3/bucket:Bucket", "eu-west-1"),
        KeyReference(URN, "t", "S3 default encryption", "alias/k", "eu-west-1"),
        ZonePinning(URN, "kubernetes:storage.k8s.io/v1:StorageClass", ("eu-west-1a",)),
        ClusterBinding(URN, "pulumi:providers:kubernetes", "c", "eu-west-1", "eu-west-1"),
        NamespaceLabels(URN, "kubernetes:core/v1:Namespace", "ns", "eu", "records"),
        ControlState("no-such-control", URN, "t", "eu-west-1", True),
    ]
    facts += [Transfer(v, URN, "t", "eu-west-1", Destination("d", "us-east-1")) for v in Vector]
    controls = {kind[1] for r in RULES for kind in r.judges if kind[0] is ControlState}
    facts += [ControlState(c, URN, "t", "eu-west-1", True) for c in sorted(str(c) for c in controls)]
    return facts


def test_every_catalogue_rule_is_indexed() -> None:
    assert all(r.judges for r in RULES), [r.id for r in RULES if not r.judges]


def test_the_index_offers_each_fact_exactly_the_rules_that_judge_it() -> None:
    for fact in sample_facts():
        assert RULE_INDEX.rules_for(fact) == [r for r in RULES if r.applies_to(fact)], fact


def test_a_rule_judges_only_facts_of_its_declared_kinds() -> None:
    for fact in sample_facts():
        for rule in RULES:
            if rule.applies_to(fact):
                assert fact_kind(fact) in rule.judges, (rule.id, fact)


def test_a_fact_is_offered_only_its_kinds_rules() -> None:
    transfer = Transfer(Vector.S3_REPLICATION, URN, "t", "eu-west-1", Destination("d", "us-east-1"))
    assert [r.id for r in RULE_INDEX.candidates(transfer)] == ["transfer-s3-replication"]
    assert RULE_INDEX.candidates(ControlState("no-such-control", URN, "t", None, True)) == ()


def test_a_rule_without_declared_kinds_is_offered_every_fact() -> None:
    location = next(r for r in RULES if r.id == "residency-location")
    unindexed = replace(location, id="unindexed", judges=())
    index = RuleIndex([location, unindexed])
    placement = Placement(URN, "aws:s3/bucket:Bucket", "eu-west-1")
    assert [r.id for r in index.rules_for(placement)] == ["residency-location", "unindexed"]
    assert [r.id for r in index.candidates(KeyReference(URN, "t", "p", "k", None))] == ["unindexed"]
