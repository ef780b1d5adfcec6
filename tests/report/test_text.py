"""The default format stays `path:line:col: CODE severity message` plus a summary."""

from __future__ import annotations

import io

import pytest

from validator.findings import Finding, Severity
from validator.location import Location
from validator.report import text


def test_text_is_the_default_and_keeps_its_shape(owui, project) -> None:
    ran = owui("check")
    assert ran.status == 1
    lines = ran.out.splitlines()
    assert lines[0].startswith("compose.yaml:5:25: OW201 error WEBUI_SECRET_KEY is the publicly known key 't0p-s3cr3t'")
    assert [line.split(" ")[:3] for line in lines[:-1]] == [
        ["compose.yaml:5:25:", "OW201", "error"],
        ["compose.yaml:5:25:", "OW207", "warning"],
        ["compose.yaml:6:24:", "OW101", "error"],
        ["compose.yaml:6:24:", "OW108", "info"],
        ["prod.env:3:16:", "OW105", "warning"],
        ["prod.env:3:16:", "OW108", "info"],
    ]
    assert lines[-1] == "Found 6 problems (2 errors, 2 warnings, 2 info) in 3 files."
    assert owui("check", "--format", "text").out == ran.out


def test_output_file_holds_the_report_and_stdout_stays_empty(owui, project) -> None:
    ran = owui("check", "--output", "report.txt", "--quiet")
    assert ran.status == 1 and ran.out == ""
    written = (project / "report.txt").read_text()
    assert written.splitlines()[0].startswith("compose.yaml:5:25: OW201 error")
    assert "Found" not in written  # --quiet applies to the file too
    assert "\033[" not in written  # never colour in a file


def test_output_never_overwrites_a_checked_file(owui, project) -> None:
    before = (project / "prod.env").read_text()
    ran = owui("check", "--output", "prod.env")
    assert ran.status == 2
    assert ran.err == "owui-validate: error: prod.env is one of the files read in this run: refusing to overwrite it\n"
    assert (project / "prod.env").read_text() == before


def test_unwritable_output_is_a_one_line_usage_error(owui, project) -> None:
    ran = owui("check", "--output", "missing-dir/report.txt")
    assert ran.status == 2
    assert ran.err == ("owui-validate: error: missing-dir/report.txt: cannot write the report: "
                       "No such file or directory\n")


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
