"""Env files in docker compose's dotenv syntax (compose-go `dotenv`), with exact positions.

Parsing is one pass over the text with module-level regexes: it runs on every commit, on files
of megabytes. Errors and findings name variables and positions but never quote a value, since
these files hold secret keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from validator.findings import Finding, Severity
from validator.location import Location
from validator.sources.files import unreadable
from validator.redaction import is_secret_name, looks_like_key, register
from validator.secrets import describe
from validator.sources.interpolation import Budget, interpolate, raise_if_too_large, unresolved_reason
from validator.sources.model import Setting

_WS = r"[^\S\n]"
_SKIP = re.compile(rf"{_WS}*(?:#.*)?")
_STATEMENT = re.compile(rf"{_WS}*(?:export{_WS}+)?([A-Za-z_][A-Za-z0-9_.-]*){_WS}*(?:([=:]){_WS}*)?")
_LEADING_WS = re.compile(rf"{_WS}*")
_CLOSING = {'"': re.compile(r'[\\"]'), "'": re.compile(r"[\\']")}
# Pairs are read left to right, so `\\n` is a backslash then `n`, as compose reads it.
_DOUBLE_ESCAPE = re.compile(r"\\(0[0-7]{3}|.)", re.S)
_SINGLE_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", '"': '"',
    "$": "$$",  # `\$` is a literal dollar: kept as compose's `$$` escape for interpolation
}  # fmt: skip
_SHELL = "taken from the shell environment at deploy time"
# The other definitions an OW002 lists by line number; more are counted.
_LINES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Entry:
    """One `KEY=VALUE` (or bare `KEY`) line; `raw` is the interpolation template, not the value."""

    name: str
    # After unquoting and escapes, before interpolation (`\\$` is kept as `$$`); None for bare KEY.
    raw: str | None
    # The value as written (after the opening quote); for a bare KEY, the key.
    location: Location
    key_location: Location
    # False for single-quoted values, which compose takes literally.
    interpolate: bool

    def __repr__(self) -> str:
        shown = "bare" if self.raw is None else f"<{len(self.raw)} chars>"
        return f"Entry({self.name}={shown} at {self.location})"


@dataclass(slots=True)
class DotenvFile:
    """A parsed env file: entries in file order and OW002 findings for duplicate names."""

    path: str
    entries: list[Entry]
    findings: list[Finding]

    def names(self) -> set[str]:
        return {entry.name for entry in self.entries}

    def resolve(self, lookup: Callable[[str], str | None] | None = None, budget: Budget | None = None) -> dict[str, Setting]:
        """Final settings: the last definition wins; references see earlier entries, then lookup.
        All values share one expansion budget (a fresh one if None)."""
        seen: dict[str, str | None] = {}
        budget = budget or Budget()

        def find(name: str) -> str | None:
            value = seen.get(name)
            if value is None and name in settings:
                raise_if_too_large(settings[name].unresolved)
            if value is None and lookup is not None:
                value = lookup(name)
            return value

        settings: dict[str, Setting] = {}
        for entry in self.entries:
            raw = entry.raw
            if raw is None:
                value = lookup(entry.name) if lookup is not None else None
                setting = Setting(entry.name, value, entry.location, False, "" if value is not None else _SHELL, self.path)
            elif not entry.interpolate or "$" not in raw:
                setting = Setting(entry.name, raw, entry.location, True, "", self.path)
            else:
                result = interpolate(raw, find, budget)
                literal = not result.references
                reason = result.unresolved and unresolved_reason(raw, result, is_secret_name(entry.name))
                setting = Setting(entry.name, result.value, entry.location, literal, reason, self.path)
            seen[entry.name] = setting.value
            settings[entry.name] = setting
        return settings


def _unescape_double(content: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if len(escaped) == 4:  # `\0ooo` octal, as compose accepts it
            code = int(escaped[1:], 8)
            return chr(code) if code <= 0o377 else match.group(0)
        return _ESCAPES.get(escaped, match.group(0))

    return _DOUBLE_ESCAPE.sub(replace, content) if "\\" in content else content


def _unescape_single(content: str) -> str:
    if "\\" not in content:
        return content
    return _SINGLE_ESCAPE.sub(lambda m: "'" if m.group(1) == "'" else m.group(0), content)


def _duplicates(entries: list[Entry]) -> list[Finding]:
    """One OW002 per name defined more than once, at the definition that wins, with a count: a
    file of 20,000 identical lines is one finding, not 20,000 that each list the others."""
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry)
    findings = []
    for name, defined in by_name.items():
        if len(defined) < 2:
            continue
        last = defined[-1].key_location
        shown, variable = name, name
        if looks_like_key(name):  # a key pasted alone on a line: described, and hidden from every output
            register(name)
            shown, variable = f"a variable name that looks like a pasted key ({describe(name)})", ""
        times = "twice" if len(defined) == 2 else f"{len(defined)} times"
        message = (f"{shown} is defined {times} in this file (also at {_lines(defined[:-1])}); "
                   f"the definition at line {last.line} wins")
        findings.append(Finding("OW002", Severity.WARNING, message, last, variable=variable))
    findings.sort(key=lambda finding: finding.sort_key)
    return findings


def _lines(entries: list[Entry]) -> str:
    """`line 3`, `lines 1, 2`, `lines 1, 2, 3, 4, 5 and 19994 more`."""
    lines = [str(entry.key_location.line) for entry in entries[:_LINES_SHOWN]]
    more = len(entries) - len(lines)
    return ("line " if len(entries) == 1 else "lines ") + ", ".join(lines) + (f" and {more} more" if more else "")


def parse_dotenv(text: str, path: str) -> DotenvFile:
    """Parse an env file; raises SourceError (OW001) at the first syntax error, as compose refuses it."""
    entries: list[Entry] = []
    n = len(text)
    pos = 0
    line = 1
    while pos < n:
        eol = text.find("\n", pos)
        if eol < 0:
            eol = n
        if _SKIP.match(text, pos, eol).end() == eol:  # type: ignore[union-attr]
            pos, line = eol + 1, line + 1
            continue
        statement = _STATEMENT.match(text, pos, eol)
        if statement is None:
            column = _LEADING_WS.match(text, pos).end() - pos + 1  # type: ignore[union-attr]
            raise unreadable(Location(path, line, column), "expected a variable name (KEY=VALUE)")
        name = statement.group(1)
        key_location = Location.span(path, line, statement.start(1) - pos + 1, name)
        start = statement.end()
        column = start - pos + 1
        if statement.group(2) is None:
            if start != eol:
                raise unreadable(Location(path, line, column), "invalid character in variable name (expected KEY=VALUE)")
            entries.append(Entry(name, None, key_location, key_location, False))
        elif start < eol and text[start] in _CLOSING:
            quote = text[start]
            kind = "double" if quote == '"' else "single"
            scan = _CLOSING[quote]
            cursor = start + 1
            while True:
                found = scan.search(text, cursor)
                if found is None:
                    raise unreadable(Location(path, line, column), f"unterminated {kind}-quoted value for {name}")
                if found.group() == "\\":
                    cursor = found.start() + 2
                    continue
                close = found.start()
                break
            content = text[start + 1 : close]
            raw = _unescape_double(content) if quote == '"' else _unescape_single(content)
            entries.append(Entry(name, raw, Location.span(path, line, column + 1, content), key_location, quote == '"'))
            newlines = content.count("\n")
            if newlines:
                line += newlines
                pos = text.rfind("\n", 0, close) + 1
            eol = text.find("\n", close)
            if eol < 0:
                eol = n
            after = _SKIP.match(text, close + 1, eol).end()  # type: ignore[union-attr]
            if after != eol:
                after = _LEADING_WS.match(text, close + 1, eol).end()  # type: ignore[union-attr]
                raise unreadable(Location(path, line, after - pos + 1), f"unexpected text after the closing quote of {name}'s value")
        else:
            value = text[start:eol]
            comment = value.find(" #")  # compose starts an inline comment at space-hash only
            if comment >= 0:
                value = value[:comment]
            value = value.rstrip()
            entries.append(Entry(name, value, Location.span(path, line, column, value), key_location, True))
        pos, line = eol + 1, line + 1
    return DotenvFile(path, entries, _duplicates(entries))
