"""De-identification of a data set for engineers' test data (pure: no pulumi, no boto3).

``load_schema`` reads a reviewed dataset schema; ``deidentify`` turns a table into test data and a report.
The CLI (``enclave deidentify``) and the enclave's pipeline function run exactly this code.
"""

from residency.deidentify.pipeline import Result, ThresholdError, deidentify
from residency.deidentify.schema import DatasetSchema, SchemaError, load_schema, parse_schema
from residency.deidentify.tables import format_of, read_table, table_bytes, write_atomic

__all__ = [
    "DatasetSchema",
    "Result",
    "SchemaError",
    "ThresholdError",
    "deidentify",
    "format_of",
    "load_schema",
    "parse_schema",
    "read_table",
    "table_bytes",
    "write_atomic",
]
