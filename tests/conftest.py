"""Shared helpers: run the real CLI, write real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def cli():
    """Run `python -m validator ...` in a subprocess, as a user would, with a clean environment."""

    def run(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
        environment.update(env or {})
        return subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd, env=environment,
                              input=stdin, capture_output=True, text=True, timeout=120)

    return run
