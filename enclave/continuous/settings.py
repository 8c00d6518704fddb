"""What a handler needs, read from its Lambda environment and checked before any call is made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from residency.jurisdictions import Jurisdiction, default_catalogue

JURISDICTION = "ENCLAVE_JURISDICTION"
REGION = "ENCLAVE_REGION"
AUDIT_BUCKET = "ENCLAVE_AUDIT_BUCKET"
AUDIT_KEY_ARN = "ENCLAVE_AUDIT_KEY_ARN"
SECURITY_HUB = "ENCLAVE_SECURITY_HUB"
# Only for an emulator (moto in the tests); never set by the component.
ENDPOINT_URL = "ENCLAVE_ENDPOINT_URL"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class SettingsError(ValueError):
    """A handler's environment is missing or malformed: one line naming the variable and what is allowed."""


@dataclass(frozen=True)
class HandlerSettings:
    jurisdiction: Jurisdiction
    region: str
    audit_bucket: str | None = None
    audit_key_arn: str | None = None
    security_hub: bool = True
    endpoint_url: str | None = None


def load_settings(env: Mapping[str, str], *, evidence: bool) -> HandlerSettings:
    """``evidence``: the scheduled handler, which also needs the audit bucket and key."""
    catalogue = default_catalogue()
    jid = env.get(JURISDICTION, "")
    if jid not in catalogue.jurisdictions:
        raise SettingsError(f"{JURISDICTION}={jid!r} is not a jurisdiction; allowed: {', '.join(catalogue.ids())}")
    jurisdiction = catalogue.get(jid)
    region = env.get(REGION, "")
    if not jurisdiction.allows(region):
        allowed = ", ".join(jurisdiction.sorted_regions())
        raise SettingsError(f"{REGION}={region!r} is not a region of {jid}; allowed: {allowed}")
    bucket, key = env.get(AUDIT_BUCKET) or None, env.get(AUDIT_KEY_ARN) or None
    if evidence and (bucket is None or not _BUCKET.fullmatch(bucket)):
        raise SettingsError(f"{AUDIT_BUCKET}={bucket!r} is not an S3 bucket name; allowed: the enclave's audit bucket")
    if evidence and (key is None or not key.startswith(f"arn:aws:kms:{region}:")):
        raise SettingsError(f"{AUDIT_KEY_ARN}={key!r} is not a KMS key ARN in {region}; allowed: the audit key's ARN")
    hub = env.get(SECURITY_HUB, "true").lower()
    if hub not in ("true", "false"):
        raise SettingsError(f"{SECURITY_HUB}={hub!r} is not a boolean; allowed: true, false")
    return HandlerSettings(jurisdiction, region, bucket, key, hub == "true", env.get(ENDPOINT_URL) or None)
