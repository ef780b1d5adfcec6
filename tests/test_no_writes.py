"""The validator never writes to what it checks: bytes and mtimes are unchanged after every mode."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    state = {}
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            state[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return state


MODES = [
    ("check", "."),
    ("check", "--verbose", "--fail-on", "info", "."),
    ("check", "--quiet", "--assume-openwebui", "."),
    *(("check", "--format", name, ".") for name in ("json", "sarif", "github", "junit")),
    ("check", "--write-baseline", "{outside}/baseline.json", "."),
    ("check", "--output", "{outside}/report.sarif", "--format", "sarif", "."),
    ("tokens", "."),
    ("tokens", "--format", "json", "."),
]


@pytest.mark.parametrize("args", MODES, ids=[" ".join(mode) for mode in MODES])
def test_checked_tree_is_unchanged(cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    tree, outside = tmp_path / "examples", tmp_path / "outside"
    shutil.copytree(REPO / "examples", tree)
    outside.mkdir()
    with sqlite3.connect(tree / "stored" / "webui.db") as connection:  # a database in WAL mode, as a server leaves it
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE config (key TEXT PRIMARY KEY, value JSON, updated_at BIGINT)")
        connection.execute("INSERT INTO config VALUES ('auth.jwt_expiry', '\"2h\"', 1)")
    listing = sorted(os.listdir(tree))
    before = snapshot(tree)
    result = cli(*(arg.format(outside=outside) for arg in args), cwd=tree)
    assert result.returncode in (0, 1), result.stderr
    assert snapshot(tree) == before
    assert sorted(os.listdir(tree)) == listing  # nothing created
