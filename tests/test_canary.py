"""No output format, message, help text, fingerprint or baseline ever holds a secret key value.

Every value below contains the canary: the test writes files that make each key rule fire on
such values, runs the real CLI in every format, to stdout and to --output, and looks for it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from validator.report import FORMATS

MARK = "CaNaRy"


def canary(extra: str = "") -> str:
    return MARK + (extra or secrets.token_hex(32))


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    public, literal, shared, alias = canary(), canary(), canary(), canary()
    (tmp_path / ".owui-validate.toml").write_text(f'known-default-keys = ["{public}"]\n')
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  literal:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      WEBUI_SECRET_KEY: {literal}\n"
        "  alias:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      - WEBUI_JWT_SECRET_KEY={alias}\n")
    (tmp_path / "public.env").write_text(f"WEBUI_URL=https://a\nWEBUI_SECRET_KEY={public}\n")
    (tmp_path / "short.env").write_text(f"WEBUI_URL=https://b\nWEBUI_SECRET_KEY={canary(secrets.token_hex(3))}\n")
    (tmp_path / "weak.env").write_text(f"WEBUI_URL=https://c\nWEBUI_SECRET_KEY={MARK.lower() * 6}\n")
    (tmp_path / "staging.env").write_text(f"WEBUI_URL=https://d\nWEBUI_SECRET_KEY={shared}\n")
    (tmp_path / "production.env").write_text(f"WEBUI_URL=https://e\nexport WEBUI_SECRET_KEY='{shared}'\n")
    (tmp_path / "twice.env").write_text(
        f"WEBUI_URL=https://f\nWEBUI_SECRET_KEY={canary()}  # owui-validate: ignore[OW999]\n"
        f"WEBUI_SECRET_KEY=\"{canary()}\"\n")
    (tmp_path / "alias.env").write_text(f"OLLAMA_BASE_URL=http://o\nWEBUI_JWT_SECRET_KEY={alias}\n")
    (tmp_path / "unterminated.env").write_text(f'WEBUI_URL=https://g\nWEBUI_SECRET_KEY="{canary()}\n')
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      WEBUI_SECRET_KEY: {canary()}: {canary()}\n")
    return tmp_path


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert MARK.lower() not in text.lower()


def test_every_key_rule_fires_on_the_canaries(owui_process, leaky) -> None:
    ran = owui_process("check", "--format", "json")
    found = {finding["code"] for finding in json.loads(ran.out)["findings"]}
    assert {"OW001", "OW002", "OW201", "OW203", "OW204", "OW206", "OW207", "OW208", "OW900"} <= found
    assert_clean(ran.out, ran.err)


@pytest.mark.parametrize("name", list(FORMATS))
def test_no_format_shows_a_secret(owui_process, leaky, name: str) -> None:
    to_stdout = owui_process("check", "--format", name, "--fail-on", "info")
    assert to_stdout.status == 1 and to_stdout.out
    to_file = owui_process("check", "--format", name, "--output", "report.out")
    assert to_file.status == 1 and to_file.out == ""
    assert_clean(to_stdout.out, to_stdout.err, to_file.err, (leaky / "report.out").read_text("utf-8"))


def test_baselines_and_rule_docs_show_no_secret(owui_process, leaky) -> None:
    written = owui_process("check", "--write-baseline", "baseline.json")
    assert written.status == 0
    baseline = (leaky / "baseline.json").read_text("utf-8")
    assert '"OW207"' in baseline
    checked = owui_process("check", "--baseline", "baseline.json", "--format", "sarif")
    assert checked.status == 0
    assert_clean(written.out, written.err, baseline, checked.out, checked.err)
