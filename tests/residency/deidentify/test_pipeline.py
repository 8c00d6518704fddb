"""The de-identification run: transformations, suppression, thresholds and the measured risk."""

from __future__ import annotations

from typing import Any, cast

import polars as pl
import pytest

from residency.deidentify import SchemaError, ThresholdError, deidentify, parse_schema
from residency.deidentify.anonymity import measure_risk
from residency.deidentify.redact import REDACTED, redact_column
from residency.deidentify.transforms import SUPPRESSED, Pseudonymiser

KEY, OTHER_KEY = b"k" * 32, b"o" * 32


def make_schema(fields: dict[str, Any], **dataset: Any) -> Any:
    return parse_schema({"dataset": {"name": "demo", **dataset}, "fields": fields})


QUASI_KEEP = {"group": {"kind": "quasi-identifier", "generalise": "keep"}}


def test_unknown_input_column_blocks_the_run() -> None:
    frame = pl.DataFrame({"group": ["a"] * 3, "ssn": ["1", "2", "3"]})
    with pytest.raises(SchemaError, match="input column 'ssn' is not in dataset 'demo'; add it to the schema"):
        deidentify(frame, make_schema(QUASI_KEEP, k=2), KEY)


def test_a_declared_column_missing_from_the_input_blocks_the_run() -> None:
    schema = make_schema({**QUASI_KEEP, "id": {"kind": "direct-identifier", "action": "drop"}}, k=2)
    with pytest.raises(SchemaError, match="input has no column 'id'"):
        deidentify(pl.DataFrame({"group": ["a", "a"]}), schema, KEY)


def test_pseudonyms_are_stable_under_one_key_and_unlinkable_across_keys() -> None:
    one, again, other = Pseudonymiser(KEY), Pseudonymiser(KEY), Pseudonymiser(OTHER_KEY)
    assert one.pseudonym("id", "P1") == again.pseudonym("id", "P1")
    assert one.pseudonym("id", "P1") != other.pseudonym("id", "P1")
    # The field separates domains: the same value in two fields does not link them.
    assert one.pseudonym("id", "P1") != one.pseudonym("email", "P1")
    assert len(one.pseudonym("id", "P1")) == 32


def test_a_short_key_is_refused() -> None:
    with pytest.raises(SchemaError, match="key is 16 bytes; at least 32 are required"):
        Pseudonymiser(b"x" * 16)


def test_identifiers_are_dropped_or_pseudonymised_and_nulls_stay_null() -> None:
    schema = make_schema(
        {
            **QUASI_KEEP,
            "id": {"kind": "direct-identifier", "action": "pseudonymise"},
            "name": {"kind": "direct-identifier", "action": "drop"},
        },
        k=2,
    )
    frame = pl.DataFrame({"group": ["a"] * 3, "id": ["P1", "P1", None], "name": ["Ann", "Bob", "Cy"]})
    result = deidentify(frame, schema, KEY)
    assert result.output.columns == ["group", "id"]
    ids = result.output["id"].to_list()
    assert ids[0] == ids[1] == Pseudonymiser(KEY).pseudonym("id", "P1") and ids[2] is None
    assert result.report["fields"]["dropped"] == ["name"] and result.report["fields"]["pseudonymised"] == ["id"]


GENERALISED = [
    ({"generalise": "date-to-month"}, ["2025-03-14", "1999-12-31"], ["2025-03", "1999-12"]),
    ({"generalise": "date-to-year"}, ["2025-03-14", "1999-12-31T10:00:00"], ["2025", "1999"]),
    ({"generalise": "age-band", "band_width": 10}, ["7", "45"], ["0-9", "40-49"]),
    ({"generalise": "truncate", "keep": 2}, ["ls11 4ab", "SW1A 1AA"], ["LS", "SW"]),
    ({"generalise": "area", "areas": {"Leeds": "North"}}, ["Leeds", "Paris"], ["North", SUPPRESSED]),
    ({"generalise": "round-coordinate", "decimals": 1}, ["53.801", "-1.549"], ["53.8", "-1.5"]),
    ({"generalise": "keep"}, ["F", "M"], ["F", "M"]),
]


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    GENERALISED,
    ids=[str(cast(dict[str, Any], g[0])["generalise"]) for g in GENERALISED],
)
def test_quasi_identifiers_are_generalised(rule: dict[str, Any], values: list[str], expected: list[str]) -> None:
    schema = make_schema({"q": {"kind": "quasi-identifier", **rule}}, k=2, max_suppression=0.99)
    frame = pl.DataFrame({"q": [v for v in values for _ in range(2)]})
    assert deidentify(frame, schema, KEY).output["q"].to_list() == [e for e in expected for _ in range(2)]


def test_typed_columns_generalise_like_text() -> None:
    from datetime import date

    schema = make_schema(
        {
            "d": {"kind": "quasi-identifier", "generalise": "date-to-month"},
            "a": {"kind": "quasi-identifier", "generalise": "age-band", "band_width": 5},
        },
        k=2,
    )
    frame = pl.DataFrame({"d": [date(2020, 5, 1)] * 2, "a": [33, 34]})
    assert deidentify(frame, schema, KEY).output.rows() == [("2020-05", "30-34"), ("2020-05", "30-34")]


@pytest.mark.parametrize(
    ("rule", "value", "message"),
    [
        ({"generalise": "age-band", "band_width": 10}, "forty", "a value does not fit its field's rule"),
        ({"generalise": "date-to-year"}, "14/03/2025", "a value does not fit"),
    ],
)
def test_a_value_a_rule_cannot_read_is_one_line(rule: dict[str, Any], value: str, message: str) -> None:
    schema = make_schema({"q": {"kind": "quasi-identifier", **rule}}, k=2)
    with pytest.raises(SchemaError, match=message) as err:
        deidentify(pl.DataFrame({"q": [value, value]}), schema, KEY)
    assert "\n" not in str(err.value)


def test_small_classes_are_suppressed_until_k_holds() -> None:
    schema = make_schema(QUASI_KEEP, k=3, max_suppression=0.5)
    frame = pl.DataFrame({"group": ["a"] * 3 + ["b"] * 4 + ["c"] * 2})
    result = deidentify(frame, schema, KEY)
    assert sorted(result.output["group"].to_list()) == ["a"] * 3 + ["b"] * 4
    report = result.report
    assert (report["records_in"], report["records_out"], report["records_suppressed"], report["k_achieved"]) == (
        9,
        7,
        2,
        3,
    )


def test_l_diversity_suppresses_classes_with_one_sensitive_value() -> None:
    fields = {**QUASI_KEEP, "diagnosis": {"kind": "safe"}}
    schema = make_schema(fields, k=2, max_suppression=0.6, l_diversity={"attribute": "diagnosis", "l": 2})
    frame = pl.DataFrame({"group": ["a", "a", "b", "b"], "diagnosis": ["flu", "flu", "flu", "asthma"]})
    result = deidentify(frame, schema, KEY)
    assert result.output["group"].to_list() == ["b", "b"]
    assert result.report["l_diversity"] == {"attribute": "diagnosis", "l_required": 2, "l_achieved": 2}


def test_too_much_suppression_fails_and_says_why() -> None:
    schema = make_schema(QUASI_KEEP, k=3, max_suppression=0.1)
    frame = pl.DataFrame({"group": ["a"] * 3 + ["b", "c"]})
    with pytest.raises(
        ThresholdError,
        match=r"reaching k=3 would suppress 2 of 5 records \(40.0%\), more than the allowed 10.0%; generalise the quasi-identifiers \(group\) further",
    ):
        deidentify(frame, schema, KEY)


def test_a_risk_above_the_schema_bound_fails() -> None:
    schema = make_schema(QUASI_KEEP, k=2, max_linkage_risk=0.25)
    with pytest.raises(ThresholdError, match="measured linkage risk 0.333 exceeds the schema's bound 0.250"):
        deidentify(pl.DataFrame({"group": ["a"] * 3 + ["b"] * 4}), schema, KEY)


def test_risk_is_the_prosecutor_chance_over_input_records() -> None:
    generalised_input = pl.DataFrame({"q": ["a", "a", "b", "b", "b", "b", "c"]})
    output = generalised_input.filter(pl.col("q") != "c")
    risk = measure_risk(generalised_input, output, ["q"])
    # a: 2 targets at 1/2, b: 4 at 1/4, c: suppressed, 0.
    assert risk.linkability_mean == pytest.approx((2 * 0.5 + 4 * 0.25) / 7)
    assert (risk.linkability_max, risk.singling_out, risk.classes) == (0.5, 0.0, 2)
    lonely = measure_risk(pl.DataFrame({"q": ["a", "b", "b"]}), pl.DataFrame({"q": ["a", "b", "b"]}), ["q"])
    assert lonely.singling_out == pytest.approx(1 / 3) and lonely.linkability_max == 1.0


def test_null_quasi_identifiers_form_their_own_class() -> None:
    schema = make_schema(QUASI_KEEP, k=2)
    result = deidentify(pl.DataFrame({"group": [None, None, "a", "a"]}, schema={"group": pl.String}), schema, KEY)
    assert result.output.height == 4 and result.report["risk"]["linkability_max"] == 0.5


def test_free_text_loses_the_record_s_identifiers_in_any_case_and_known_patterns() -> None:
    frame = pl.DataFrame(
        {
            "name": ["Jane Smith", "Al Oduya"],
            "phone": ["07700 900123", None],
            "notes": [
                "JANE smith's test (call 07700 900123); mail jane@x.org, card 4111 1111 1111 1111, NI QQ123456C",
                "Al said: visit https://example.org/a?b or 192.168.1.20, postcode LS11 4AB; SSN 123-45-6789",
            ],
        }
    )
    out = redact_column(frame, "notes", ["name", "phone"]).to_list()
    assert (
        out[0]
        == f"{REDACTED} {REDACTED}'s test (call {REDACTED} {REDACTED}); mail {REDACTED}, card {REDACTED}, NI {REDACTED}"
    )
    # "Al" is too short to redact as a word (it would hit "Al" everywhere); the patterns still run.
    assert out[1] == f"Al said: visit {REDACTED} or {REDACTED}, postcode {REDACTED}; SSN {REDACTED}"


def test_a_record_s_identifiers_are_not_redacted_from_another_record() -> None:
    frame = pl.DataFrame({"name": ["Jane Smith", "Bob Stone"], "notes": ["Bob Stone visited", None]})
    assert redact_column(frame, "notes", ["name"]).to_list() == ["Bob Stone visited", None]
