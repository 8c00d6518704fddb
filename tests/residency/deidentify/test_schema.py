"""Dataset schemas are validated strictly: every bad value is a one-line SchemaError naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from residency.deidentify.schema import DEFAULT_K, SchemaError, load_schema, parse_schema

ROOT = Path(__file__).resolve().parents[3]


def schema(**dataset: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dataset.pop("fields", None) or {
        "id": {"kind": "direct-identifier", "action": "pseudonymise"},
        "age": {"kind": "quasi-identifier", "generalise": "age-band", "band_width": 10},
        "diagnosis": {"kind": "safe"},
    }
    return {"dataset": {"name": "demo", **dataset}, "fields": fields}


def test_a_valid_schema_parses_with_defaults() -> None:
    parsed = parse_schema(schema())
    assert parsed.k == DEFAULT_K and parsed.max_suppression == 0.05 and parsed.max_linkage_risk == 0.1
    assert [f.kind for f in parsed.fields] == ["direct-identifier", "quasi-identifier", "safe"]
    assert parsed.fields[1].params == {"band_width": 10}


def test_the_shipped_schema_loads() -> None:
    people = load_schema(ROOT / "governance" / "datasets", "people")
    assert people.k == 10 and people.l_diversity is not None and people.l_diversity.attribute == "diagnosis"


BAD_FIELDS = {
    "unknown kind": (
        {"kind": "secret"},
        "kind 'secret' is not one of direct-identifier, free-text, quasi-identifier, safe",
    ),
    "missing kind": ({"action": "drop"}, "kind None is not one of"),
    "bad action": (
        {"kind": "direct-identifier", "action": "hash"},
        "action 'hash' is not allowed for direct-identifier; allowed: drop, pseudonymise",
    ),
    "redact an identifier": ({"kind": "direct-identifier", "action": "redact"}, "allowed: drop, pseudonymise"),
    "pseudonymise text": ({"kind": "free-text", "action": "pseudonymise"}, "allowed: drop, redact"),
    "unknown key": ({"kind": "safe", "action": "drop"}, "unknown key 'action'; allowed: description, kind"),
    "bad rule": ({"kind": "quasi-identifier", "generalise": "blur"}, "generalise 'blur' is not one of age-band, area,"),
    "missing parameter": ({"kind": "quasi-identifier", "generalise": "truncate"}, "generalise 'truncate' needs keep"),
    "wrong parameter type": (
        {"kind": "quasi-identifier", "generalise": "truncate", "keep": "2"},
        "keep = '2' is not a int",
    ),
    "bool as int": (
        {"kind": "quasi-identifier", "generalise": "age-band", "band_width": True},
        "band_width = True is not a int",
    ),
    "zero band": (
        {"kind": "quasi-identifier", "generalise": "age-band", "band_width": 0},
        "band_width = 0 must be at least 1",
    ),
    "empty areas": ({"kind": "quasi-identifier", "generalise": "area", "areas": {}}, "areas must be a non-empty table"),
    "decimals": (
        {"kind": "quasi-identifier", "generalise": "round-coordinate", "decimals": 9},
        "decimals = 9 must be between 0 and 6",
    ),
    "extra parameter": ({"kind": "quasi-identifier", "generalise": "keep", "keep": 2}, "unknown key 'keep'"),
    "not a table": ("safe", "must be a table with a kind"),
}


@pytest.mark.parametrize("case", sorted(BAD_FIELDS))
def test_a_bad_field_is_one_line_naming_it(case: str) -> None:
    raw, message = BAD_FIELDS[case]
    fields = {"x": raw, "age": {"kind": "quasi-identifier", "generalise": "keep"}}
    with pytest.raises(SchemaError) as err:
        parse_schema(schema(fields=fields))
    assert message in str(err.value) and "field 'x'" in str(err.value) and "\n" not in str(err.value)


BAD_DATASETS = {
    "k too small": ({"k": 1}, "k = 1 must be at least 2"),
    "k not int": ({"k": "10"}, "k = '10' is not a int"),
    "share out of range": ({"max_suppression": 1.5}, "max_suppression = 1.5 must be in [0, 1)"),
    "risk out of range": ({"max_linkage_risk": 0}, "max_linkage_risk = 0.0 must be in (0, 1]"),
    "unknown dataset key": ({"owner": "x"}, "unknown key 'owner'"),
    "l on a non-safe field": (
        {"l_diversity": {"attribute": "age", "l": 2}},
        "l_diversity attribute 'age' must be a safe field; safe fields: diagnosis",
    ),
    "l too small": ({"l_diversity": {"attribute": "diagnosis", "l": 1}}, "l_diversity.l = 1 must be at least 2"),
    "l unknown key": ({"l_diversity": {"attribute": "diagnosis", "l": 2, "m": 1}}, "unknown key 'm'"),
}


@pytest.mark.parametrize("case", sorted(BAD_DATASETS))
def test_bad_dataset_settings_are_one_line(case: str) -> None:
    settings, message = BAD_DATASETS[case]
    with pytest.raises(SchemaError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_schema(schema(**cast(dict[str, Any], settings)))


def test_a_schema_without_quasi_identifiers_is_refused() -> None:
    with pytest.raises(SchemaError, match="no quasi-identifier"):
        parse_schema(schema(fields={"id": {"kind": "direct-identifier", "action": "drop"}}))


def test_missing_tables_and_names_are_refused() -> None:
    with pytest.raises(SchemaError, match=r"missing \[dataset\] table"):
        parse_schema({"fields": {}})
    with pytest.raises(SchemaError, match="dataset name 'Bad Name' is not a name"):
        parse_schema({"dataset": {"name": "Bad Name"}, "fields": {}})
    with pytest.raises(SchemaError, match="missing \\[fields.<name>\\] tables"):
        parse_schema({"dataset": {"name": "demo"}})
    with pytest.raises(SchemaError, match="unknown key 'field'"):
        parse_schema({"dataset": {"name": "demo"}, "field": {}})


def test_load_schema_names_the_file_problem(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no schema .*absent.toml; known datasets: none"):
        load_schema(tmp_path, "absent")
    (tmp_path / "broken.toml").write_text("[dataset\n")
    with pytest.raises(SchemaError, match="broken.toml is not valid TOML"):
        load_schema(tmp_path, "broken")
    (tmp_path / "other.toml").write_text(
        '[dataset]\nname = "demo"\n[fields.a]\nkind = "quasi-identifier"\ngeneralise = "keep"\n'
    )
    with pytest.raises(SchemaError, match="dataset name 'demo' does not match the file name 'other'"):
        load_schema(tmp_path, "other")
    with pytest.raises(SchemaError, match="'../x' is not a dataset name"):
        load_schema(tmp_path, "../x")
