"""Which JSON and database files the walk and the pre-commit hook pick up, and how explicit files
of other names are recognised."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from validator.sources import discover

WALKED = ["config-1718000000000.json", "openwebui-config.json", "Settings-EXPORT.json", "deploy/webui.db",
          "tsconfig.json"]
NOT_WALKED = ["package.json", "composer.lock", "data.json", "webui.db-wal", "webui.db-shm", "other.db", "webui.sqlite"]


@pytest.mark.parametrize("path", WALKED + NOT_WALKED)
def test_hook_and_walk_agree(path: str) -> None:
    hooked = re.search(discover.hook_files_pattern(), path) is not None
    walked = discover.kind_of(path) is not None
    assert hooked == walked == (path in WALKED)


def test_walk_finds_exports_and_databases(tmp_path: Path) -> None:
    for name in WALKED + NOT_WALKED:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = sorted(Path(path).relative_to(tmp_path).as_posix() for path in discover.walk(str(tmp_path)))
    assert found == sorted(WALKED)


def test_explicit_files_by_extension_and_header(tmp_path: Path) -> None:
    (tmp_path / "backup").write_bytes(discover.SQLITE_MAGIC + b"\x10\x00")
    (tmp_path / "prod").write_text("WEBUI_SECRET_KEY=x\n")
    (tmp_path / "dump.JSON").write_text("{}")
    (tmp_path / "owui.sqlite3").write_bytes(b"")
    assert [discover.explicit_kind(str(tmp_path / name)) for name in ("backup", "prod", "dump.JSON", "owui.sqlite3")] \
        == ["sqlite", None, "json", "sqlite"]


def test_a_fifo_is_not_opened_to_sniff_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert discover.explicit_kind(str(fifo)) is None


def test_an_ordinary_check_imports_no_database_or_json_code(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WEBUI_SECRET_KEY=241fd9abfb44950ce3d8f1679ed64f3cce3be447e148f015fc70444178d4dc36\n"
                                   "JWT_EXPIRES_IN=4w\n")
    (tmp_path / "compose.yaml").write_text("services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n")
    heavy = ["sqlite3", "psycopg", "json", "validator.sources.sqlitedb", "validator.sources.postgres",
             "validator.sources.jsonscan", "validator.sources.export"]
    script = (f"import sys\nfrom validator.cli import main\nmain(['check', '-q', {str(tmp_path)!r}])\n"
              f"print([name for name in {heavy!r} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
