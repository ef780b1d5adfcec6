"""`--format github`: workflow commands that GitHub Actions shows as annotations on the changed lines.

Chosen automatically when GITHUB_ACTIONS=true and no format is given.
"""

from __future__ import annotations

from typing import TextIO

from validator.findings import Finding
from validator.report.common import GITHUB_COMMAND, Run, printable


def _data(text: str) -> str:
    """GitHub's escapes for newlines (a command ends at one); any other control character as printable() writes it."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(run: Run, finding: Finding) -> str:
    where = finding.location
    fields = [("file", run.path(where.path)), ("line", str(where.line)), ("col", str(where.column))]
    if where.end_line != where.line:
        fields.append(("endLine", str(where.end_line)))
    fields += [("endColumn", str(where.end_column)), ("title", finding.code)]
    properties = ",".join(f"{name}={_property(value)}" for name, value in fields)
    return f"::{GITHUB_COMMAND[finding.severity]} {properties}::{_data(finding.message)}"


def render(run: Run, stream: TextIO) -> None:
    for finding in run.findings:
        stream.write(command(run, finding) + "\n")
