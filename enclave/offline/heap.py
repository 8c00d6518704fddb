"""Freeze the garbage collector over the import heap before programs run.

Why: importing pulumi and the provider SDKs leaves hundreds of thousands of long-lived objects; every full
collection that a large program's allocations trigger scanned all of them again, which made a run (and
AnalyzeStack in the pack) grow superlinearly in resources. Frozen objects are never scanned; objects made
afterwards still are, so a program's own garbage is still collected.
"""

from __future__ import annotations

import contextlib
import gc
import importlib


def freeze_import_heap() -> None:
    """Import pulumi and the AWS provider SDK (the one every enclave program uses), then freeze; once per
    process (a process that calls this again, a test session, keeps its later objects collectable)."""
    if gc.get_freeze_count():
        return
    importlib.import_module("pulumi")
    # A program without the AWS SDK (e.g. Kubernetes only) imports what it needs itself.
    with contextlib.suppress(ImportError):
        importlib.import_module("pulumi_aws")
    gc.freeze()
