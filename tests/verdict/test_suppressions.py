"""`# owui-validate: ignore[...]` and `ignore-file` in env and YAML files; unused ones are OW900."""

from __future__ import annotations

import secrets
from pathlib import Path

from validator import engine
from validator.sources.files import Workspace

HEAD = "WEBUI_URL=https://chat.example.org\nWEBUI_SECRET_KEY={key}\n"


def write(tmp_path: Path, body: str, name: str = "prod.env") -> Path:
    path = tmp_path / name
    path.write_text(HEAD.format(key=secrets.token_hex(32)) + body)
    return path


def lines(ran) -> list[str]:
    """`line:col CODE` per finding."""
    return [f"{line.split(':')[1]}:{line.split(':')[2]} {line.split(' ')[1]}" for line in ran.out.splitlines()
            if ": OW" in line]


def test_same_line_suppresses_only_the_codes_named(owui, tmp_path) -> None:
    write(tmp_path, "JWT_EXPIRES_IN=52w  # owui-validate: ignore[OW105]\n")
    assert lines(owui("check")) == ["3:16 OW108"]
    write(tmp_path, "JWT_EXPIRES_IN=52w  # owui-validate: ignore[OW105, ow108]\n")
    ran = owui("check")
    assert (lines(ran), ran.status) == ([], 0)


def test_a_comment_line_covers_the_next_line_only(owui, tmp_path) -> None:
    write(tmp_path, "# owui-validate: ignore[OW105,OW108]\nJWT_EXPIRES_IN=52w\n")
    assert lines(owui("check")) == []
    write(tmp_path, "# owui-validate: ignore[OW105]\n\nJWT_EXPIRES_IN=52w\n")
    ran = owui("check")
    assert lines(ran) == ["3:1 OW900", "5:16 OW105", "5:16 OW108"]
    assert "prod.env:3:1: OW900 info `ignore[OW105]` suppresses no OW105 finding on this line or the next; " \
           "remove the comment" in ran.out


def test_a_directive_after_a_value_does_not_cover_the_next_line(owui, tmp_path) -> None:
    write(tmp_path, "ENABLE_SIGNUP=false  # owui-validate: ignore[OW105]\nJWT_EXPIRES_IN=52w\n")
    assert lines(owui("check")) == ["3:22 OW900", "4:16 OW105", "4:16 OW108"]


def test_ignore_file(owui, tmp_path) -> None:
    write(tmp_path, "JWT_EXPIRES_IN=52w\nJWT_EXPIRES_IN=53w\n# owui-validate: ignore-file\n")
    assert lines(owui("check")) == []
    write(tmp_path, "# owui-validate: ignore-file\nJWT_EXPIRES_IN=4w\nENABLE_PERSISTENT_CONFIG=False\n")
    ran = owui("check")
    assert "prod.env:3:1: OW900 info `ignore-file` suppresses nothing: no finding in this file; remove the comment" \
        in ran.out


def test_partly_used_unknown_and_malformed_directives(owui, tmp_path) -> None:
    write(tmp_path, "JWT_EXPIRES_IN=52w  # owui-validate: ignore[OW105, OW103, OW108]\n"
                    "# owui-validate: ignore[OW999]\n"
                    "# owui-validate: ignore\n"
                    "# owui-validate: ignore[]\n")
    out = owui("check").out.splitlines()
    assert out[:-1] == [
        "prod.env:3:21: OW900 info `ignore[OW105, OW103, OW108]` suppresses no OW103 finding on this line; "
        "remove OW103 from it",
        "prod.env:4:1: OW900 info this owui-validate comment names OW999, which is not a rule code: write "
        "`# owui-validate: ignore[OW103]` or `# owui-validate: ignore-file`",
        "prod.env:5:1: OW900 info this owui-validate comment is not understood: write "
        "`# owui-validate: ignore[OW103]` or `# owui-validate: ignore-file`",
        "prod.env:6:1: OW900 info this owui-validate comment names no rule code: write "
        "`# owui-validate: ignore[OW103]` or `# owui-validate: ignore-file`",
    ]


def test_yaml_comments(owui, tmp_path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  open-webui:\n"
        "    image: ghcr.io/open-webui/open-webui:main\n"
        "    environment:\n"
        "      # owui-validate: ignore[OW201, OW207]\n"
        "      WEBUI_SECRET_KEY: t0p-s3cr3t\n"
        "      JWT_EXPIRES_IN: \"3600\"  # owui-validate: ignore[OW101,OW108]\n")
    assert lines(owui("check")) == []
    compose = tmp_path / "compose.yaml"
    compose.write_text(compose.read_text().replace("OW201, OW207", "OW201"))
    assert lines(owui("check")) == ["6:25 OW207"]


def test_unused_suppressions_follow_the_configuration(owui, tmp_path) -> None:
    write(tmp_path, "JWT_EXPIRES_IN=4w  # owui-validate: ignore[OW105]\nENABLE_PERSISTENT_CONFIG=False\n")
    assert lines(owui("check")) == ["3:20 OW900"]
    (tmp_path / ".owui-validate.toml").write_text('extend-ignore = ["OW900"]\n')
    assert lines(owui("check")) == []


def test_suppressions_read_no_file_twice(tmp_path, monkeypatch) -> None:
    from validator.verdict import triage
    from validator.settings.config import Config
    from validator.settings.project import Project

    write(tmp_path, "JWT_EXPIRES_IN=52w  # owui-validate: ignore[OW105]\n")
    (tmp_path / "compose.yaml").write_text("services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                                           "    env_file: prod.env\n")
    reads: list[str] = []
    original = Workspace._read

    def counting(self, path: str) -> str:
        reads.append(path)
        return original(self, path)

    monkeypatch.setattr(Workspace, "_read", counting)
    monkeypatch.chdir(tmp_path)
    result = engine.check(["."])
    assert sorted(reads) == ["compose.yaml", "prod.env"]

    def forbidden(*args, **kwargs):
        raise AssertionError(f"file read again: {args[:2]}")

    monkeypatch.setattr(Workspace, "_read", forbidden)
    monkeypatch.setattr("builtins.open", forbidden)
    found = triage.findings(result, Project(Config(), tmp_path).selection())
    monkeypatch.undo()
    assert [(f.location.path, f.location.line, f.code) for f in found] == [("prod.env", 3, "OW108")]
