"""Generate .github/preview-matrix.json, the preview workflow's matrix, from stacks/ (one entry per stack).

Each entry names where that stack's preview must run, all from the stack's own files:
- its account (``enclave:accountId``) and the read-only preview role in that account
  (``arn:aws:iam::<account>:role/enclave-preview``): one role per enclave account, since each stack's AWS
  provider is pinned to its account by ``allowedAccountIds``;
- its jurisdiction's home region, state backend (``s3://enclave-state-<jurisdiction>?region=<home>``) and
  the stack's secrets provider (its ``secretsprovider``: a KMS key in the home region).

    uv run python scripts/preview_matrix.py          # rewrite the file
    uv run python scripts/preview_matrix.py --check  # exit 1 when the file is not current (CI, tests)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
MATRIX = ROOT / ".github" / "preview-matrix.json"
PREVIEW_ROLE = "enclave-preview"
sys.path.insert(0, str(ROOT))

from enclave.offline.stack_files import load_project, load_stack_config  # noqa: E402
from residency.jurisdictions import default_catalogue  # noqa: E402


def entries() -> list[dict[str, Any]]:
    project, catalogue = load_project(ROOT), default_catalogue()
    out = []
    for stack in project.stacks():
        config, _ = load_stack_config(project, stack)
        jurisdiction = config["enclave:jurisdiction"]
        home = catalogue.get(jurisdiction).home_region
        account = config["enclave:accountId"]
        stack_file = yaml.safe_load(project.stack_file(stack).read_text(encoding="utf-8"))
        out.append(
            {
                "stack": stack,
                "jurisdiction": jurisdiction,
                "home_region": home,
                "account_id": account,
                "role_arn": f"arn:aws:iam::{account}:role/{PREVIEW_ROLE}",
                "backend": f"s3://enclave-state-{jurisdiction}?region={home}",
                "secrets_provider": stack_file["secretsprovider"],
            }
        )
    return out


def render() -> str:
    return json.dumps({"include": entries()}, indent=2) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if argv == ["--check"]:
        if not MATRIX.exists() or MATRIX.read_text(encoding="utf-8") != text:
            print(
                f"{MATRIX.relative_to(ROOT)} is not current: run uv run python scripts/preview_matrix.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if argv:
        print("usage: preview_matrix.py [--check]", file=sys.stderr)
        return 2
    MATRIX.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
