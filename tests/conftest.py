"""Running the CLI the way users do (in-process for speed, or as a real subprocess end to end),
and writing real files."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from validator import cli as cli_module


@dataclass
class Ran:
    status: int
    out: str
    err: str


def clean_environ(**extra: str) -> dict[str, str]:
    """The test process's environment without what changes the CLI's defaults (CI sets GITHUB_ACTIONS)."""
    environ = {name: value for name, value in os.environ.items() if name not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environ.update(extra)
    return environ


@pytest.fixture
def owui(capsys, monkeypatch, tmp_path):
    """`owui(*args, cwd=...)`: cli.main in this process, from `cwd` (default tmp_path)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str, cwd: Path | None = None) -> Ran:
        monkeypatch.chdir(cwd or tmp_path)
        capsys.readouterr()
        status = cli_module.main(list(args))
        captured = capsys.readouterr()
        return Ran(status, captured.out, captured.err)

    return run


@pytest.fixture
def owui_process(tmp_path):
    """`owui_process(*args, cwd=..., NAME=value...)`: `python -m validator` as a real subprocess,
    with these environment variables added."""

    def run(*args: str, cwd: Path | None = None, **environ: str) -> Ran:
        done = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd or tmp_path,
                              env=clean_environ(**environ), capture_output=True, text=True, timeout=60)
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def cli():
    """`cli(*args, cwd=..., env=..., stdin=...)`: `python -m validator` as a subprocess, full result."""

    def run(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd, env=clean_environ(**(env or {})),
                              input=stdin, capture_output=True, text=True, timeout=120)

    return run


@pytest.fixture
def write():
    """`write(root, {"relative/name": "text"})` creates real files and returns root."""

    def create(root: Path, files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        return root

    return create
