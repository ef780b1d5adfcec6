"""What every output format shares: the run being reported, severity names per format, paths.

Format modules import only this (never each other), so each can change on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from validator import paths
from validator.verdict import identity
from validator.findings import Finding, Severity

TOOL = "owui-validate"
HOMEPAGE = "https://github.com/owui-config-validator/owui-config-validator"

SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclass(frozen=True, slots=True)
class Checked:
    """One Open WebUI deployment as checked: the release the rules used and why it is Open WebUI."""

    name: str
    release: str
    # Where the release came from (`image tag ...`), or "--target-version; <why the image does not say>".
    release_source: str
    because: str


@dataclass(frozen=True)
class Run:
    """One check, as reporters see it."""

    findings: Sequence[Finding]
    # The files checked, as named on the command line or found by the walk.
    files: Sequence[str]
    # Paths in machine-read formats are relative to this (see validator.settings.config.project_root).
    root: str = "."
    fail_on: Severity = Severity.WARNING
    quiet: bool = False
    # Severities the configuration gives rules, for formats that describe rules (SARIF).
    rule_severity: Mapping[str, Severity] = field(default_factory=dict)
    # The Open WebUI deployments checked (JSON `deployments`, SARIF run properties).
    deployments: Sequence[Checked] = ()
    # Files an internal error kept from being checked (exit 3): no summary may call them clean.
    unchecked: Sequence[str] = ()

    def path(self, path: str) -> str:
        return paths.relative(path, self.root)

    @cached_property
    def fingerprints(self) -> dict[int, str]:
        """id(finding) -> stable fingerprint (validator.verdict.identity): same finding, same value, run after run."""
        keyed = identity.keyed(self.findings, lambda finding: self.path(finding.location.path))
        return {id(finding): identity.fingerprint(key, ordinal) for finding, key, ordinal in keyed}

    def fingerprint(self, finding: Finding) -> str:
        return self.fingerprints[id(finding)]

    def checked_files(self) -> list[str]:
        """The files checked, then any other file a finding points at (an `.env` a compose file uses)."""
        ordered = dict.fromkeys(self.files)
        for finding in self.findings:
            ordered.setdefault(finding.location.path, None)
        return list(ordered)


# Control characters (C0, DEL, C1), line and paragraph separators, and what XML 1.0 cannot hold.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Text with every control character written as an escape (`\\n`, `\\x1b`): a file named with a
    newline cannot forge a finding line, an ESC cannot drive the terminal, and XML stays valid."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    return {severity: sum(1 for finding in findings if finding.severity == severity) for severity in Severity}


def doc_sections(doc: str) -> dict[str, str]:
    """A rule docstring's `## Heading` sections by heading, each body stripped."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines()[1:]:
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(body).strip() for heading, body in sections.items()}
