"""A bug of ours in one file: one line naming the file, exit 3, the others still checked."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from validator import cli
from validator.sources import load


@pytest.fixture
def broken_reader(monkeypatch: pytest.MonkeyPatch) -> str:
    canary = secrets.token_hex(32)
    real = load.load_env_file

    def explode(ws, path):  # type: ignore[no-untyped-def]
        if path.endswith("boom.env"):
            raise ValueError(f"unexpected value {canary}")
        return real(ws, path)

    monkeypatch.setattr(load, "load_env_file", explode)
    return canary


def test_internal_error_is_one_line_and_exit_3(tmp_path: Path, broken_reader: str, capsys, monkeypatch) -> None:
    (tmp_path / "boom.env").write_text("WEBUI_URL=x\n")
    (tmp_path / "ok.env").write_text("WEBUI_URL=x\nJWT_EXPIRES_IN=1mo\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "."]) == 3
    out, err = capsys.readouterr()
    assert "ok.env:2:16: OW102" in out  # the other file was still checked
    assert err.strip() == ("owui-validate: internal error while checking boom.env (ValueError): please report it at "
                           "https://github.com/owui-config-validator/owui-config-validator/issues with the output "
                           "of --debug")
    assert "Traceback" not in err and broken_reader not in out + err


def test_debug_shows_where_but_never_the_message(tmp_path: Path, broken_reader: str, capsys, monkeypatch) -> None:
    (tmp_path / "boom.env").write_text("WEBUI_URL=x\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--debug", "."]) == 3
    err = capsys.readouterr().err
    assert "in explode" in err and 'raise ValueError(f"unexpected value {canary}")' in err
    assert broken_reader not in err


def test_an_internal_error_is_never_summarised_as_no_problems(tmp_path: Path, broken_reader: str, capsys,
                                                               monkeypatch) -> None:
    (tmp_path / "boom.env").write_text("WEBUI_URL=x\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "boom.env"]) == 3
    out = capsys.readouterr().out
    assert "No problems" not in out
    assert out == "Internal error: 1 of 1 file not checked (see stderr); no finding in the others.\n"


def test_tokens_reports_an_internal_error_with_exit_3(tmp_path: Path, broken_reader: str, capsys, monkeypatch) -> None:
    (tmp_path / "boom.env").write_text("WEBUI_URL=x\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["tokens", "boom.env"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("owui-validate: internal error while checking boom.env (ValueError)")
    assert broken_reader not in err
