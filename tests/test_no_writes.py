"""The validator never writes to what it checks: bytes and mtimes are unchanged after every mode."""

from __future__ import annotations

import os
import shutil
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
]


@pytest.mark.parametrize("args", MODES, ids=[" ".join(mode) for mode in MODES])
def test_checked_tree_is_unchanged(cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    tree = tmp_path / "examples"
    shutil.copytree(REPO / "examples", tree)
    before = snapshot(tree)
    result = cli(*args, cwd=tree)
    assert result.returncode in (0, 1), result.stderr
    assert snapshot(tree) == before
    assert sorted(os.listdir(tree)) == sorted(os.listdir(REPO / "examples"))  # nothing created
