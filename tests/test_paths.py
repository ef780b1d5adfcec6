"""Project-relative paths and gitignore-style globs (exclude, per-file-ignores, assume-openwebui)."""

from __future__ import annotations

import os

import pytest

from validator import paths


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("*.env", "prod.env", True),
    ("*.env", "deploy/eu/prod.env", True),          # no slash: any depth
    ("deploy/*.env", "deploy/prod.env", True),
    ("deploy/*.env", "deploy/eu/prod.env", False),  # `*` stays in one directory
    ("deploy/*.env", "other/deploy/prod.env", False),  # a slash anchors to the root
    ("deploy/**/prod.env", "deploy/prod.env", True),
    ("deploy/**/prod.env", "deploy/eu/west/prod.env", True),
    ("deploy/**", "deploy/eu/prod.env", True),
    ("vendor/", "vendor/a/compose.yaml", True),   # a directory covers its contents
    ("vendor", "src/vendor/compose.yaml", True),
    ("vendor", "vendors/compose.yaml", False),
    ("./examples/bad", "examples/bad/.env", True),
    ("prod?.env", "prod1.env", True),
    ("prod?.env", "prod.env", False),
    ("[ps]*.env", "staging.env", True),
    ("[!ps]*.env", "staging.env", False),
    ("[!ps]*.env", "dev.env", True),
    ("a+b(c).env", "a+b(c).env", True),
])
def test_glob(pattern: str, path: str, matches: bool) -> None:
    assert bool(paths.glob_regex(pattern).fullmatch(path)) is matches


def test_relative_to_the_root_with_slashes(tmp_path) -> None:
    root = str(tmp_path)
    assert paths.relative(os.path.join(root, "a", "b.env"), root) == "a/b.env"
    outside = tmp_path.parent / "elsewhere.env"
    assert paths.relative(str(outside), root) == str(outside).replace(os.sep, "/")


def test_matcher_takes_paths_as_the_run_names_them(tmp_path, monkeypatch) -> None:
    (tmp_path / "deploy").mkdir()
    monkeypatch.chdir(tmp_path / "deploy")
    matches = paths.matcher(["deploy/*.env"], str(tmp_path))
    assert matches is not None and matches("prod.env") and not matches("../prod.env")
    assert paths.matcher([], str(tmp_path)) is None
