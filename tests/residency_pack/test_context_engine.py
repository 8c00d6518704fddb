"""Through gRPC: fail-closed jurisdiction, preview unknowns, assessments, exemptions and pack config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policy_engine.client import PolicyEngine, StackIdentity
from policy_engine.pack_config import EngineError, expand_config
from residency.finding_wire import decode
from tests.residency_pack.cases import ASSESSMENTS, CASES, Res
from tests.residency_pack.engine_support import PACK_DIR, captured, of, start_engine

BUCKET = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "tags": {"jurisdiction": "eu"}})
IGW = Res("aws:ec2/internetGateway:InternetGateway", "igw", {"vpcId": "vpc-1"})
EXEMPTION = """[[exemption]]
id = "EX-IGW-1"
rule = "no-internet-gateway"
resource = "urn:pulumi:test::enclave::aws:ec2/internetGateway:InternetGateway::igw"
reason = "Vendor migration egress"
owner = "platform@example.com"
expires = {expires}
"""


def _governance(root: Path, name: str, assessments: str = ASSESSMENTS, exemptions: str = "") -> Path:
    directory = root / name
    directory.mkdir()
    (directory / "transfer-assessments.toml").write_text(assessments)
    (directory / "exemptions.toml").write_text(exemptions)
    return directory


@pytest.fixture(scope="module")
def undeclared() -> Iterator[PolicyEngine]:
    engine = start_engine({"aws:region": "eu-west-1"})
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def preview() -> Iterator[PolicyEngine]:
    engine = start_engine({"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"}, dry_run=True)
    yield engine
    engine.close()


def test_no_jurisdiction_blocks_every_resource_even_when_tagged(undeclared: PolicyEngine) -> None:
    undeclared.configure({})
    diags = of(undeclared.analyze(captured([BUCKET, IGW])), "residency-context")
    assert {d.urn for d in diags} == {BUCKET.urn, IGW.urn}
    assert all("no jurisdiction" in d.message for d in diags)


def test_unknown_pinned_jurisdiction_is_rejected_before_analysis(undeclared: PolicyEngine) -> None:
    with pytest.raises(EngineError, match="jurisdiction='atlantis' is not one of"):
        undeclared.configure({"residency-context": {"jurisdiction": "atlantis"}})


def test_pinned_jurisdiction_judges_an_undeclared_stack(undeclared: PolicyEngine) -> None:
    undeclared.configure({"residency-context": {"jurisdiction": "uk"}})
    diags = undeclared.analyze(captured([BUCKET]))
    assert not of(diags, "residency-context")
    assert "outside United Kingdom" in of(diags, "residency-location")[0].message


def test_unknown_region_in_preview_blocks_at_preview(preview: PolicyEngine) -> None:
    bucket = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "region": UNKNOWN_STRING_VALUE})
    diags = [d for d in preview.analyze(captured([bucket])) if d.policy == "residency-location"]
    assert [d.level for d in diags] == ["mandatory"]
    finding = decode(diags[0].message)
    assert finding is not None and (finding.status, finding.unknown) == ("UNKNOWN", ".region")


def test_the_update_enforces_the_known_value_as_mandatory(preview: PolicyEngine) -> None:
    bucket = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "region": "us-east-1"})
    with PolicyEngine(
        PACK_DIR, StackIdentity("enclave", "test", {"enclave:jurisdiction": "eu"}, dry_run=False)
    ) as update:
        diags = of(update.analyze(captured([bucket])), "residency-location")
    assert diags and "us-east-1" in diags[0].message


def test_assessment_expiry_flips_a_transfer_to_blocking(preview: PolicyEngine, tmp_path: Path) -> None:
    _, approved = CASES["transfer-cloudfront"]
    preview.configure({"residency-context": {"governanceDir": str(_governance(tmp_path, "valid"))}})
    diags = preview.analyze(captured(approved))
    assert not of(diags, "transfer-cloudfront")
    assert "TRA-TEST-CDN" in of(diags, "residency-exceptions", "advisory")[0].message
    expired = ASSESSMENTS.replace("review_by = 2099-01-01", "review_by = 2025-03-01")
    preview.configure({"residency-context": {"governanceDir": str(_governance(tmp_path, "expired", expired))}})
    blocked = of(preview.analyze(captured(approved)), "transfer-cloudfront")
    assert blocked and "TRA-TEST-CDN expired on 2025-03-01" in blocked[0].message


def test_exemption_is_honoured_and_listed_and_expiry_restores_the_block(preview: PolicyEngine, tmp_path: Path) -> None:
    valid = _governance(tmp_path, "ex-valid", exemptions=EXEMPTION.format(expires="2099-12-31"))
    preview.configure({"residency-context": {"governanceDir": str(valid)}})
    diags = preview.analyze(captured([IGW]))
    assert not of(diags, "no-internet-gateway")
    listed = of(diags, "residency-exceptions", "advisory")
    assert listed and "exempted by EX-IGW-1 (Vendor migration egress; owner platform@example.com" in listed[0].message
    expired = _governance(tmp_path, "ex-expired", exemptions=EXEMPTION.format(expires="2025-01-01"))
    preview.configure({"residency-context": {"governanceDir": str(expired)}})
    blocked = of(preview.analyze(captured([IGW])), "no-internet-gateway")
    assert blocked and "exemption EX-IGW-1 expired on 2025-01-01" in blocked[0].message


def test_invalid_registry_fails_closed(preview: PolicyEngine, tmp_path: Path) -> None:
    broken = _governance(tmp_path, "broken", assessments="[[assessment]]\nid = 'TRA-X'\n")
    preview.configure({"residency-context": {"governanceDir": str(broken)}})
    diags = of(preview.analyze(captured([BUCKET])), "residency-context")
    assert diags and "transfer assessment registry is invalid" in diags[0].message and "TRA-X" in diags[0].message


def test_all_sets_every_level_and_a_policy_can_be_lowered(preview: PolicyEngine, tmp_path: Path) -> None:
    governance = str(_governance(tmp_path, "levels"))
    preview.configure(
        {"all": "advisory", "residency-context": {"governanceDir": governance, "enforcementLevel": "mandatory"}}
    )
    bucket = Res("aws:s3/bucket:Bucket", "data", {"bucket": "data", "region": "us-east-1"})
    diags = preview.analyze(captured([bucket]))
    assert of(diags, "residency-location", "advisory") and not of(diags, "residency-location")


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"no-such-policy": "mandatory"}, "unknown policy 'no-such-policy'"),
        ({"residency-location": "strict"}, "enforcementLevel 'strict' is not one of"),
        ({"all": {"enforcementLevel": "mandatory", "jurisdiction": "eu"}}, '"all": only an enforcement level'),
        ({"residency-location": {"jurisdiction": "eu"}}, "'jurisdiction' is not in its schema"),
    ],
)
def test_bad_pack_config_is_one_clear_error(config: dict[str, object], error: str) -> None:
    names = ["residency-context", "residency-location"]
    schemas = {"residency-context": {"jurisdiction": {"type": "string", "enum": ["eu"]}}}
    with pytest.raises(EngineError, match=error):
        expand_config(config, names, schemas)


def test_a_pack_that_cannot_start_is_reported_with_its_stderr(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
    (tmp_path / "__main__.py").write_text("raise SystemExit('broken pack')\n")
    with pytest.raises(EngineError, match="did not start") as err:
        PolicyEngine(tmp_path, StackIdentity("p", "s", {})).start()
    assert "broken pack" in str(err.value)


def test_preview_resolves_an_unknown_key_to_its_program_key_and_blocks(preview: PolicyEngine, tmp_path: Path) -> None:
    preview.configure({"residency-context": {"governanceDir": str(_governance(tmp_path, "keys"))}})
    key = Res("aws:kms/key:Key", "logs-key", {"enableKeyRotation": True, "region": "us-east-1"})
    logs = Res(
        "aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": UNKNOWN_STRING_VALUE}, deps={"kmsKeyId": ["logs-key"]}
    )
    blocked = of(preview.analyze(captured([key, logs])), "key-custody")
    assert blocked and blocked[0].urn == logs.urn and "held in us-east-1" in blocked[0].message


def test_levels_follow_the_wire_enum() -> None:
    from pulumi.runtime.proto.analyzer_pb2 import EnforcementLevel

    from policy_engine.pack_config import LEVELS

    assert {name: LEVELS.index(name) for name in LEVELS} == {
        n.lower(): EnforcementLevel.Value(n)
        for n in EnforcementLevel.keys()  # noqa: SIM118 (a protobuf enum wrapper, not a dict)
    }


FAR_BUCKET = Res("aws:s3/bucket:Bucket", "far", {"bucket": "far", "region": "us-east-1"})


@pytest.mark.parametrize(
    ("level", "reported"),
    [("disabled", set()), ("remediate", {"mandatory"}), ("advisory", {"advisory"}), ("mandatory", {"mandatory"})],
)
def test_each_configured_level_reaches_the_pack_as_named(preview: PolicyEngine, level: str, reported: set[str]) -> None:
    # pulumi_policy reports a remediate policy that still finds a violation as mandatory.
    preview.configure({"residency-location": level})
    try:
        diags = [d for d in preview.analyze(captured([FAR_BUCKET])) if d.policy == "residency-location"]
    finally:
        preview.configure({})  # the engine is shared by the module's tests
    assert {d.level for d in diags} == reported


def test_disabling_the_context_policy_does_not_silence_the_pack() -> None:
    # Its own pack process: the engine configures a pack once, and the shared engines were configured before.
    engine = start_engine({"aws:region": "eu-west-1"})
    try:
        engine.configure({"residency-context": "disabled"})
        diags = engine.analyze(captured([BUCKET, IGW]))
    finally:
        engine.close()
    assert of(diags, "residency-context") == []
    backstop = of(diags, "residency-location")
    assert {d.urn for d in backstop} == {BUCKET.urn, IGW.urn}
    assert all("the pack cannot judge this stack: " in d.message and "no jurisdiction" in d.message for d in backstop)


def test_a_pin_holds_even_when_the_context_policy_is_disabled(preview: PolicyEngine) -> None:
    # The pack reads residency-context's config when the engine configures it, not when that policy runs:
    # disabled, it reports nothing itself, but the stack (declaring eu) is still judged against the uk pin.
    preview.configure({"residency-context": {"enforcementLevel": "disabled", "jurisdiction": "uk"}})
    try:
        diags = preview.analyze(captured([BUCKET]))
    finally:
        preview.configure({})  # the engine is shared by the module's tests
    assert of(diags, "residency-context") == []
    [backstop] = of(diags, "residency-location")
    assert "declares jurisdiction 'eu' (enclave:jurisdiction) but the policy pack pins 'uk'" in backstop.message


def _context_diags(config: dict[str, str], pin: str | None = None) -> list[str]:
    engine = start_engine({"aws:region": "eu-west-1", **config})
    try:
        engine.configure({"residency-context": {"jurisdiction": pin}} if pin else {})
        return [d.message for d in of(engine.analyze(captured([BUCKET])), "residency-context")]
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("config", "pin", "said"),
    [
        # The US enclave account declared for an EU stack: the catalogue's account map says whose it is.
        (
            {"enclave:jurisdiction": "eu", "enclave:accountId": "111111111103"},
            None,
            "enclave:accountId = 111111111103 is an enclave account of United States (us), but the stack's "
            "jurisdiction is 'eu'",
        ),
        # A pin does not make another jurisdiction's account acceptable.
        ({"enclave:accountId": "111111111102"}, "eu", "is an enclave account of United Kingdom (uk)"),
        # The default AWS provider's allowed accounts are where the stack deploys.
        (
            {"enclave:jurisdiction": "eu", "aws:allowedAccountIds": '["111111111101", "111111111102"]'},
            None,
            "aws:allowedAccountIds[1] = 111111111102 is an enclave account of United Kingdom (uk)",
        ),
        (
            {"enclave:jurisdiction": "eu", "aws:allowedAccountIds": "111111111101"},
            None,
            "aws:allowedAccountIds = '111111111101' is not a list of AWS account ids",
        ),
        ({"enclave:jurisdiction": "eu", "enclave:accountId": "1111"}, None, "enclave:accountId = '1111' is not an AWS"),
    ],
)
def test_an_account_of_another_jurisdiction_blocks(config: dict[str, str], pin: str | None, said: str) -> None:
    messages = _context_diags(config, pin)
    assert messages and all(said in m for m in messages), messages


@pytest.mark.parametrize(
    "config",
    [
        {"enclave:jurisdiction": "eu", "enclave:accountId": "111111111101"},
        {"enclave:jurisdiction": "eu", "aws:allowedAccountIds": '["111111111101", "111111111100"]'},
        # An account the catalogue does not list is no evidence of another jurisdiction.
        {"enclave:jurisdiction": "eu", "enclave:accountId": "222233334444"},
    ],
)
def test_the_jurisdiction_own_or_an_unlisted_account_passes(config: dict[str, str]) -> None:
    assert _context_diags(config) == []
