"""`--format junit`: one test case per file checked, a failure per finding at or above `fail-on`.

Findings below `fail-on` do not fail the test case; they are listed in its system-out. Every text
and attribute goes through printable(): XML 1.0 cannot hold most control characters even escaped,
and a path with a newline must not read as two lines.
"""

from __future__ import annotations

from typing import TextIO

from validator.findings import Finding
from validator.report.common import TOOL, Run, printable


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
        name = printable(run.path(path))
        case = ET.SubElement(suite, "testcase", name=name, classname=TOOL, file=name)
        notes = []
        for finding in found:
            if finding.severity >= run.fail_on:
                failure = ET.SubElement(case, "failure", type=finding.code, message=printable(finding.message))
                failure.text = printable(_line(run, finding))
            else:
                notes.append(printable(_line(run, finding)))
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def render(run: Run, stream: TextIO) -> None:
    stream.write(document(run) + "\n")
