"""One de-identification run: input table + reviewed schema + key -> test data and a report.

The CLI (``enclave deidentify``) and the enclave's pipeline function both call ``deidentify``; nothing
else decides what leaves the records bucket.

Order matters: free text is redacted while the record's identifiers are still there to redact; then
identifiers are dropped or pseudonymised and quasi-identifiers generalised; then records are suppressed
until k-anonymity (and l-diversity) holds; then the risk of exactly what is published is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from residency.deidentify.anonymity import Risk, measure_risk, suppress
from residency.deidentify.redact import redact_column
from residency.deidentify.schema import DIRECT, DROP, FREE_TEXT, PSEUDONYMISE, QUASI, REDACT, DatasetSchema, SchemaError
from residency.deidentify.transforms import Pseudonymiser, generalise
from residency.errors import ResidencyError


class ThresholdError(ResidencyError):
    """The run cannot meet the schema's bounds (K within the suppression share, or the risk bound): exit 1."""


@dataclass(frozen=True)
class Result:
    output: pl.DataFrame
    report: dict[str, Any]


def check_columns(frame: pl.DataFrame, schema: DatasetSchema) -> None:
    """Every input column is in the schema and every schema field is in the input: otherwise SchemaError.

    An unknown column is never passed through (it could be a new identifier nobody reviewed); a missing
    one means the schema no longer describes this data.
    """
    declared = set(schema.field_names)
    unknown = [c for c in frame.columns if c not in declared]
    if unknown:
        raise SchemaError(
            f"input column {unknown[0]!r} is not in dataset {schema.name!r}; add it to the schema with a kind "
            f"(direct-identifier, quasi-identifier, free-text, safe) before it can be processed"
        )
    missing = [f for f in schema.field_names if f not in frame.columns]
    if missing:
        raise SchemaError(f"input has no column {missing[0]!r}, which dataset {schema.name!r} declares")


def _transform(frame: pl.DataFrame, schema: DatasetSchema, pseudonymiser: Pseudonymiser) -> pl.DataFrame:
    identifiers = [f.name for f in schema.of_kind(DIRECT)]
    columns: list[pl.Expr] = []
    for spec in schema.fields:
        if spec.action == DROP:
            continue
        if spec.kind == FREE_TEXT and spec.action == REDACT:
            columns.append(pl.lit(redact_column(frame, spec.name, identifiers)))
        elif spec.kind == DIRECT and spec.action == PSEUDONYMISE:
            columns.append(pseudonymiser.expression(spec.name))
        elif spec.kind == QUASI:
            columns.append(generalise(spec, frame.schema[spec.name]))
        else:
            columns.append(pl.col(spec.name))
    return frame.select(columns)


def _run_transform(frame: pl.DataFrame, schema: DatasetSchema, pseudonymiser: Pseudonymiser) -> pl.DataFrame:
    try:
        return _transform(frame, schema, pseudonymiser)
    except pl.exceptions.PolarsError as err:
        # A value a rule cannot read (an age that is not a number, a date that is not ISO): one line.
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise SchemaError(f"dataset {schema.name!r}: a value does not fit its field's rule: {first}") from None


def deidentify(frame: pl.DataFrame, schema: DatasetSchema, key: bytes, key_version: str = "local") -> Result:
    check_columns(frame, schema)
    pseudonymiser = Pseudonymiser(key)
    quasi = [f.name for f in schema.of_kind(QUASI)]
    transformed = _run_transform(frame, schema, pseudonymiser)
    ld = schema.l_diversity
    result = suppress(transformed, quasi, schema.k, ld.attribute if ld else None, ld.l if ld else None)
    records_in = frame.height
    share = result.suppressed / records_in if records_in else 0.0
    if share > schema.max_suppression:
        raise ThresholdError(
            f"dataset {schema.name!r}: reaching k={schema.k}"
            + (f" and l={ld.l} over {ld.attribute!r}" if ld else "")
            + f" would suppress {result.suppressed} of {records_in} records ({share:.1%}), more than the allowed "
            f"{schema.max_suppression:.1%}; generalise the quasi-identifiers ({', '.join(quasi)}) further or "
            f"process more records at once"
        )
    risk = measure_risk(transformed.select(quasi), result.kept.select(quasi), quasi)
    if risk.linkability_max > schema.max_linkage_risk:
        raise ThresholdError(
            f"dataset {schema.name!r}: measured linkage risk {risk.linkability_max:.3f} exceeds the schema's "
            f"bound {schema.max_linkage_risk:.3f}"
        )
    return Result(result.kept, _report(schema, records_in, result.kept.height, result, risk, key_version))


def _report(
    schema: DatasetSchema, records_in: int, records_out: int, result: Any, risk: Risk, key_version: str
) -> dict[str, Any]:
    by_action = {
        "dropped": [f.name for f in schema.fields if f.action == DROP],
        "pseudonymised": [f.name for f in schema.fields if f.action == PSEUDONYMISE],
        "redacted": [f.name for f in schema.fields if f.action == REDACT],
        "generalised": {f.name: f.generalise for f in schema.of_kind(QUASI)},
        "kept": [f.name for f in schema.fields if f.kind == "safe"],
    }
    ld = schema.l_diversity
    return {
        "dataset": schema.name,
        "records_in": records_in,
        "records_out": records_out,
        "records_suppressed": result.suppressed,
        "suppression_share": result.suppressed / records_in if records_in else 0.0,
        "max_suppression": schema.max_suppression,
        "k_required": schema.k,
        "k_achieved": result.k_achieved,
        "l_diversity": None
        if ld is None
        else {"attribute": ld.attribute, "l_required": ld.l, "l_achieved": result.l_achieved},
        "fields": by_action,
        "risk": {**risk.as_dict(), "linkability_bound": schema.max_linkage_risk},
        "pseudonym_key_version": key_version,
    }
