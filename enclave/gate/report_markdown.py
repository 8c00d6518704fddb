"""Markdown for a pull-request comment: a verdict line, a summary table, then the details that need action."""

from __future__ import annotations

from enclave.gate.results import TargetResult

# A PR comment is limited (GitHub: 65,536 characters); long lists are cut with a count of what was left out.
MAX_ROWS = 50


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _resource(r: TargetResult, urn: str) -> str:
    """Name, type and declaring line, which wrap in a PR-width column (a whole URN in a code span does not);
    the URN stays in the JSON and SARIF reports."""
    parts = urn.split("::")
    name, kind = parts[-1], parts[-2].rsplit("$", 1)[-1] if len(parts) >= 2 else ""
    declared = r.locations.get(urn)
    where = f"<br>{_cell(declared.file)}:{declared.line}" if declared else ""
    return f"**{_cell(name)}** {_cell(kind)}{where}"


def _verdict(r: TargetResult) -> str:
    if r.error:
        return ":warning: error"
    return ":x: blocked" if r.blocking else ":white_check_mark: pass"


def render_markdown(results: list[TargetResult]) -> str:
    blocked = [r for r in results if r.blocking or r.error]
    lines = ["## Enclave residency gate", ""]
    lines.append(
        f"**{len(blocked)} of {len(results)} target(s) blocked or in error.**"
        if blocked
        else f"**All {len(results)} target(s) pass.**"
    )
    lines += [
        "",
        "| target | jurisdiction | resources | blocking | advisory | exemptions | checkov failed | verdict |",
    ]
    lines.append("|---|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        ck = "n/a" if r.checkov is None else str(r.checkov.failed)
        advisory = len(r.violations) - len(r.blocking_violations)
        lines.append(
            f"| {_cell(r.target)} | {r.jurisdiction or '?'} | {r.resource_count} | {len(r.blocking_violations)} | "
            f"{advisory} | {len(r.exemptions)} | {ck} | {_verdict(r)} |"
        )
    for r in results:
        lines += _details(r)
    return "\n".join(lines) + "\n"


def _details(r: TargetResult) -> list[str]:
    out: list[str] = []
    if r.error:
        out += ["", f"### {r.target}: error", "", f"`{_cell(r.error)}`"]
    if r.violations:
        out += ["", f"### {r.target}: policy violations", "", "| level | policy | category | resource | message |"]
        out.append("|---|---|---|---|---|")
        for v in r.violations[:MAX_ROWS]:
            out.append(
                f"| {v.enforcement_level} | `{v.policy}` | {v.category} | {_resource(r, v.urn)} | {_cell(v.message)} |"
            )
        out += _more(len(r.violations))
    if r.exemptions:
        out += ["", f"### {r.target}: exemptions in use", "", "| id | policy | resource | owner | expires | reason |"]
        out.append("|---|---|---|---|---|---|")
        for e in r.exemptions[:MAX_ROWS]:
            out.append(
                f"| `{e.id}` | `{e.policy}` | {_resource(r, e.urn)} | {_cell(e.owner)} | {e.expires} | {_cell(e.reason)} |"
            )
        out += _more(len(r.exemptions))
    if r.checkov and r.checkov.findings:
        out += ["", f"### {r.target}: checkov failures", "", "| check | resource | message |", "|---|---|---|"]
        for f in r.checkov.findings[:MAX_ROWS]:
            out.append(f"| `{f.check_id}` | {_resource(r, f.urn)} | {_cell(f.message)} |")
        out += _more(len(r.checkov.findings))
    if r.checkov and r.checkov.skips:
        out += ["", "<details><summary>" + f"{r.target}: {len(r.checkov.skips)} justified checkov skip(s)</summary>"]
        out += ["", "| check | resource | reason |", "|---|---|---|"]
        for f in r.checkov.skips[:MAX_ROWS]:
            out.append(f"| `{f.check_id}` | {_resource(r, f.urn)} | {_cell(f.skip_reason or '')} |")
        out += [*_more(len(r.checkov.skips)), "", "</details>"]
    if r.unmapped_types:
        out += ["", f"{r.target}: types checkov could not see (no Terraform equivalent): "]
        out.append(", ".join(f"`{t}`" for t in r.unmapped_types))
    return out


def _more(total: int) -> list[str]:
    return [f"| ... {total - MAX_ROWS} more |"] if total > MAX_ROWS else []
