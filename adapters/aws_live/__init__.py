"""boto3 descriptions -> residency facts: one scanner per AWS service, and the auditor's IAM policy.

``SCANNERS`` is the registry the live auditor runs, found in this package's modules; each scanner lists the IAM action of every API
operation it calls, and ``iam_policy()`` is generated from those lists, so the documented
least-privilege policy cannot drift from the code (tests record every call and check it is listed).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from adapters.aws_live.api import ServiceScanner

# Modules of this package that hold no scanner: the client plumbing, how failures are classified, the
# grouping of rules into AWS Config rule families, the data-path bridge to the core the data-path scanners
# share, and the list of data paths no scanner reads yet.
NOT_SCANNERS = frozenset({"api", "config_families", "failures", "data_paths", "coverage"})


def _discover() -> dict[str, ServiceScanner]:
    """Every scanner of this package, by service name: each module other than ``NOT_SCANNERS`` declares
    ``SCANNER`` (or ``SCANNERS``, when one module serves several services), so a new scanner module needs
    no registration elsewhere. A module that declares neither is an error, never silently skipped."""
    found: dict[str, ServiceScanner] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in NOT_SCANNERS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = getattr(module, "SCANNERS", None) or (getattr(module, "SCANNER", None),)
        for scanner in declared:
            if not isinstance(scanner, ServiceScanner):
                raise TypeError(f"{module.__name__} declares no SCANNER/SCANNERS")
            if scanner.name in found:
                raise ValueError(f"two scanners for service {scanner.name!r}")
            found[scanner.name] = scanner
    return dict(sorted(found.items()))


SCANNERS: dict[str, ServiceScanner] = _discover()

# Calls the orchestrator makes itself, outside any service scanner: (client name, operation) -> IAM action.
ACCOUNT_PERMISSIONS: dict[tuple[str, str], str] = {
    ("sts", "GetCallerIdentity"): "sts:GetCallerIdentity",
    ("ec2", "DescribeRegions"): "ec2:DescribeRegions",
}


def all_permissions() -> dict[tuple[str, str], str]:
    """Every (client name, operation) the auditor may call, with the IAM action it needs."""
    table = dict(ACCOUNT_PERMISSIONS)
    for scanner in SCANNERS.values():
        for operation, action in scanner.permissions.items():
            table[(scanner.client_name, operation)] = action
        for client_name, permissions in scanner.other_clients.items():
            for operation, action in permissions.items():
                table[(client_name, operation)] = action
    return table


def iam_actions() -> list[str]:
    return sorted(set(all_permissions().values()))


def iam_policy() -> dict[str, Any]:
    """The least-privilege, read-only IAM policy the auditor needs."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "EnclaveResidencyAudit", "Effect": "Allow", "Action": iam_actions(), "Resource": "*"},
        ],
    }
