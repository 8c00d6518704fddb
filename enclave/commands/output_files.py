"""Report files named on the command line: checked before the long run, and a failed write is one line.

``enclave plan`` and ``enclave check`` run every stack's program before writing; a typo in ``--output``
must not cost that run or end in a traceback. The early check is cheap (the directory exists and is
writable); the write itself still catches ``OSError`` for what only the write can reveal.
"""

from __future__ import annotations

import os
from pathlib import Path

from enclave.errors import UsageError


def check_writable(path: Path, flag: str) -> None:
    """UsageError (exit 2) unless ``path`` can plausibly be written: its directory exists and is writable."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a directory; name a file")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{flag} {path}: not writable")


def write_text(path: Path, text: str, flag: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{flag} {path}: cannot write: {err.strerror or err}") from None
