"""Per-field transformations as Polars expressions: keyed pseudonyms and generalisation.

Every expression is vectorised except the HMAC, which Polars has no native form of: it is Python's
one-shot ``hmac.digest`` (OpenSSL's HMAC-SHA-256, RFC 2104) per value.
"""

from __future__ import annotations

import hmac

import polars as pl

from residency.deidentify.schema import FieldSpec, SchemaError

# 128 bits of the HMAC: collisions are negligible for any data set size an enclave holds.
PSEUDONYM_HEX_CHARS = 32
MIN_KEY_BYTES = 32
SUPPRESSED = "*"


class Pseudonymiser:
    """HMAC-SHA-256 under a secret key: the same value and field give the same pseudonym under one key;
    under another key the pseudonyms are unrelated (so a key rotation unlinks old and new test data).

    The field name is part of the message so that the same value in two fields (a phone number used as a
    login, say) does not link the fields.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise SchemaError(f"pseudonymisation key is {len(key)} bytes; at least {MIN_KEY_BYTES} are required")
        self._key = key

    def pseudonym(self, field: str, value: str) -> str:
        return hmac.digest(self._key, f"{field}\x1f{value}".encode(), "sha256").hex()[:PSEUDONYM_HEX_CHARS]

    def expression(self, field: str) -> pl.Expr:
        key, prefix = self._key, f"{field}\x1f"

        def batch(series: pl.Series) -> pl.Series:
            # One-shot OpenSSL HMAC per value (hmac.digest), about 1 us; nulls stay null.
            values = [
                None if v is None else hmac.digest(key, (prefix + v).encode(), "sha256").hex()[:PSEUDONYM_HEX_CHARS]
                for v in series.to_list()
            ]
            return pl.Series(series.name, values, dtype=pl.String)

        return pl.col(field).cast(pl.String).map_batches(batch, return_dtype=pl.String).alias(field)


def _as_date(field: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(field)
    if dtype == pl.Date:
        return col
    if isinstance(dtype, pl.Datetime):
        return col.dt.date()
    if dtype == pl.String:
        # Strict: a value that is not an ISO date stops the run (the caller turns it into one line).
        return col.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=True)
    raise SchemaError(f"field {field!r}: type {dtype} cannot hold dates; expected ISO dates (YYYY-MM-DD)")


def _as_number(field: str, dtype: pl.DataType, target: type[pl.DataType]) -> pl.Expr:
    if dtype == pl.String or dtype.is_numeric():
        return pl.col(field).cast(target, strict=True)
    raise SchemaError(f"field {field!r}: type {dtype} is not numeric")


def generalise(spec: FieldSpec, dtype: pl.DataType) -> pl.Expr:
    """The generalised value of a quasi-identifier, always as a string (null stays null)."""
    name, rule, p = spec.name, spec.generalise, spec.params
    col = pl.col(name)
    if rule == "keep":
        out = col.cast(pl.String)
    elif rule == "date-to-month":
        out = _as_date(name, dtype).dt.strftime("%Y-%m")
    elif rule == "date-to-year":
        out = _as_date(name, dtype).dt.strftime("%Y")
    elif rule == "age-band":
        width = p["band_width"]
        low = (_as_number(name, dtype, pl.Int64) // width) * width
        out = pl.concat_str([low.cast(pl.String), pl.lit("-"), (low + width - 1).cast(pl.String)])
    elif rule == "truncate":
        out = col.cast(pl.String).str.replace_all(r"\s", "").str.to_uppercase().str.slice(0, p["keep"])
    elif rule == "area":
        # A value the table does not name is not passed through: it becomes the suppressed marker.
        out = col.cast(pl.String).replace_strict(p["areas"], default=SUPPRESSED, return_dtype=pl.String)
        out = pl.when(col.is_null()).then(None).otherwise(out)
    elif rule == "round-coordinate":
        out = _as_number(name, dtype, pl.Float64).round(p["decimals"]).cast(pl.String)
    else:  # parse_field admits only the rules above
        raise SchemaError(f"field {name!r}: unknown generalisation {rule!r}")
    return out.alias(name)
