"""`path:line:col: CODE severity message`, the format editors and pre-commit users read."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from validator.findings import Finding, Severity
from validator.report.common import Run, printable

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def use_colour(stream: TextIO) -> bool:
    """Only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def line(finding: Finding, colour: bool = False) -> str:
    where, message = printable(str(finding.location)), printable(finding.message)
    if not colour:
        return f"{where}: {finding.code} {finding.severity} {message}"
    tint = _COLOURS[finding.severity]
    return f"{_BOLD}{where}{_RESET}: {tint}{finding.code} {finding.severity}{_RESET} {message}"


def summary(findings: Sequence[Finding], files: int, unchecked: int = 0) -> str:
    if unchecked:
        found = f"{len(findings)} problem{'s' if len(findings) != 1 else ''}" if findings else "no finding"
        return (f"Internal error: {unchecked} of {files} file{'s' if files != 1 else ''} not checked (see stderr); "
                f"{found} in the others.")
    if not findings:
        return f"No problems in {files} file{'s' if files != 1 else ''}."
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in Severity}
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
             for s in sorted(Severity, reverse=True) if counts[s]]
    return f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}."


def write(findings: Sequence[Finding], files: int, stream: TextIO, *, quiet: bool = False, unchecked: int = 0) -> None:
    colour = use_colour(stream)
    for finding in findings:
        stream.write(line(finding, colour) + "\n")
    if not quiet:
        stream.write(summary(findings, files, unchecked) + "\n")


def render(run: Run, stream: TextIO) -> None:
    write(run.findings, len(run.files), stream, quiet=run.quiet, unchecked=len(run.unchecked))
