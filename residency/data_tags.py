"""How the enclave's records bucket is recognised: by the tag that says what a bucket holds, or by its name.

- The tag ``enclave-data`` is ``records`` (user records) or ``test-data`` (de-identified test data);
  components/storage.py sets it, and the pack finds the buckets by it.
- The records bucket is named ``enclave-<jid>-storage-records-<suffix>`` (auto-named by Pulumi): the
  identity-guard SCP names it so, and the live auditor finds it so, because reading every bucket's tags would
  cost one more call per bucket (the audit's call budget, docs/audit.md).
Pure data: no pulumi, no boto3.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

ENCLAVE_DATA_TAG = "enclave-data"
RECORDS = "records"
TEST_DATA = "test-data"


def records_bucket_name_pattern(jurisdiction_id: str = "*") -> str:
    """The records bucket's name (``*`` for any jurisdiction), objects excluded."""
    return f"enclave-{jurisdiction_id}-storage-records-*"


def is_records_bucket_name(name: str) -> bool:
    return fnmatchcase(name, records_bucket_name_pattern())
