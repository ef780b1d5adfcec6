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


def test_check_mode_reports_staleness_without_writing(tmp_path, monkeypatch, capsys) -> None:
    from validator import generate

    (tmp_path / "schemas").mkdir()
    (tmp_path / "README.md").write_text(f"x\n{generate.RULES_START}\nold\n{generate.RULES_END}\n", "utf-8")
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    assert generate.main(["--check"]) == 1
    assert "README.md is stale" in capsys.readouterr().err
    assert "old" in (tmp_path / "README.md").read_text("utf-8")
    assert generate.main([]) == 0 and generate.main(["--check"]) == 0
    assert "| OW101 | error |" in (tmp_path / "README.md").read_text("utf-8")


def test_every_rule_has_a_generated_page_that_reports_link_to() -> None:
    from validator.report.common import help_uri
    from validator.rules import catalog

    for code, rule in catalog().items():
        page = (REPO / "docs" / "rules" / f"{code}.md").read_text("utf-8")
        assert f"# {code} {rule.name} ({rule.severity})" in page and rule.doc() in page
        assert help_uri(code).endswith(f"/docs/rules/{code}.md")
    assert "`--fix` rewrites" in (REPO / "docs" / "rules" / "OW101.md").read_text("utf-8")


def test_sarif_and_json_carry_help_uri(tmp_path) -> None:
    import json

    (tmp_path / ".env").write_text("WEBUI_SECRET_KEY=t0p-s3cr3t\n")
    for fmt in ("sarif", "json"):
        done = subprocess.run([sys.executable, "-m", "validator", "check", "--format", fmt, "."], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        document = json.loads(done.stdout)
        if fmt == "sarif":
            rules = document["runs"][0]["tool"]["driver"]["rules"]
            assert all(rule["helpUri"].endswith(f"docs/rules/{rule['id']}.md") for rule in rules)
        else:
            assert document["findings"][0]["help_uri"].endswith("docs/rules/OW201.md")
