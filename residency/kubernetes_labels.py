"""The labels an enclave namespace carries, and the data classes it may hold: what the components write and
what the adapters read and the rules judge, named once."""

from __future__ import annotations

JURISDICTION_LABEL = "enclave.io/jurisdiction"
DATA_CLASS_LABEL = "enclave.io/data-class"
# user-data: records of the jurisdiction's users; deidentified: what engineers may read; platform: neither.
DATA_CLASSES = ("user-data", "deidentified", "platform")
# Pod Security Admission: <prefix><mode> and <prefix><mode>-version, for the modes enforce, audit and warn.
POD_SECURITY_LABEL_PREFIX = "pod-security.kubernetes.io/"
POD_SECURITY_ENFORCE = f"{POD_SECURITY_LABEL_PREFIX}enforce"
# The well-known topology label a volume's allowed zones are given under.
ZONE_LABEL = "topology.kubernetes.io/zone"
