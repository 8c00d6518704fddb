"""JUnit XML for CI test reports: one testsuite per target, one testcase per (policy, resource).

Each violation is a failing testcase (blocking ones as ``failure``, advisory ones pass with the message in
``system-out``); each exemption or justified checkov skip is a ``skipped`` testcase carrying its reason; each
failed checkov check is a failing testcase. A resource the residency pack did not flag is one passing
testcase, so the suite size shows how much was judged. A target that could not be judged is an ``error``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from enclave.gate.results import TargetResult


def _case(suite: ET.Element, classname: str, name: str, target: TargetResult | None = None) -> ET.Element:
    attributes = {"classname": classname, "name": name, "time": "0"}
    declared = target.locations.get(name) if target else None
    if declared:  # the file/line attributes CI test reporters use to annotate the source
        attributes.update(file=declared.file, line=str(declared.line))
    return ET.SubElement(suite, "testcase", attributes)


def _declared(target: TargetResult, urn: str) -> str:
    declared = target.locations.get(urn)
    return f"\ndeclared at: {declared.describe()}" if declared else ""


def _suite(target: TargetResult) -> ET.Element:
    suite = ET.Element("testsuite", {"name": target.target, "hostname": "enclave-gate"})
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "stack", "value": target.stack})
    ET.SubElement(props, "property", {"name": "jurisdiction", "value": target.jurisdiction or ""})
    failures = errors = skipped = 0
    if target.error:
        case = _case(suite, "enclave.gate", "run program")
        ET.SubElement(case, "error", {"message": target.error, "type": "ProgramError"}).text = target.error
        errors += 1
    flagged: set[str] = set()
    for v in target.violations:
        flagged.add(v.urn)
        case = _case(suite, f"residency.{v.policy}", v.urn, target)
        if v.blocking:
            failure = ET.SubElement(case, "failure", {"message": v.message, "type": v.enforcement_level})
            failure.text = (
                f"{v.policy} ({v.category}, {v.severity}): {v.message}\nresource: {v.urn} ({v.resource_type})"
                + _declared(target, v.urn)
            )
            failures += 1
        else:
            ET.SubElement(case, "system-out").text = f"{v.enforcement_level}: {v.message}"
    for e in target.exemptions:
        flagged.add(e.urn)
        case = _case(suite, f"residency.{e.policy}", e.urn, target)
        reason = f"exempted by {e.id} (owner {e.owner}, expires {e.expires}): {e.reason}"
        ET.SubElement(case, "skipped", {"message": reason})
        skipped += 1
    for urn in target.resource_urns:
        if urn not in flagged:
            _case(suite, "residency", urn, target)
    if target.checkov is not None:
        for f in target.checkov.findings:
            case = _case(suite, f"checkov.{f.check_id}", f.urn, target)
            failure = ET.SubElement(case, "failure", {"message": f.message, "type": "checkov"})
            failure.text = f.message + _declared(target, f.urn)
            failures += 1
        for f in target.checkov.skips:
            case = _case(suite, f"checkov.{f.check_id}", f.urn, target)
            ET.SubElement(case, "skipped", {"message": f"{f.message}: {f.skip_reason}"})
            skipped += 1
    suite.set("tests", str(len(suite.findall("testcase"))))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def render_junit(results: list[TargetResult]) -> str:
    root = ET.Element("testsuites", {"name": "enclave check"})
    for target in results:
        root.append(_suite(target))
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
