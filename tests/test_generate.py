"""Committed artefacts derived from code (schemas, hook manifest, README rule table) are fresh."""

from __future__ import annotations

from validator import generate


def test_committed_artefacts_are_fresh() -> None:
    stale = [path for path, text in generate.artefacts().items()
             if (generate.ROOT / path).read_text("utf-8") != text]
    assert stale == [], f"run `python -m validator.generate` to refresh {stale}"


def test_check_mode_reports_staleness_without_writing(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "README.md").write_text(f"x\n{generate.RULES_START}\nold\n{generate.RULES_END}\n", "utf-8")
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    assert generate.main(["--check"]) == 1
    assert "README.md is stale" in capsys.readouterr().err
    assert "old" in (tmp_path / "README.md").read_text("utf-8")
    assert generate.main([]) == 0 and generate.main(["--check"]) == 0
    assert "| OW101 | error |" in (tmp_path / "README.md").read_text("utf-8")
