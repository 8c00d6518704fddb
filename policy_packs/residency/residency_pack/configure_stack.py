"""The stack's identity and config, taken from the engine's ``ConfigureStack`` call.

Older Pulumi CLIs started a Python pack with the stack's config in ``PULUMI_CONFIG`` (and ``PULUMI_PROJECT``,
``PULUMI_STACK``, ``PULUMI_ORGANIZATION``, ``PULUMI_DRY_RUN``). The current CLI (3.274, run by the engine
tier, tests/engine) sets none of them: it sends them only in the Analyzer's ``ConfigureStack`` request,
which pulumi_policy 1.21 reads for the stack's tags alone. Without this module the pack sees no
jurisdiction under a current CLI and blocks every resource ("no jurisdiction"). So the pack's servicer
(``residency_pack.servicer``) adopts the request into those same variables, which everything in the pack reads, before any resource is analysed.
The engine sends ``ConfigureStack`` before ``Analyze``; a request without a stack (a CLI that does not
fill it) changes nothing. The gate names each stack it judges with one pack process the same way.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from typing import Any


def adopt(request: Any, environ: MutableMapping[str, str] | None = None) -> None:
    """Copy an ``AnalyzerStackConfigureRequest``'s stack, project, config and dry-run into the environment."""
    env = os.environ if environ is None else environ
    if not request.stack:
        return
    env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
    env["PULUMI_PROJECT"] = request.project
    env["PULUMI_STACK"] = request.stack
    env["PULUMI_ORGANIZATION"] = request.organization or "organization"
    env["PULUMI_DRY_RUN"] = "true" if request.dry_run else "false"
