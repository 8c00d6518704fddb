"""YAML read with libyaml, PyYAML's C parser, where PyYAML was built with it.

Why: every stack program reads every other stack's file (CIDR overlap, the org stack's accounts), and the
gate reads each stack's file too; PyYAML's pure-Python parser made that a few percent of a gate run, the C
one is about eight times faster. Both build the value with the same safe constructor and resolver. A
document the C parser rejects is parsed again by the pure-Python one, so what a user reads about a broken
file (and whether it is broken) is what PyYAML has always said.
"""

from __future__ import annotations

from typing import Any

import yaml

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)
