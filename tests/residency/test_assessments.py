from datetime import date, datetime
from pathlib import Path

import pytest

from residency.assessments import AssessmentRegistry, load_registry, parse_registry
from residency.errors import RegistryError
from residency.exemptions import load_exemptions, parse_exemptions
from residency.jurisdictions import default_catalogue
from residency.model import Finding, Status
from residency.rules import RULE_VECTORS
from tests.residency.conftest import TODAY, assessment

CAT = default_catalogue()
NO_ASSESSMENTS = AssessmentRegistry()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source": "xx"}, "source 'xx' is not one of"),
        ({"destination": {"jurisdiction": "mars"}}, "destination jurisdiction 'mars' is not one of"),
        ({"destination": {"region": "eu-west-9"}}, "destination region 'eu-west-9' is not a known AWS region"),
        ({"destination": {"account": "12", "region": "eu-west-2"}}, "destination account '12' is not a 12-digit"),
        ({"destination": {"region": "eu-west-2", "jurisdiction": "uk"}}, "exactly one of"),
        ({"vectors": ["carrier-pigeon"]}, "'carrier-pigeon' is not one of: s3-replication"),
        ({"vectors": []}, "vectors: must not be empty"),
        ({"legal_mechanism": "handshake"}, "'handshake' is not one of: adequacy-decision"),
        ({"residual_risk": "none"}, "'none' is not one of: low, medium, high"),
        ({"review_by": "soon"}, "review_by: 'soon' is not a date"),
        ({"review_by": "2026-01-01"}, "review_by 2026-01-01 must be after approved_on 2026-01-15"),
        ({"approver": " "}, "approver must name a person or role"),
        ({"purpose": ""}, "purpose must be stated"),
    ],
)
def test_bad_assessment_fields_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry([assessment(**overrides)], CAT)


def test_missing_assessment_fields_are_listed() -> None:
    raw = assessment()
    del raw["approver"], raw["review_by"]
    with pytest.raises(RegistryError, match="missing approver, review_by"):
        parse_registry([raw], CAT)


def test_duplicate_assessment_ids_are_rejected() -> None:
    with pytest.raises(RegistryError, match="appears twice"):
        parse_registry([assessment(), assessment()], CAT)


def test_expiry_is_inclusive_of_review_date() -> None:
    a = parse_registry([assessment(review_by="2026-11-30")], CAT).assessments[0]
    assert not a.expired(TODAY)
    assert a.expired(date(2026, 12, 1))


def test_registry_files(tmp_path: Path) -> None:
    assert load_registry(tmp_path / "absent.toml", CAT).assessments == ()
    bad = tmp_path / "bad.toml"
    bad.write_text("[[assessment]\n")
    with pytest.raises(RegistryError, match="cannot read assessment registry"):
        load_registry(bad, CAT)


def test_shipped_registries_load() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    load_registry(root / "governance" / "transfer-assessments.toml", CAT)
    load_exemptions(root / "governance" / "exemptions.toml", RULE_VECTORS, NO_ASSESSMENTS)


def exemption(**overrides: object) -> dict[str, object]:
    """A valid exemption record as the registry file holds it; overrides replace (or break) fields."""
    raw: dict[str, object] = {
        "id": "EX-1",
        "rule": "residency-location",
        "resource": "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::legacy-bucket",
        "reason": "migrating out by Q1",
        "owner": "platform@example.com",
        "expires": "2026-12-31",
    }
    raw.update(overrides)
    return raw


URN = "urn:pulumi:eu-dublin::enclave::aws:s3/bucket:Bucket::legacy-bucket"


def failing(rule: str = "residency-location", resource: str = URN) -> Finding:
    return Finding(rule, Status.FAIL, resource, "us-east-1", "outside")


def test_exemption_waives_matching_finding() -> None:
    reg = parse_exemptions([exemption()], RULE_VECTORS, NO_ASSESSMENTS)
    [f] = reg.apply([failing()], "eu", TODAY)
    assert f.exemption == "EX-1" and not f.blocking


def test_expired_exemption_waives_nothing() -> None:
    reg = parse_exemptions([exemption(expires="2026-11-29")], RULE_VECTORS, NO_ASSESSMENTS)
    [f] = reg.apply([failing()], "eu", TODAY)
    assert f.blocking and "exemption EX-1 expired on 2026-11-29" in f.message


def test_exemption_matches_rule_and_resource_exactly() -> None:
    reg = parse_exemptions([exemption()], RULE_VECTORS, NO_ASSESSMENTS)
    other_rule = failing(rule="key-custody")
    other_resource = failing(resource=URN.replace("legacy-bucket", "legacy-bucket-2"))
    assert all(f.blocking for f in reg.apply([other_rule, other_resource], "eu", TODAY))


def test_exemption_scoped_to_jurisdiction() -> None:
    reg = parse_exemptions([exemption(jurisdiction="uk")], RULE_VECTORS, NO_ASSESSMENTS)
    assert reg.apply([failing()], "eu", TODAY)[0].blocking


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "reason is required"),
        ({"owner": None}, "owner is required"),
        ({"rule": "no-such-rule"}, "rule 'no-such-rule' is not a known rule id"),
        ({"expires": "never"}, "expires: 'never' is not a date"),
    ],
)
def test_bad_exemptions_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_exemptions([exemption(**overrides)], RULE_VECTORS, NO_ASSESSMENTS)


def test_duplicate_exemption_ids_are_rejected() -> None:
    with pytest.raises(RegistryError, match="'EX-1' appears twice"):
        parse_exemptions([exemption(), exemption()], RULE_VECTORS, NO_ASSESSMENTS)


# Shape errors: TOML that parses but has the wrong structure is one RegistryError line, never a crash.
@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('assessment = "oops"\n', r"assessment must be an array of tables \(\[\[assessment\]\]\), got 'oops'"),
        ('[assessment]\nid = "x"\n', "assessment must be an array of tables .*got a single table"),
        ("assessment = [1]\n", "assessment entry 1 must be a table"),
    ],
)
def test_assessment_registry_shape_errors_are_one_line(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "transfer-assessments.toml"
    path.write_text(toml)
    with pytest.raises(RegistryError, match=message) as caught:
        load_registry(path, CAT)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source": ["eu"]}, r"source \['eu'\] is not one of"),
        ({"destination": {"jurisdiction": ["uk"]}}, "destination jurisdiction: must be a non-empty string"),
        ({"destination": {"region": ["us-east-1"]}}, "destination region: must be a non-empty string"),
        ({"destination": {"account": ["123456789012"], "region": "eu-west-2"}}, "is not a 12-digit AWS account id"),
        ({"destination": {"worldwide": "yes"}}, "destination worldwide must be true or false"),
        ({"special_categories": "no"}, "special_categories must be true or false"),
        ({"approved_on": datetime(2026, 1, 15, 9, 0)}, "approved_on: 2026-01-15T09:00:00 is a date-time"),
        ({"review_by": 20270115}, "review_by: 20270115 is not a date"),
    ],
)
def test_assessment_field_shapes_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry([assessment(**overrides)], CAT)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("exemption = 3\n", r"exemption must be an array of tables \(\[\[exemption\]\]\), got 3"),
        ('[exemption]\nid = "x"\n', "got a single table"),
        ('exemption = ["x"]\n', "exemption entry 1 must be a table"),
    ],
)
def test_exemption_registry_shape_errors_are_one_line(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "exemptions.toml"
    path.write_text(toml)
    with pytest.raises(RegistryError, match=message) as caught:
        load_exemptions(path, RULE_VECTORS, NO_ASSESSMENTS)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rule": ["key-custody"]}, r"rule: must be a non-empty string, got \['key-custody'\]"),
        ({"resource": 7}, "resource: must be a non-empty string, got 7"),
        ({"owner": ["a"]}, "owner: must be a non-empty string"),
        ({"jurisdiction": ["eu"]}, "jurisdiction: must be a non-empty string"),
        ({"expires": datetime(2030, 1, 1, 10, 0)}, "expires: 2030-01-01T10:00:00 is a date-time"),
        ({"expires": 2030}, "expires: 2030 is not a date"),
    ],
)
def test_exemption_field_shapes_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_exemptions([exemption(**overrides)], RULE_VECTORS, NO_ASSESSMENTS)


def test_toml_dates_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "exemptions.toml"
    path.write_text(
        '[[exemption]]\nid = "EX-1"\nrule = "key-custody"\nresource = "arn:aws:kms:eu-west-1:111122223333:key/k"\n'
        'reason = "r"\nowner = "o"\n'
        "expires = 2030-01-01\n"
    )
    assert load_exemptions(path, RULE_VECTORS, NO_ASSESSMENTS).exemptions[0].expires == date(2030, 1, 1)


# Matching is exact: one resource, named by its full URN or ARN.
@pytest.mark.parametrize(
    ("listed", "resource", "waived"),
    [
        (
            "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data",
            "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data",
            True,
        ),
        (
            "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data",
            "urn:pulumi:uk::enclave::aws:s3/bucket:Bucket::data",
            False,
        ),
        (
            "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data",
            "urn:pulumi:eu::other::aws:s3/bucket:Bucket::data",
            False,
        ),
        (
            "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data",
            "urn:pulumi:eu::enclave::enclave:Enclave$aws:s3/bucket:Bucket::data",
            False,
        ),
        ("arn:aws:s3:::data", "arn:aws:s3:::data", True),
        ("arn:aws:s3:::data", "arn:aws:s3:::data2", False),
    ],
)
def test_exemption_resource_matching_is_exact(listed: str, resource: str, waived: bool) -> None:
    reg = parse_exemptions([exemption(resource=listed)], RULE_VECTORS, NO_ASSESSMENTS)
    [f] = reg.apply([failing(resource=resource)], "eu", TODAY)
    assert f.blocking is not waived


def test_assessment_for_a_urn_does_not_cover_an_arn() -> None:
    from residency.model import Destination, Transfer, Vector

    urn = "urn:pulumi:eu::enclave::aws:s3/bucket:Bucket::data"
    reg = parse_registry([assessment(resources=[urn])], CAT)
    to_uk = Destination("uk bucket", "eu-west-2")
    by_urn = Transfer(Vector.S3_REPLICATION, urn, "aws:s3/bucket:Bucket", "eu-west-1", to_uk)
    by_arn = Transfer(Vector.S3_REPLICATION, "arn:aws:s3:::data", "AWS::S3::Bucket", "eu-west-1", to_uk)
    assert reg.for_transfer(by_urn, "eu", CAT) and not reg.for_transfer(by_arn, "eu", CAT)
