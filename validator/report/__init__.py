"""Output formats: one module per format, each with `render(run, stream)` (see report/common.py)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TextIO

from validator.report.common import Checked, Run

# Format name -> module in this package.
FORMATS = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github", "junit": "junit"}


def choose(requested: str | None, environ: Mapping[str, str]) -> str:
    """The format asked for; without one, annotations inside GitHub Actions, else text."""
    if requested:
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(name: str, run: Run, stream: TextIO) -> None:
    importlib.import_module(f"{__name__}.{FORMATS[name]}").render(run, stream)
