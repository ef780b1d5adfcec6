"""Apply the rules' fixes byte for byte: only the value's own characters change.

A fix names the text it replaces (`Fix.old`) at the value's location; the file is edited only where
that exact text is still there, so quotes, comments, encoding, BOM and line endings are kept, and
a value that arrived through escapes or interpolation is left alone. Only files the run read as
text are written, never the report's `--output` or standard input, and only JWT_EXPIRES_IN values
carry fixes, so no secret is ever written; `--diff` lines hide anything else on a changed line.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from validator.errors import UsageError
from validator.findings import Finding, Fix

_LINE_END = re.compile(r"\r\n|\r|\n")
# What a diff may show of a changed line besides the value: the variable's name and syntax.
_PLAIN = re.compile(r"^[\s\"'{}\[\]:=,\-]*(?:(?:export|value|name|JWT_EXPIRES_IN|auth\.jwt_expiry|jwt_expiry)"
                    r"[\s\"'{}\[\]:=,\-]*)*$")


@dataclass(frozen=True, slots=True)
class Edit:
    """One fix as applied to a file's text: where, and the line before and after."""

    fix: Fix
    line: int
    before: str
    after: str


def chosen(findings: Iterable[Finding], unsafe: bool) -> dict[str, list[Finding]]:
    """The findings whose fix runs (safe ones, or all with --unsafe-fixes), by file; one per value."""
    by_path: dict[str, dict[tuple[int, int], Finding]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and (fix.safe or unsafe):
            where = fix.location
            by_path.setdefault(where.path, {}).setdefault((where.line, where.column), finding)
    return {path: list(found.values()) for path, found in by_path.items()}


def edit(data: bytes, fixes: Sequence[Fix]) -> tuple[bytes, list[Edit]]:
    """`data` with every fix whose text is found where it says; the edits made. Not UTF-8: unchanged."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = data[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        return data, []
    starts = [0] + [match.end() for match in _LINE_END.finditer(text)]
    edits: list[tuple[int, Edit]] = []
    for fix in fixes:
        where = fix.location
        if where.end_line != where.line or not 0 < where.line <= len(starts):
            continue
        offset = starts[where.line - 1] + where.column - 1
        if text[offset:offset + len(fix.old)] != fix.old or "\n" in fix.old or "\r" in fix.old:
            continue
        line_end = starts[where.line] if where.line < len(starts) else len(text)
        line = text[starts[where.line - 1]:line_end].rstrip("\r\n")
        column = where.column - 1
        edits.append((offset, Edit(fix, where.line, line, line[:column] + fix.new + line[column + len(fix.old):])))
    for offset, change in sorted(edits, key=lambda item: item[0], reverse=True):
        text = text[:offset] + change.fix.new + text[offset + len(change.fix.old):]
    return bom + text.encode("utf-8"), [change for _, change in sorted(edits, key=lambda item: item[0])]


def shown(change: Edit) -> tuple[str, str]:
    """The line before and after for a diff: the text around the value only where it is the
    variable's name and syntax, `…` for anything else (a comment or a flow mapping may hold a key)."""
    column = change.fix.location.column - 1
    head = change.before[:column]
    tail = change.before[column + len(change.fix.old):]
    head = head if _PLAIN.match(head) else "…"
    tail = tail if _PLAIN.match(tail) else " …"
    return head + change.fix.old + tail, head + change.fix.new + tail


def run(findings: Sequence[Finding], files: Iterable[str], *, unsafe: bool, write: bool, refuse: str | None,
        given: Iterable[str] = ()) -> set[int]:
    """Fix (or, without `write`, print the diff of) the chosen findings in `files` (those the run
    read); the ids of the findings fixed."""
    readable = {os.path.abspath(path) for path in files}
    not_ours = {os.path.abspath(path) for path in given} | ({os.path.abspath(refuse)} if refuse else set())
    fixed: set[int] = set()
    for path, found in sorted(chosen(findings, unsafe).items()):
        absolute = os.path.abspath(path)
        # Only a regular file this run read, never the report or what stood in for standard input.
        if absolute in not_ours or absolute not in readable or not os.path.isfile(path) or os.path.islink(path):
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if data.startswith(b"SQLite format 3\x00"):
            continue
        new, edits = edit(data, [finding.fix for finding in found if finding.fix is not None])
        if not edits:
            continue
        if write:
            _write(path, new)
        else:
            _diff(path, edits)
        done = {(change.fix.location.line, change.fix.location.column) for change in edits}
        fixed.update(id(finding) for finding in found
                     if finding.fix is not None and (finding.fix.location.line, finding.fix.location.column) in done)
    return fixed


def _write(path: str, data: bytes) -> None:
    try:
        with open(path, "r+b") as handle:
            handle.write(data)
            handle.truncate()
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the fix: {exc.strerror}") from None


def _diff(path: str, edits: Sequence[Edit]) -> None:
    out = [f"--- {path}\n", f"+++ {path}\n"]
    for change in edits:
        before, after = shown(change)
        out += [f"@@ -{change.line} +{change.line} @@\n", f"-{before}\n", f"+{after}\n"]
    sys.stdout.writelines(out)
