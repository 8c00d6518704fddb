"""SARIF 2.1.0 report for GitHub code scanning.

One run per report (GitHub rejects several runs of one tool and category in one upload; the CI matrix gives
each stack its own category). Rules come from the residency rule catalogue plus the checkov checks seen.
Each result points at the line that declares the resource (from the registration's stack trace, see
``source_locations``), with the enclosing component calls as related locations, and names the resource's
URN as a logical location; paths are relative to the repository root. ``partialFingerprints`` hash the
stack, rule and URN only, so an alert keeps its identity when code moves. Exemptions and justified checkov skips are results with a
``suppressions`` entry carrying the written reason, so reviewers see them instead of losing them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from enclave.gate.results import CheckovFinding, TargetResult, Violation
from residency.model import Severity
from residency.rules import RULES, RULES_BY_ID

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "enclave-gate"
TOOL_VERSION = "0.1.0"

# GitHub ranks code-scanning alerts by this numeric property.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}


def _residency_rules() -> list[dict[str, Any]]:
    out = []
    for rule in RULES:
        out.append(
            {
                "id": rule.id,
                "name": rule.title,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description},
                "help": {
                    "text": " ".join(rule.remediation),
                    "markdown": "\n".join(f"- {step}" for step in rule.remediation)
                    + "\n\nReferences: "
                    + "; ".join(rule.references),
                },
                "defaultConfiguration": {"level": "error" if rule.mandatory else "warning"},
                "properties": {
                    "tags": ["security", str(rule.category)],
                    "category": str(rule.category),
                    "severity": str(rule.severity),
                    "security-severity": SECURITY_SEVERITY[rule.severity],
                },
            }
        )
    return out


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _location(target: TargetResult, urn: str, resource_type: str) -> dict[str, Any]:
    """The line that declares the resource (paths relative to the repository root, as code scanning wants);
    the target's own file, line 1, when the program's stack trace never reached the user's code."""
    declared = target.locations.get(urn)
    uri, line = (declared.file, declared.line) if declared else (target.source_file, 1)
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(line, 1)},
        },
        "logicalLocations": [{"fullyQualifiedName": urn, "name": urn.rsplit("::", 1)[-1], "kind": resource_type}],
    }


def _related(target: TargetResult, urn: str) -> dict[str, Any]:
    """The component calls that enclose the resource, as related locations (GitHub links each one)."""
    declared = target.locations.get(urn)
    if not declared or not declared.chain:
        return {}
    related = []
    for i, component in enumerate(declared.chain):
        entry: dict[str, Any] = {"id": i + 1, "message": {"text": f"inside {component.type} {component.name}"}}
        if component.file and component.line:
            entry["physicalLocation"] = {
                "artifactLocation": {"uri": component.file, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": component.line},
            }
        related.append(entry)
    return {"relatedLocations": related}


class _RuleIndex:
    """Rules in the order SARIF references them by index; unknown ids are added on first use."""

    def __init__(self) -> None:
        self.rules = _residency_rules()
        self.index = {r["id"]: i for i, r in enumerate(self.rules)}

    def add(self, rule_id: str, description: str, level: str, tags: list[str]) -> int:
        if rule_id not in self.index:
            self.index[rule_id] = len(self.rules)
            self.rules.append(
                {
                    "id": rule_id,
                    "shortDescription": {"text": description or rule_id},
                    "defaultConfiguration": {"level": level},
                    "properties": {"tags": tags},
                }
            )
        return self.index[rule_id]


def _violation_result(target: TargetResult, v: Violation, rules: _RuleIndex) -> dict[str, Any]:
    level = "error" if v.blocking else "warning"
    index = rules.add(v.policy, v.message, level, ["security", v.category])
    return {
        "ruleId": v.policy,
        "ruleIndex": index,
        "level": level,
        "message": {"text": f"[{target.stack}] {v.message} ({v.enforcement_level})"},
        "locations": [_location(target, v.urn, v.resource_type)],
        **_related(target, v.urn),
        "partialFingerprints": {"enclaveGate/v1": _fingerprint(target.stack, v.policy, v.urn)},
        "properties": {
            "target": target.target,
            "stack": target.stack,
            "urn": v.urn,
            "category": v.category,
            "severity": v.severity,
            "enforcementLevel": v.enforcement_level,
        },
    }


def _checkov_result(target: TargetResult, f: CheckovFinding, rules: _RuleIndex) -> dict[str, Any]:
    index = rules.add(f.check_id, f.message, "warning", ["security", "checkov"])
    result: dict[str, Any] = {
        "ruleId": f.check_id,
        "ruleIndex": index,
        "level": "warning" if f.skip_reason else "error",
        "message": {"text": f"[{target.stack}] checkov {f.check_id}: {f.message}"},
        "locations": [_location(target, f.urn, "checkov")],
        "partialFingerprints": {"enclaveGate/v1": _fingerprint(target.stack, f.check_id, f.urn)},
        "properties": {"target": target.target, "stack": target.stack, "urn": f.urn},
    }
    if f.skip_reason:
        result["suppressions"] = [{"kind": "external", "justification": f.skip_reason}]
    return result


def build_sarif(results: list[TargetResult]) -> dict[str, Any]:
    rules = _RuleIndex()
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for target in results:
        if target.error:
            notifications.append({"level": "error", "message": {"text": f"{target.target}: {target.error}"}})
        for v in target.violations:
            sarif_results.append(_violation_result(target, v, rules))
        for e in target.exemptions:
            rule = RULES_BY_ID.get(e.policy)
            index = rules.add(e.policy, rule.title if rule else e.policy, "error", ["security"])
            sarif_results.append(
                {
                    "ruleId": e.policy,
                    "ruleIndex": index,
                    "level": "note",
                    "message": {"text": f"[{target.stack}] exempted by {e.id} (owner {e.owner}, expires {e.expires})"},
                    "locations": [_location(target, e.urn, "exemption")],
                    "suppressions": [{"kind": "external", "justification": e.reason}],
                    "partialFingerprints": {"enclaveGate/v1": _fingerprint(target.stack, e.policy, e.urn)},
                }
            )
        if target.checkov is not None:
            for f in [*target.checkov.findings, *target.checkov.skips]:
                sarif_results.append(_checkov_result(target, f, rules))
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": TOOL_VERSION,
                        "rules": rules.rules,
                    }
                },
                "invocations": [invocation],
                "results": sarif_results,
            }
        ],
    }


def render_sarif(results: list[TargetResult]) -> str:
    return json.dumps(build_sarif(results), indent=2) + "\n"
