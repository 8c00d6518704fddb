"""The provider plugin versions the installed Pulumi SDKs request (their ``pulumi-plugin.json``).

pulumi-aws 7.51.1 asks the engine for the ``aws`` plugin at 7.51.1; the stand-ins answer as that version
so the engine loads them where it would load the real ones. Read from the installed packages, so the
versions follow uv.lock.
"""

from __future__ import annotations

import json
from importlib import resources

SDK_PACKAGES = {"aws": "pulumi_aws", "kubernetes": "pulumi_kubernetes"}


def plugin_version(name: str) -> str:
    package = SDK_PACKAGES[name]
    meta = json.loads(resources.files(package).joinpath("pulumi-plugin.json").read_text(encoding="utf-8"))
    if meta.get("name") != name or not meta.get("version"):
        raise ValueError(f"{package}/pulumi-plugin.json does not name the {name} plugin and its version: {meta}")
    return str(meta["version"])
