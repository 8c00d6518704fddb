"""Property: whatever the schema and the records, no direct-identifier value survives de-identification.

Hypothesis draws a schema (which fields are identifiers, dropped or pseudonymised, which are free text,
quasi-identifiers or safe, K and the suppression share) and records whose free text quotes the record's own
identifiers. Every identifier value of at least three characters must be absent from every output cell.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.deidentify import ThresholdError, deidentify, parse_schema
from residency.deidentify.redact import REDACTED

IDENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.", min_size=3, max_size=12)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], pl.DataFrame]:
    n_ident = draw(st.integers(1, 3))
    fields: dict[str, Any] = {}
    for i in range(n_ident):
        fields[f"id{i}"] = {"kind": "direct-identifier", "action": draw(st.sampled_from(["drop", "pseudonymise"]))}
    fields["q"] = {"kind": "quasi-identifier", "generalise": draw(st.sampled_from(["keep", "truncate"]))}
    if fields["q"]["generalise"] == "truncate":
        fields["q"]["keep"] = draw(st.integers(1, 3))
    fields["text"] = {"kind": "free-text", "action": draw(st.sampled_from(["drop", "redact"]))}
    fields["safe"] = {"kind": "safe"}
    n = draw(st.integers(0, 40))
    ids = {f"id{i}": draw(st.lists(IDENT, min_size=n, max_size=n)) for i in range(n_ident)}
    groups = draw(st.lists(st.sampled_from(["aa", "ab", "ba", "bb"]), min_size=n, max_size=n))
    # The notes' own words are Cyrillic, outside IDENT's alphabet: an identifier such as "day" must not be found
    # in the template's "today" (a false leak), nor a real leak hidden by template text.
    notes = [
        draw(st.sampled_from(["заметка про {v} сегодня", "{v}", "({v}), видел", "{V}!"])).format(
            v=ids["id0"][r], V=ids["id0"][r].upper()
        )
        for r in range(n)
    ]
    frame = pl.DataFrame(
        {**ids, "q": groups, "text": notes, "safe": list(range(n))},
        schema={**dict.fromkeys(ids, pl.String), "q": pl.String, "text": pl.String, "safe": pl.Int64},
    )
    dataset = {"name": "random", "k": draw(st.integers(2, 4)), "max_suppression": 0.99}
    return {"dataset": dataset, "fields": fields}, frame


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_identifier_value_survives(case: tuple[dict[str, Any], pl.DataFrame]) -> None:
    raw, frame = case
    try:
        result = deidentify(frame, parse_schema(raw), b"s" * 32)
    except ThresholdError:
        return  # nothing is published
    identifiers = {v.lower() for c in frame.columns if c.startswith("id") for v in frame[c].to_list()}
    # The redaction marker is the tool's own text: an identifier such as "red" inside "[redacted]" is not a leak.
    marker = REDACTED.lower()
    cells = [str(v).lower().replace(marker, " ") for row in result.output.rows() for v in row if v is not None]
    assert not [(v, cell) for v in identifiers for cell in cells if v in cell and not _inside_pseudonym(v, cell)]


def _inside_pseudonym(value: str, cell: str) -> bool:
    # A pseudonym is 32 hex characters; a short hex-looking identifier can occur inside one by chance,
    # which is not the identifier surviving.
    return len(cell) == 32 and all(c in "0123456789abcdef" for c in cell)
