"""Redaction of sensitive free text: a reviewed pattern detector plus the record's own identifiers.

Why not an NLP detector (presidio): presidio finds names with a spaCy model, and spaCy's maintainers do
not publish their models on PyPI (only third-party re-uploads exist), which is the only registry this
project installs from; spaCy and presidio alone also unpack to about 135 MB, which with the data library
(Polars, about 175 MB) exceeds AWS Lambda's 250 MB limit for the pipeline's code. So redaction is done in
two deterministic, testable layers:

1. record-aware: every word of at least three characters of the same record's direct identifiers
   ("Jane" and "Smith" of "Jane Smith", both halves of "07700 900123", a whole e-mail address) is
   replaced wherever it stands as a word in the record's free text, in any letter case;
2. patterns: e-mail addresses, phone numbers, payment card and account numbers, IBANs, UK National
   Insurance numbers, US social security numbers, IP addresses, URLs and postcodes.

What this cannot find: a name of someone *other* than the record's subject written in the text (no list
of names is complete), and an identifier glued inside a longer word ("Smith-Jones" when the record says
"Smith"; the match is by whole word, which is what keeps "Ann" from redacting "Annual"). Schemas should ``drop`` free text unless the redacted text is needed.
"""

from __future__ import annotations

import polars as pl

REDACTED = "[REDACTED]"
MIN_TOKEN_CHARS = 3

# Reviewed patterns (Rust regex syntax, as Polars uses). Order matters: longer structures first. They are
# deliberately generous (any two letters start a National Insurance number, any 12-19 digits are a card):
# redacting a harmless number costs less than publishing an identifier.
PATTERNS: dict[str, str] = {
    "email": r"(?i)[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}",
    "url": r"(?i)\b(?:https?://|www\.)\S+",
    "iban": r"(?i)\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,4})?\b",
    "card-or-account-number": r"\b\d(?:[ -]?\d){11,18}\b",
    "us-ssn": r"\b\d{3}-\d{2}-\d{4}\b",
    "uk-national-insurance": r"(?i)\b[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d]\b",
    "phone": r"(?:\+|\b00)?\(?\d[\d\s().-]{6,}\d\b",
    "ipv4": r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
    "uk-postcode": r"(?i)\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b",
    "us-zip": r"\b\d{5}(?:-\d{4})\b",
}


ROW = "__row"
WORD = "__word"
# Characters that may surround a word without being part of it: brackets, quotes, punctuation.
OPENERS = "([{<\"'"
CLOSERS = ")]}>,;:.!?\"'"
ANY_PATTERN = "|".join(f"(?:{p})" for p in PATTERNS.values())


def _core(word: pl.Expr) -> pl.Expr:
    """A word without surrounding brackets, quotes, punctuation and a trailing 's, lower-cased."""
    core = word.str.strip_chars_start(OPENERS).str.strip_chars_end(CLOSERS)
    return core.str.strip_suffix("'s").str.strip_chars_end(CLOSERS).str.to_lowercase()


def _match_key(core: pl.Expr) -> pl.Expr:
    # (row, core) as one 64-bit hash: a collision can only redact a harmless word, never keep an identifier.
    return pl.struct(pl.col(ROW), core).hash(seed=11)


def _identifier_keys(frame: pl.DataFrame, identifier_fields: list[str]) -> pl.Series:
    """The match keys of every word of at least MIN_TOKEN_CHARS of every identifier value of each row.
    The length is the written word's ("00." counts three); the core is compared as the text's words are."""
    parts = [frame.select(pl.col(ROW), pl.col(f).cast(pl.String).str.split(" ").alias(WORD)) for f in identifier_fields]
    if not parts:
        return pl.Series("key", [], dtype=pl.UInt64)
    words = pl.concat(parts).explode(WORD).filter(pl.col(WORD).str.len_chars() >= MIN_TOKEN_CHARS)
    keys = words.select(_core(pl.col(WORD)).alias("__core"), pl.col(ROW)).filter(pl.col("__core") != "")
    return keys.select(_match_key(pl.col("__core")).alias("key"))["key"].unique()


def redact_column(frame: pl.DataFrame, text_field: str, identifier_fields: list[str]) -> pl.Series:
    """The redacted text of ``text_field``, given the record's raw ``identifier_fields``.

    Record-aware layer, vectorised: the text is split into whitespace-separated words (runs of whitespace
    become one space), each word's core (without surrounding brackets, quotes, punctuation or a trailing
    's) is compared case-insensitively with the words of the same record's identifiers, and a match is
    replaced, keeping the punctuation. Then the patterns run over the re-joined text.
    """
    rows = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW),
        *[pl.col(f) for f in identifier_fields],
        pl.col(text_field).cast(pl.String),
    )
    words = rows.select(
        pl.col(ROW), pl.col(text_field).str.replace_all(r"\s+", " ").str.split(" ").alias(WORD)
    ).explode(WORD)
    word = pl.col(WORD)
    opened = word.str.strip_chars_start(OPENERS)
    prefix = word.str.head(word.str.len_chars() - opened.str.len_chars())
    core_end = opened.str.strip_chars_end(CLOSERS).str.strip_suffix("'s").str.strip_chars_end(CLOSERS)
    suffix = opened.str.tail(opened.str.len_chars() - core_end.str.len_chars())
    hit = _match_key(_core(word)).is_in(_identifier_keys(rows, identifier_fields).implode())
    replaced = pl.when(hit).then(pl.concat_str([prefix, pl.lit(REDACTED), suffix])).otherwise(word)
    joined = (
        words.select(pl.col(ROW), replaced.alias(WORD))
        .group_by(ROW, maintain_order=True)
        .agg(pl.col(WORD).str.join(" "))
    )
    # Every row explodes to at least one word (a null text to one null word), and the grouping keeps row
    # order, so the joined texts line up with the rows; str.join drops nulls, so restore null explicitly.
    text = joined.select(pl.when(rows[text_field].is_null()).then(None).otherwise(pl.col(WORD)).alias(text_field))[
        text_field
    ]
    if text.len() != rows.height:  # pragma: no cover - the invariant above; never publish misaligned text
        raise AssertionError("redaction lost rows")
    # One pass with every pattern (an alternation tries them in PATTERNS' order at each position).
    return text.str.replace_all(ANY_PATTERN, REDACTED).alias(text_field)
