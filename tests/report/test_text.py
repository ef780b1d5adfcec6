from __future__ import annotations

import io

import pytest

from validator.findings import Finding, Severity
from validator.location import Location
from validator.report import text


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


FINDING = Finding("OW101", Severity.ERROR, "JWT_EXPIRES_IN='3600' is rejected", Location("a.env", 2, 16))


def test_plain_line_format() -> None:
    assert text.line(FINDING) == "a.env:2:16: OW101 error JWT_EXPIRES_IN='3600' is rejected"


def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    text.write([FINDING], 1, terminal)
    assert "\033[31mOW101 error\033[0m" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not text.use_colour(Terminal())
    piped = io.StringIO()
    monkeypatch.delenv("NO_COLOR")
    text.write([FINDING], 1, piped)
    assert "\033[" not in piped.getvalue()


def test_summary_counts_by_severity() -> None:
    warning = Finding("OW105", Severity.WARNING, "m", Location("a.env", 3, 1))
    info = Finding("OW108", Severity.INFO, "m", Location("a.env", 3, 1))
    assert text.summary([FINDING, warning, warning, info, info], 2) == \
        "Found 5 problems (1 error, 2 warnings, 2 info) in 2 files."
    assert text.summary([], 1) == "No problems in 1 file."


def test_quiet_prints_findings_only() -> None:
    out = io.StringIO()
    text.write([FINDING], 1, out, quiet=True)
    assert out.getvalue() == text.line(FINDING) + "\n"
