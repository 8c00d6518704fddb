"""Run parliament (the IAM policy linter) on the identity policies and SCPs of a plan, in its own environment.

Like checkov, parliament is a CLI with its own pinned dependencies, so it never runs in the project's
environment: ``uvx --from parliament==<PARLIAMENT_VERSION> --with setuptools==<pin> parliament`` (parliament
1.6.4 still imports ``pkg_resources``, which newer setuptools no longer ship). ``ENCLAVE_PARLIAMENT`` may name
an executable to use instead, which must be the same version. One invocation lints every document; findings
come back per file, and each file is one resource's document.

Documents linted: managed policies (``aws:iam/policy:Policy``: the boundaries), inline role policies and
service control policies. Resource policies (key, bucket, endpoint, topic) and trust policies carry a
``Principal``, which parliament does not model. A finding is a failure unless ``REVIEWED_FINDINGS`` gives the
reason it does not apply, for that issue, that resource type and that component; a run that prints nothing
parseable or exits abnormally is an error, never a pass.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enclave.gate.checkov_skips import parent_component
from enclave.offline.model import CapturedResource

PARLIAMENT_VERSION = "1.6.4"
SETUPTOOLS_VERSION = "75.8.0"
PARLIAMENT_ENV_OVERRIDE = "ENCLAVE_PARLIAMENT"
# type -> the input holding the document parliament can judge
LINTED_DOCUMENTS = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:organizations/policy:Policy": "content",
}


class ParliamentError(RuntimeError):
    """parliament could not run or its output could not be read. ``str(err)`` is one line."""


@dataclass(frozen=True)
class ParliamentFinding:
    issue: str
    severity: str
    urn: str
    detail: str


@dataclass(frozen=True)
class ReviewedFinding:
    issue: str
    resource_type: str
    component: str  # the parent component type; "*" for any
    reason: str
    # When set, the finding's detail must contain this (e.g. the one condition key the review is about).
    detail_contains: str = ""


_BOUNDARY_CEILING = (
    "A permissions boundary or SCP is a ceiling, not a grant: its statements name actions on '*' (or deny them "
    "there) so that the roles' own policies, which name resources, are capped; parliament reads it as a grant."
)
_SCOPE = (
    "The action names no resource type parliament can match to the statement's resources (list, describe and "
    "account-level calls, or data actions scoped by condition keys such as aws:ResourceAccount instead of ARNs)."
)
REVIEWED_FINDINGS: tuple[ReviewedFinding, ...] = (
    ReviewedFinding("RESOURCE_STAR", "aws:iam/policy:Policy", "*", _BOUNDARY_CEILING),
    ReviewedFinding("RESOURCE_STAR", "aws:organizations/policy:Policy", "*", _BOUNDARY_CEILING),
    ReviewedFinding("RESOURCE_MISMATCH", "aws:iam/policy:Policy", "*", _SCOPE),
    ReviewedFinding("RESOURCE_MISMATCH", "aws:organizations/policy:Policy", "*", _SCOPE),
    ReviewedFinding("RESOURCE_MISMATCH", "aws:iam/rolePolicy:RolePolicy", "*", _SCOPE),
    ReviewedFinding(
        "RESOURCE_STAR",
        "aws:iam/rolePolicy:RolePolicy",
        "enclave:components:DeployRoles",
        "The deploy role creates the enclave's resources, whose names it does not know in advance; its boundary "
        "and the identity-guard SCP deny what it must never do (components/deploy_role.py).",
    ),
    ReviewedFinding(
        "RESOURCE_STAR",
        "aws:iam/rolePolicy:RolePolicy",
        "enclave:components:EnclaveAccess",
        "Only the read-only configuration and live-audit statements use '*': describe and list calls on every "
        "resource, which the auditor and operators need; data actions name the enclave's buckets and keys.",
    ),
    ReviewedFinding(
        "RESOURCE_STAR",
        "aws:iam/rolePolicy:RolePolicy",
        "enclave:components:TestDataPipeline",
        "The de-identification functions run in the enclave's private subnets: Lambda creates and deletes their "
        "network interfaces, whose ARNs are not known in advance, so these EC2 actions take '*' (as AWS's own "
        "AWSLambdaVPCAccessExecutionRole grants them); every other statement names the secret, buckets or log group.",
        detail_contains="ec2:CreateNetworkInterface",
    ),
    ReviewedFinding(
        "RESOURCE_STAR",
        "aws:iam/rolePolicy:RolePolicy",
        "enclave:components:EnclaveContinuousAudit",
        "The continuous audit runs the live auditor: its read-only list/describe calls name every resource of the "
        "account, and config:PutEvaluations and securityhub:BatchImportFindings take no resource ARN (the boundary "
        "pins them to the home region); evidence writes name the audit bucket.",
    ),
    ReviewedFinding(
        "RESOURCE_STAR",
        "aws:iam/rolePolicy:RolePolicy",
        "enclave:components:ExternalAuditorAccess",
        "The external auditor reads configuration with the live auditor's list/describe calls, which name every "
        "resource; evidence reads name the audit and Config-history buckets, and every user-data object and key is "
        "denied.",
    ),
    *(
        ReviewedFinding(
            "UNKNOWN_CONDITION_FOR_ACTION",
            token,
            component,
            "kms:ResourceAliases is a KMS condition key for cryptographic operations (AWS KMS developer guide, "
            "'kms:ResourceAliases'), added after parliament's bundled IAM database was built.",
            detail_contains="Unknown condition kms:ResourceAliases for action kms:",
        )
        for token, component in (
            ("aws:organizations/policy:Policy", "enclave:components:OrgGuardrails"),
            ("aws:iam/policy:Policy", "enclave:components:DeployRoles"),
        )
    ),
)


def parliament_command() -> list[str]:
    override = os.environ.get(PARLIAMENT_ENV_OVERRIDE)
    if override:
        return shlex.split(override)
    if shutil.which("uvx") is None:
        raise ParliamentError("parliament needs uv's `uvx` on PATH (https://docs.astral.sh/uv/)")
    return [
        "uvx",
        "--quiet",
        "--from",
        f"parliament=={PARLIAMENT_VERSION}",
        "--with",
        f"setuptools=={SETUPTOOLS_VERSION}",
        "parliament",
    ]


def linted(resources: Sequence[CapturedResource]) -> dict[str, CapturedResource]:
    """File name -> resource, for every resource whose document parliament judges."""
    return {f"doc{i:04d}.json": r for i, r in enumerate(r for r in resources if r.type in LINTED_DOCUMENTS)}


def run_parliament(resources: Sequence[CapturedResource], timeout: float = 600) -> list[ParliamentFinding]:
    """Every finding parliament reports on the documents of ``resources``."""
    files = linted(resources)
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="enclave-parliament-") as tmp:
        for name, resource in files.items():
            document = resource.inputs[LINTED_DOCUMENTS[resource.type]]
            text = document if isinstance(document, str) else json.dumps(document)
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        cmd = [*parliament_command(), "--directory", tmp, "--include_policy_extension", ".json", "--json"]
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        try:
            proc = subprocess.run(
                cmd, stdin=subprocess.DEVNULL, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ParliamentError(f"parliament could not run: {err}") from None
    # parliament exits 1 when it found something; anything else non-zero is parliament itself failing.
    if proc.returncode not in (0, 1):
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise ParliamentError(f"parliament exited with {proc.returncode}: {tail or 'no error output'}")
    return parse_parliament_output(proc.stdout, proc.returncode, {n: r.urn for n, r in files.items()})


def parse_parliament_output(stdout: str, returncode: int, urns: dict[str, str]) -> list[ParliamentFinding]:
    """``--json`` prints one JSON object per finding, one per line."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if returncode == 1 and not lines:
        raise ParliamentError("parliament reported findings but printed none")
    findings = []
    for line in lines:
        try:
            data: Any = json.loads(line)
            name = Path(str(data["location"]["filepath"])).name
            findings.append(
                ParliamentFinding(str(data["issue"]), str(data["severity"]), urns[name], json.dumps(data["detail"]))
            )
        except (ValueError, KeyError, TypeError) as err:
            raise ParliamentError(f"parliament output is not a finding ({err!r}): {line[:120]!r}") from None
    return findings


def review_reason(finding: ParliamentFinding, resource_type: str) -> str | None:
    """The written reason ``finding`` is a false positive here, or None (the finding stands)."""
    for reviewed in REVIEWED_FINDINGS:
        if (
            reviewed.issue == finding.issue
            and reviewed.resource_type == resource_type
            and reviewed.component in ("*", parent_component(finding.urn))
            and reviewed.detail_contains in finding.detail
        ):
            return reviewed.reason
    return None
