"""git decides what is ignored: patterns, negations and tracked files, in a real repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from validator.sources.gitignore import ignored


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text(".env.secrets\n*.local\n!keep.local\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.local").write_text("A=1\n")
    (tmp_path / "tracked.local").write_text("A=1\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "tracked.local"], check=True)
    return tmp_path


def test_ignored_paths_including_absent_ones(repo: Path) -> None:
    paths = [str(repo / name) for name in (".env.secrets", "sub/x.local", "keep.local", "compose.yaml")]
    assert ignored(paths) == {str(repo / ".env.secrets"), str(repo / "sub" / "x.local")}


def test_a_tracked_file_is_not_ignored(repo: Path) -> None:
    assert ignored([str(repo / "tracked.local")]) == set()


def test_paths_are_returned_as_given(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "sub")
    assert ignored(["x.local", "../.env.secrets", "../compose.yaml"]) == {"x.local", "../.env.secrets"}


def test_outside_a_work_tree_nothing_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.env\n")  # not a repository: the file means nothing
    assert ignored([str(tmp_path / "a.env")]) == set()
