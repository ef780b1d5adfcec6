"""Committed artefacts (schemas, hook manifest, README rule table) are never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_generated_files_are_fresh() -> None:
    done = subprocess.run([sys.executable, "-m", "validator.generate", "--check"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


def test_readme_rule_table_lists_every_rule() -> None:
    from validator.rules import catalog

    readme = (REPO / "README.md").read_text("utf-8")
    for code, rule in catalog().items():
        assert f"| {code} | {rule.severity} | `{rule.name}` | {rule.summary()} |" in readme
