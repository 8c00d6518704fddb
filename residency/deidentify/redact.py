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
PREFIX = r"^([(\[{<\"']*)"
SUFFIX = r"((?:'s)?[)\]}>,;:.!?\"']*)$"


def _core(word: pl.Expr) -> pl.Expr:
    """A word without its surrounding brackets, quotes, punctuation and trailing 's, lower-cased."""
    prefix = word.str.extract(PREFIX, 1).fill_null("").str.len_chars()
    suffix = word.str.extract(SUFFIX, 1).fill_null("").str.len_chars()
    return word.str.slice(prefix, (word.str.len_chars() - prefix - suffix).clip(lower_bound=0)).str.to_lowercase()


def _identifier_words(frame: pl.DataFrame, identifier_fields: list[str]) -> pl.DataFrame:
    """(row, core) for every word of at least MIN_TOKEN_CHARS of every identifier value. The length is
    the written word's ("00." counts three), and the core is compared the way the text's words are."""
    parts = [frame.select(pl.col(ROW), pl.col(f).cast(pl.String).str.split(" ").alias(WORD)) for f in identifier_fields]
    if not parts:
        return pl.DataFrame(schema={ROW: pl.UInt32, "__core": pl.String, "__hit": pl.Boolean})
    words = pl.concat(parts).explode(WORD).filter(pl.col(WORD).str.len_chars() >= MIN_TOKEN_CHARS)
    words = words.select(pl.col(ROW), _core(pl.col(WORD)).alias("__core")).filter(pl.col("__core") != "").unique()
    return words.with_columns(pl.lit(True).alias("__hit"))


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
    prefix = pl.col(WORD).str.extract(PREFIX, 1).fill_null("")
    suffix = pl.col(WORD).str.extract(SUFFIX, 1).fill_null("")
    words = words.with_columns(prefix.alias("__prefix"), suffix.alias("__suffix"), _core(pl.col(WORD)).alias("__core"))
    hits = _identifier_words(rows, identifier_fields)
    words = words.join(hits, on=[ROW, "__core"], how="left", maintain_order="left")
    replaced = (
        pl.when(pl.col("__hit"))
        .then(pl.concat_str([pl.col("__prefix"), pl.lit(REDACTED), pl.col("__suffix")]))
        .otherwise(pl.col(WORD))
    )
    joined = (
        words.select(pl.col(ROW), replaced.alias(WORD))
        .group_by(ROW, maintain_order=True)
        .agg(pl.col(WORD).str.join(" "))
    )
    # A null text explodes to one null word; str.join drops nulls, so restore null explicitly.
    text = rows.join(joined, on=ROW, how="left", maintain_order="left").select(
        pl.when(pl.col(text_field).is_null()).then(None).otherwise(pl.col(WORD)).alias(text_field)
    )[text_field]
    for pattern in PATTERNS.values():
        text = text.str.replace_all(pattern, REDACTED)
    return text.alias(text_field)
