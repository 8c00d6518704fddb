"""Errors the CLI reports as one line with exit 2 (defined apart from ``enclave.cli`` so that
``python -m enclave.cli``, which loads that module a second time as ``__main__``, still catches them)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments or environment; reported as one line, exit 2."""
