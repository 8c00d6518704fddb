"""Where an evidence report came from: the code's commit and a digest of the rules that judged it.

A third-party auditor re-running the audit must be able to tell whether the same rules judged the same
account. The tool version alone does not say that (a fork, a local edit); the commit and the digest do.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from functools import cache
from pathlib import Path

from residency.jurisdictions import CATALOGUE_PATH
from residency.rules import RULES

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def rule_catalogue_digest() -> str:
    """sha256 over every rule's metadata (id, title, what must hold, severity, level, vector, remediation)
    and the jurisdiction catalogue (residency/catalogue.toml): a change to either changes the digest."""
    rules = [
        {
            "id": r.id,
            "title": r.title,
            "description": r.description,
            "category": str(r.category),
            "severity": str(r.severity),
            "advisory_reason": r.advisory_reason,
            "vector": str(r.vector) if r.vector else None,
            "remediation": list(r.remediation),
            "references": list(r.references),
        }
        for r in sorted(RULES, key=lambda rule: rule.id)
    ]
    payload = json.dumps(
        {"rules": rules, "jurisdictions": CATALOGUE_PATH.read_text(encoding="utf-8")}, sort_keys=True
    ).encode()
    return hashlib.sha256(payload).hexdigest()


@cache
def source_commit() -> str:
    """The git commit the tool runs from ("-dirty" when the checkout has local changes), else CI's
    GITHUB_SHA, else "unknown" (an installed wheel carries no commit)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if head.returncode == 0:
            status = subprocess.run(
                ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True,
                text=True,
                timeout=10,
            )
            dirty = "-dirty" if status.returncode == 0 and status.stdout.strip() else ""
            return head.stdout.strip() + dirty
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("GITHUB_SHA") or "unknown"
