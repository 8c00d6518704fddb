"""The resource types an installed Pulumi SDK defines, read from its registration table (no SDK import).

Every pulumi-aws and pulumi-kubernetes release registers its resource classes in one JSON table in the
package's ``__init__.py`` (``_utilities.register(resource_modules=...)``). Reading that table is fast and
exact; the catalogue coverage test and ``scripts/generate_type_catalogue.py`` both use it.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

SDK_PACKAGES: dict[str, str] = {"aws": "pulumi_aws", "kubernetes": "pulumi_kubernetes"}


def sdk_tokens(module_name: str) -> dict[str, tuple[str, str]]:
    """Every resource type token the SDK registers -> (python module, class name)."""
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        raise LookupError(f"{module_name} is not installed")
    source = Path(spec.origin).read_text(encoding="utf-8")
    match = re.search(r'resource_modules="""(.*?)"""', source, re.S)
    if match is None:
        raise LookupError(f"{module_name} has no resource_modules table")
    tokens: dict[str, tuple[str, str]] = {}
    for module in json.loads(match.group(1)):
        for token, cls in module["classes"].items():
            tokens[token] = (module["fqn"], cls)
    return tokens
