"""The default format stays `path:line:col: CODE severity message` plus a summary."""

from __future__ import annotations


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
    assert ran.err == "owui-validate: error: prod.env is one of the files checked: refusing to overwrite it\n"
    assert (project / "prod.env").read_text() == before


def test_unwritable_output_is_a_one_line_usage_error(owui, project) -> None:
    ran = owui("check", "--output", "missing-dir/report.txt")
    assert ran.status == 2
    assert ran.err == ("owui-validate: error: missing-dir/report.txt: cannot write the report: "
                       "No such file or directory\n")
