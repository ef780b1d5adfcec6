"""GitHub Actions workflow commands: one annotation per finding, at its exact span."""

from __future__ import annotations

from pathlib import Path

from validator.findings import Finding, Severity
from validator.location import Location
from validator.report import github
from validator.report.common import Run


def test_annotations_carry_file_span_title_and_full_message(owui, project) -> None:
    ran = owui("check", "--format", "github")
    assert ran.status == 1
    lines = ran.out.splitlines()
    assert len(lines) == 6
    assert lines[2] == (
        "::error file=compose.yaml,line=6,col=24,endColumn=28,title=OW101::JWT_EXPIRES_IN='3600' is rejected by "
        "Open WebUI: every sign-in fails with HTTP 500; use `3600s` or `1h`. Open WebUI rejects it: it has no "
        "number followed by a unit: ms, s, m, h, d or w.")
    assert lines[1].startswith("::warning file=compose.yaml,line=5,col=25,endColumn=35,title=OW207::")
    assert lines[3].startswith("::notice file=compose.yaml,line=6,col=24,endColumn=28,title=OW108::")
    assert lines[4].startswith("::warning file=prod.env,line=3,col=16,endColumn=19,title=OW105::")


def test_paths_are_relative_to_the_project_root_from_a_subdirectory(owui, project) -> None:
    (project / ".owui-validate.toml").write_text("")
    deploy = project / "deploy"
    deploy.mkdir()
    (project / "prod.env").rename(deploy / "prod.env")
    ran = owui("check", ".", "--format", "github", cwd=deploy)
    assert ran.out.splitlines()[0].startswith("::warning file=deploy/prod.env,line=3,col=16,")


def test_properties_and_data_are_escaped() -> None:
    finding = Finding("OW002", Severity.WARNING, "100% sure,\nreally: yes", Location("a,b:c.env", 2, 1, 3, 4))
    line = github.command(Run([finding], ["a,b:c.env"]), finding)
    assert line == ("::warning file=a%2Cb%3Ac.env,line=2,col=1,endLine=3,endColumn=4,title=OW002::"
                    "100%25 sure,%0Areally: yes")


def test_chosen_automatically_inside_github_actions(owui_process, project: Path) -> None:
    inside = owui_process("check", GITHUB_ACTIONS="true")
    assert inside.status == 1
    assert inside.out.splitlines()[0].startswith("::error file=compose.yaml,line=5,col=25,")
    explicit = owui_process("check", "--format", "text", GITHUB_ACTIONS="true")
    assert explicit.out.startswith("compose.yaml:5:25: OW201 error")
    outside = owui_process("check", GITHUB_ACTIONS="false")
    assert outside.out.startswith("compose.yaml:5:25: OW201 error")
