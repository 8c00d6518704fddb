"""``enclave check --stack-outputs NAME=FILE``: another stack's outputs, for a program that references it.

The engine resolves a ``StackReference`` from the backend; the offline gate has no backend, so by default
every value read from one is unknown, and a resource whose residency depends on it cannot be verified
(blocks). A CI job that can read the referenced stack exports its outputs
(``pulumi stack output --json --show-secrets -s NAME > FILE``) and hands them to the gate, which then judges
the values the engine would see. NAME is the stack name exactly as the program passes it to
``StackReference``; a reference to any stack not given stays unknown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from enclave.errors import UsageError

# What `pulumi stack output --json` prints for a secret without --show-secrets: not the value.
MASKED_SECRET = "[secret]"


def load_stack_outputs(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Each ``NAME=FILE`` as {NAME: the JSON object in FILE}; one-line UsageError on anything else."""
    outputs: dict[str, dict[str, Any]] = {}
    for item in items:
        name, sep, path = item.partition("=")
        name = name.strip()
        if not sep or not name or not path:
            raise UsageError(
                f"--stack-outputs {item!r}: expected NAME=FILE (the referenced stack's name as the program "
                "passes it, and a file from `pulumi stack output --json --show-secrets`)"
            )
        if name in outputs:
            raise UsageError(f"--stack-outputs {name!r}: given twice")
        outputs[name] = _read(name, Path(path))
    return outputs


def _read(name: str, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"--stack-outputs {name}={path}: cannot read the file ({err.strerror})") from None
    except ValueError as err:
        raise UsageError(f"--stack-outputs {name}={path}: not JSON ({err})") from None
    if not isinstance(data, dict):
        raise UsageError(
            f"--stack-outputs {name}={path}: expected a JSON object of output names to values, "
            f"got {type(data).__name__}"
        )
    masked = sorted(key for key, value in data.items() if value == MASKED_SECRET)
    if masked:
        # A masked value would be judged as the literal text "[secret]": refuse rather than judge a stand-in.
        raise UsageError(
            f"--stack-outputs {name}={path}: output {', '.join(map(repr, masked))} is masked ({MASKED_SECRET!r}); "
            "export with `pulumi stack output --json --show-secrets`"
        )
    return data
