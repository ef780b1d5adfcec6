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


# --- `--output` and `--write-baseline` refuse every file the run read ----------------------------

SECRET_KEY = "4f1c9a0e7b3d5c2a8e6f0b1d9c7a5e3f2b4d6c8a0e1f3b5d7c9a2e4f6b8d0c1a"


def stack(root: Path) -> Path:
    """A home-lab compose stack: `.env` beside the compose file, the key in an `env_file`."""
    (root / ".env").write_text("JWT_EXPIRES_IN=4w\n")
    (root / "secrets.env").write_text(f"WEBUI_SECRET_KEY={SECRET_KEY}\n")
    (root / "docker-compose.yml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    env_file: secrets.env\n"
        "    environment:\n      JWT_EXPIRES_IN: ${JWT_EXPIRES_IN}\n")
    return root


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
@pytest.mark.parametrize("target", ["docker-compose.yml", "secrets.env", "link-to-secrets", "hard-link-to-secrets",
                                    "owui.toml"])
def test_no_file_read_in_the_run_is_overwritten(cli, tmp_path: Path, option: str, target: str) -> None:
    """Only `.env` is named: the compose file is read beside it, `secrets.env` as its env_file, and
    the configuration by --config; none may be the report or the baseline, by any name."""
    root = stack(tmp_path)
    (root / "owui.toml").write_text("fail-on = \"error\"\n")
    (root / "link-to-secrets").symlink_to("secrets.env")
    os.link(root / "secrets.env", root / "hard-link-to-secrets")
    before = snapshot(root)
    result = cli("check", "--config", "owui.toml", ".env", option, target, cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"owui-validate: error: {target} is one of the files read in this run: refusing to overwrite it\n"
    assert snapshot(root) == before


def test_the_configuration_found_upwards_is_not_overwritten(cli, tmp_path: Path) -> None:
    root = stack(tmp_path)
    (root / "pyproject.toml").write_text("[tool.owui-validate]\nfail-on = \"error\"\n")
    (root / "deploy").mkdir()
    (root / "deploy" / ".env").write_text("JWT_EXPIRES_IN=4w\n")
    before = snapshot(root)
    result = cli("check", ".env", "--output", "../pyproject.toml", cwd=root / "deploy")
    assert (result.returncode, result.stdout) == (2, "")
    assert "refusing to overwrite it" in result.stderr
    assert snapshot(root) == before


def test_a_new_output_file_beside_them_is_written(cli, tmp_path: Path) -> None:
    root = stack(tmp_path)
    result = cli("check", ".env", "--output", "report.txt", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert (root / "report.txt").read_text().splitlines()[-1].endswith("in 1 file.")
