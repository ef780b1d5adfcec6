"""`--format junit`: one test case per finding (name: code and location, classname: the file), as
ruff writes it, and one passing test case per clean file.

GitLab and Jenkins show one `<failure>` per test case, so several in one case hid all but the first.
Findings below `fail-on` are test cases that pass, with the finding in their system-out.
Every text and attribute goes through printable(): XML 1.0 cannot hold most control characters
even escaped, and a path with a newline must not read as two lines.
"""

from __future__ import annotations

from typing import TextIO

from validator.findings import Finding
from validator.report.common import TOOL, Run, printable

CLEAN = "no problems"


def _line(run: Run, finding: Finding) -> str:
    where = finding.location
    return (f"{run.path(where.path)}:{where.line}:{where.column}: {finding.code} {finding.severity} "
            f"{finding.full_message}")


def document(run: Run) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = {path: [] for path in run.checked_files()}
    for finding in run.findings:
        by_file[finding.location.path].append(finding)
    tests = sum(max(1, len(found)) for found in by_file.values())
    failed = sum(1 for finding in run.findings if finding.severity >= run.fail_on)
    counts = {"tests": str(tests), "failures": str(failed), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": TOOL, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": TOOL, **counts})
    for path, found in by_file.items():
        name = printable(run.path(path))
        if not found:
            ET.SubElement(suite, "testcase", name=CLEAN, classname=name, file=name)
        for finding in found:
            where = finding.location
            case = ET.SubElement(suite, "testcase", name=f"{finding.code} at {name}:{where.line}:{where.column}",
                                 classname=name, file=name, line=str(where.line))
            if finding.severity >= run.fail_on:
                failure = ET.SubElement(case, "failure", type=finding.code, message=printable(finding.message))
                failure.text = printable(_line(run, finding))
            else:
                ET.SubElement(case, "system-out").text = printable(_line(run, finding))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def render(run: Run, stream: TextIO) -> None:
    stream.write(document(run) + "\n")
