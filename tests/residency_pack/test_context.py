"""Jurisdiction resolution fails closed; registries are honoured, and every exception is listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.residency_pack.cases import CASES, Res
from tests.residency_pack.direct import Diag, mandatory, run_direct

BUCKET = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "tags": {"jurisdiction": "eu"}})
US_BUCKET = Res("aws:s3/bucket:Bucket", "us-data", {"bucket": "us-data", "region": "us-east-1"})
CDN = Res("aws:cloudfront/distribution:Distribution", "cdn", {"enabled": True})


def _stack(monkeypatch: pytest.MonkeyPatch, config: dict[str, str]) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(config))
    monkeypatch.setenv("PULUMI_PROJECT", "enclave")


def _run(case: list[Res], governance: Path, **pin: str) -> list[Diag]:
    return run_direct(case, {"residency-context": {"governanceDir": str(governance), **pin}})


def test_missing_jurisdiction_is_mandatory_on_every_resource_even_when_tagged(
    monkeypatch: pytest.MonkeyPatch, governance: Path
) -> None:
    _stack(monkeypatch, {"aws:region": "eu-west-1"})
    diags = mandatory(_run([BUCKET, CDN], governance), "residency-context")
    assert {d.urn for d in diags} == {BUCKET.urn, CDN.urn}
    assert all("no jurisdiction" in d.message for d in diags)


def test_unknown_jurisdiction_names_allowed_values(monkeypatch: pytest.MonkeyPatch, governance: Path) -> None:
    _stack(monkeypatch, {"enclave:jurisdiction": "atlantis", "aws:region": "eu-west-1"})
    diags = mandatory(_run([BUCKET], governance), "residency-context")
    assert len(diags) == 1 and "unknown jurisdiction 'atlantis'" in diags[0].message and "eu, " in diags[0].message


def test_other_projects_declare_jurisdiction_under_their_namespace(
    monkeypatch: pytest.MonkeyPatch, governance: Path
) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"shop:jurisdiction": "eu", "aws:region": "eu-west-1"}))
    monkeypatch.setenv("PULUMI_PROJECT", "shop")
    assert not mandatory(_run([BUCKET], governance), "residency-context")


def test_pinned_jurisdiction_wins_and_a_conflicting_stack_is_a_violation(
    monkeypatch: pytest.MonkeyPatch, governance: Path
) -> None:
    _stack(monkeypatch, {"enclave:jurisdiction": "us", "aws:region": "us-east-1"})
    diags = mandatory(_run([US_BUCKET], governance, jurisdiction="eu"), "residency-context")
    assert diags and "pins 'eu'" in diags[0].message


def test_pin_alone_judges_an_undeclared_stack(monkeypatch: pytest.MonkeyPatch, governance: Path) -> None:
    _stack(monkeypatch, {"aws:region": "eu-west-1"})
    diags = _run([US_BUCKET], governance, jurisdiction="eu")
    assert not mandatory(diags, "residency-context")
    assert mandatory(diags, "residency-location")


@pytest.mark.usefixtures("eu_stack")
def test_invalid_registry_fails_closed_naming_it(governance: Path) -> None:
    (governance / "exemptions.toml").write_text('[[exemption]]\nid = "EX-1"\nrule = "no-such-rule"\n')
    diags = mandatory(_run([BUCKET], governance), "residency-context")
    assert diags and "exemption registry is invalid" in diags[0].message and "EX-1" in diags[0].message


@pytest.mark.parametrize(
    ("name", "toml"),
    [("transfer-assessments.toml", 'assessment = "oops"\n'), ("exemptions.toml", "exemption = 3\n")],
)
@pytest.mark.usefixtures("eu_stack")
def test_malformed_registry_shape_fails_closed_without_crashing(governance: Path, name: str, toml: str) -> None:
    (governance / name).write_text(toml)
    diags = mandatory(_run([BUCKET], governance), "residency-context")
    assert diags and "must be an array of tables" in diags[0].message


@pytest.mark.usefixtures("eu_stack")
def test_any_registry_load_failure_fails_closed(governance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Defence in depth: even an unexpected exception while loading becomes the residency-context problem.
    from residency_pack import context

    def broken(*_args: object) -> None:
        raise TypeError("unexpected\nshape")

    monkeypatch.setattr(context, "load_exemptions", broken)
    context._build.cache_clear()
    diags = mandatory(_run([BUCKET], governance), "residency-context")
    assert diags and "exemption registry is invalid: TypeError: unexpected shape" in diags[0].message


@pytest.mark.usefixtures("eu_stack")
def test_missing_governance_dir_fails_closed(tmp_path: Path) -> None:
    diags = mandatory(_run([BUCKET], tmp_path / "nowhere"), "residency-context")
    assert diags and "does not exist" in diags[0].message


@pytest.mark.usefixtures("eu_stack")
def test_valid_assessment_passes_and_is_listed(governance: Path) -> None:
    _, passing = CASES["transfer-cloudfront"]
    diags = _run(passing, governance)
    assert not mandatory(diags, "transfer-cloudfront")
    listed = [d for d in diags if d.policy == "residency-exceptions"]
    assert listed and listed[0].level == "advisory" and "TRA-TEST-CDN" in listed[0].message


@pytest.mark.usefixtures("eu_stack")
def test_expired_assessment_blocks_naming_it(governance: Path) -> None:
    text = (
        (governance / "transfer-assessments.toml")
        .read_text()
        .replace("review_by = 2099-01-01", "review_by = 2025-06-01")
    )
    (governance / "transfer-assessments.toml").write_text(text)
    _, passing = CASES["transfer-cloudfront"]
    diags = mandatory(_run(passing, governance), "transfer-cloudfront")
    assert diags and "TRA-TEST-CDN expired on 2025-06-01" in diags[0].message


EXEMPTION = """
[[exemption]]
id = "EX-IGW-1"
rule = "no-internet-gateway"
resource = "urn:pulumi:test::enclave::aws:ec2/internetGateway:InternetGateway::igw"
reason = "Temporary egress for a vendor migration"
owner = "platform@example.com"
expires = {expires}
"""


@pytest.mark.usefixtures("eu_stack")
def test_exemption_waives_and_is_listed(governance: Path) -> None:
    (governance / "exemptions.toml").write_text(EXEMPTION.format(expires="2099-12-31"))
    failing, _ = CASES["no-internet-gateway"]
    diags = _run(failing, governance)
    assert not mandatory(diags, "no-internet-gateway")
    listed = [d for d in diags if d.policy == "residency-exceptions"]
    assert len(listed) == 1 and listed[0].level == "advisory"
    assert (
        "exempted by EX-IGW-1 (Temporary egress for a vendor migration; owner platform@example.com; expires 2099-12-31)"
        in listed[0].message
    )


@pytest.mark.usefixtures("eu_stack")
def test_expired_exemption_waives_nothing(governance: Path) -> None:
    (governance / "exemptions.toml").write_text(EXEMPTION.format(expires="2025-01-31"))
    failing, _ = CASES["no-internet-gateway"]
    diags = _run(failing, governance)
    blocking = mandatory(diags, "no-internet-gateway")
    assert blocking and "exemption EX-IGW-1 expired on 2025-01-31" in blocking[0].message
    assert not [d for d in diags if d.policy == "residency-exceptions"]


@pytest.mark.usefixtures("eu_stack")
def test_stack_level_exemption_is_listed_by_the_stack_policy(governance: Path) -> None:
    (governance / "exemptions.toml").write_text(
        EXEMPTION.format(expires="2099-12-31")
        .replace("no-internet-gateway", "vpc-flow-logs")
        .replace("aws:ec2/internetGateway:InternetGateway::igw", "aws:ec2/vpc:Vpc::vpc")
    )
    failing, _ = CASES["vpc-flow-logs"]
    diags = _run(failing, governance)
    assert not mandatory(diags, "vpc-flow-logs")
    listed = [d for d in diags if d.policy == "residency-exceptions-stack"]
    assert listed and listed[0].urn.endswith("::vpc") and "EX-IGW-1" in listed[0].message


def test_unreadable_pulumi_config_fails_closed(monkeypatch: pytest.MonkeyPatch, governance: Path) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", "{not json")
    diags = mandatory(_run([BUCKET], governance), "residency-context")
    assert diags and "PULUMI_CONFIG is not JSON" in diags[0].message
