"""Inline suppression comments in env and YAML files, and the OW900 findings for unused ones.

    JWT_EXPIRES_IN=0s  # owui-validate: ignore[OW103]
    # owui-validate: ignore[OW103, OW108]      (a comment line: covers the next line too)
    # owui-validate: ignore-file

The comments are found in the text the run already read (Workspace), never by reading again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from validator.findings import Finding
from validator.location import Location
from validator.rules.suppression import UnusedSuppression

MARKER = "owui-validate"
_COMMENT = re.compile(r"#[ \t]*owui-validate[ \t]*:[ \t]*([^\n]*)")
_IGNORE = re.compile(r"ignore[ \t]*\[([^\]\n]*)\]")
_IGNORE_FILE = re.compile(r"ignore-file\b")
_FORMS = "`# owui-validate: ignore[OW103]` or `# owui-validate: ignore-file`"


@dataclass(slots=True)
class Directive:
    """One `# owui-validate:` comment and what it has suppressed so far."""

    location: Location
    codes: tuple[str, ...] = ()
    whole_file: bool = False
    # On a line of its own: it also covers the line below.
    own_line: bool = False
    problem: str = ""
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if self.problem:
            return False
        if self.whole_file:
            return True
        line, here = finding.location.line, self.location.line
        return finding.code in self.codes and (line == here or (self.own_line and line == here + 1))


def scan(text: str, path: str, known: Collection[str]) -> list[Directive]:
    """Every directive in a file's text; `known` are the rule codes a directive may name."""
    if MARKER not in text:
        return []
    directives = []
    for match in _COMMENT.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        line = text.count("\n", 0, start) + 1
        body = match.group(1)
        ignore, whole = _IGNORE.match(body), _IGNORE_FILE.match(body)
        end = match.start(1) + (ignore.end() if ignore else whole.end() if whole else len(body.rstrip()))
        location = Location(path, line, start - line_start + 1, line, end - line_start + 1)
        directive = Directive(location, own_line=not text[line_start:start].strip(), whole_file=whole is not None)
        if ignore is not None:
            directive.codes = tuple(code.strip().upper() for code in ignore.group(1).split(",") if code.strip())
            unknown = [code for code in directive.codes if code not in known]
            if not directive.codes:
                directive.problem = "names no rule code"
            elif unknown:
                what = "is not a rule code" if len(unknown) == 1 else "are not rule codes"
                directive.problem = f"names {', '.join(unknown)}, which {what}"
        elif whole is None:
            directive.problem = "is not understood"
        directives.append(directive)
    return directives


def apply(findings: Iterable[Finding], paths: Iterable[str], text_of: Callable[[str], str | None],
          known: Collection[str]) -> tuple[list[Finding], list[Finding]]:
    """(findings not suppressed, OW900 findings) for the directives in `paths` (files whose text
    `text_of` still holds; others have no directives)."""
    by_path: dict[str, list[Directive]] = {}
    for path in dict.fromkeys(paths):
        text = text_of(path)
        if text is not None:
            found = scan(text, path, known)
            if found:
                by_path[path] = found
    kept = []
    for finding in findings:
        directive = _covering(by_path.get(finding.location.path, ()), finding)
        if directive is None:
            kept.append(finding)
        else:
            directive.used.add(finding.code)
    return kept, [report for directives in by_path.values() for d in directives if (report := _unused(d))]


def _covering(directives: Iterable[Directive], finding: Finding) -> Directive | None:
    """A line directive before a file directive, so `ignore-file` is reported when redundant."""
    ordered = sorted(directives, key=lambda directive: directive.whole_file)
    return next((directive for directive in ordered if directive.covers(finding)), None)


def _unused(directive: Directive) -> Finding | None:
    if directive.problem:
        message = f"this owui-validate comment {directive.problem}: write {_FORMS}"
    elif directive.whole_file:
        if directive.used:
            return None
        message = "`ignore-file` suppresses nothing: no finding in this file; remove the comment"
    else:
        unused = [code for code in directive.codes if code not in directive.used]
        if not unused:
            return None
        where = "this line or the next" if directive.own_line else "this line"
        names = " or ".join(unused)
        fix = "remove the comment" if len(unused) == len(directive.codes) else f"remove {', '.join(unused)} from it"
        message = f"`ignore[{', '.join(directive.codes)}]` suppresses no {names} finding on {where}; {fix}"
    return UnusedSuppression.finding(message, directive.location)
