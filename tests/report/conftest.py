"""A small deployment with findings of every severity, written to disk for the format tests."""

from __future__ import annotations

from pathlib import Path

import pytest

COMPOSE = """\
services:
  open-webui:
    image: ghcr.io/open-webui/open-webui:main
    environment:
      WEBUI_SECRET_KEY: t0p-s3cr3t
      JWT_EXPIRES_IN: "3600"
"""
PROD_ENV = """\
WEBUI_URL=https://chat.example.org
WEBUI_SECRET_KEY=9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e0d1f3a5b7c
JWT_EXPIRES_IN=52w
"""
CLEAN_ENV = """\
WEBUI_URL=https://chat.example.org
WEBUI_SECRET_KEY=0d1f3a5b7c9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e
JWT_EXPIRES_IN=12h
ENABLE_PERSISTENT_CONFIG=False
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """compose.yaml (OW201 error, OW207 warning, OW101 error, OW108 info), prod.env (OW105 warning,
    OW108 info) and clean.env (no finding). The configuration selects OW108 by name, so each value
    gets its own (by default one OW108 names them all: tests/verdict/test_informational.py)."""
    (tmp_path / ".owui-validate.toml").write_text('select = ["OW", "OW108"]\n')
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "prod.env").write_text(PROD_ENV)
    (tmp_path / "clean.env").write_text(CLEAN_ENV)
    return tmp_path
