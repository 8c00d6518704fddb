"""The red-team corpus (programs/redteam, issue 9's "tried as a security reviewer would"): each program that
moves EU data out by a path issue 9 does not name is blocked, each in-jurisdiction equivalent passes. All
cases run in one gate run (one pack process, one test, so that xdist workers do not each run it), as
`enclave check --program` judges them."""

from __future__ import annotations

from tests.enclave.gate.redteam import cases, run_corpus


def test_every_case_gets_the_verdict_it_expects() -> None:
    verdicts = run_corpus()
    assert [v.case for v in verdicts] == sorted(cases())
    # A program that did not run has the verdict "error", never its expected one.
    wrong = [f"{v.case}: expected {v.expected}, gate said {v.verdict} ({v.why})" for v in verdicts if not v.correct]
    assert not wrong, "\n".join(wrong)


def test_the_corpus_is_a_reviewer_set() -> None:
    expected = list(cases().values())
    assert expected.count("block") >= 40 and expected.count("pass") >= 30
