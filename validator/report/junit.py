"""`--format junit`: one test case per file checked, a failure per finding at or above `fail-on`.

Findings below `fail-on` do not fail the test case; they are listed in its system-out.
"""

from __future__ import annotations

import re
from typing import TextIO

from validator.findings import Finding
from validator.report.common import TOOL, Run

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(run: Run, finding: Finding) -> str:
    where = finding.location
    return f"{run.path(where.path)}:{where.line}:{where.column}: {finding.code} {finding.severity} {finding.message}"


def document(run: Run) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = {path: [] for path in run.checked_files()}
    for finding in run.findings:
        by_file[finding.location.path].append(finding)
    failed = sum(1 for found in by_file.values() if any(f.severity >= run.fail_on for f in found))
    counts = {"tests": str(len(by_file)), "failures": str(failed), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": TOOL, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": TOOL, **counts})
    for path, found in by_file.items():
        name = run.path(path)
        case = ET.SubElement(suite, "testcase", name=name, classname=TOOL, file=name)
        notes = []
        for finding in found:
            if finding.severity >= run.fail_on:
                failure = ET.SubElement(case, "failure", type=finding.code, message=_clean(finding.message))
                failure.text = _clean(_line(run, finding))
            else:
                notes.append(_clean(_line(run, finding)))
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def render(run: Run, stream: TextIO) -> None:
    stream.write(document(run) + "\n")
