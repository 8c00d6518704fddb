"""Headless Chromium from the Debian package (.ci/run installs it): screenshots and the DOM after scripts ran.

No playwright: Chromium's own ``--screenshot`` and ``--dump-dom`` switches are enough to see what a reader
sees. Every network feature is off, and each call gets a fresh profile directory.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is not installed: run .ci/run (it installs the Debian package `chromium`)")


def _run(args: list[str], url: str) -> str:
    with tempfile.TemporaryDirectory(prefix="enclave-chromium-") as profile:
        cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, url]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        pytest.fail(f"chromium failed ({proc.returncode}): {proc.stderr[-500:]}")
    return proc.stdout


def screenshot(url: str, out: Path, width: int = 1280, height: int = 900) -> Path:
    _run([f"--window-size={width},{height}", f"--screenshot={out}"], url)
    assert out.exists(), "chromium wrote no screenshot"
    return out


def dump_dom(url: str, width: int = 1280, height: int = 900) -> str:
    """The document after its scripts ran (``--dump-dom``)."""
    return _run([f"--window-size={width},{height}", "--virtual-time-budget=5000", "--dump-dom"], url)
