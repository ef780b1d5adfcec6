"""Baselines: keyed by path, code, variable and value fingerprint, so moved lines do not churn them."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from validator.secrets import fingerprint

COMPOSE = """\
services:
  open-webui:
    image: ghcr.io/open-webui/open-webui:main
    environment:
      JWT_EXPIRES_IN: "3600"
  second:
    image: ghcr.io/open-webui/open-webui:main
"""


def setup(tmp_path: Path) -> str:
    key = secrets.token_hex(8)  # short: OW203
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "prod.env").write_text(f"WEBUI_URL=https://x\nWEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=52w\n")
    return key


def codes(ran) -> list[str]:
    return [line.split(" ")[0] + " " + line.split(" ")[1] for line in ran.out.splitlines() if ": OW" in line]


def test_write_then_check_reports_nothing_and_the_file_holds_no_values(owui, tmp_path) -> None:
    key = setup(tmp_path)
    written = owui("check", "--write-baseline", "baseline.json")
    assert (written.status, written.out) == (0, "")
    assert written.err == "owui-validate: recorded 7 findings in baseline.json\n"
    text = (tmp_path / "baseline.json").read_text()
    assert key not in text and "3600" not in text and "52w" not in text
    data = json.loads(text)
    assert data["version"] == 1
    assert all(set(entry) <= {"path", "code", "variable", "value_fingerprint", "deployments", "count"}
               for entry in data["findings"])  # no line, no column, no message
    assert {"path": "prod.env", "code": "OW203", "variable": "WEBUI_SECRET_KEY",
            "value_fingerprint": fingerprint(key)} in data["findings"]
    assert {"path": "compose.yaml", "code": "OW205", "deployments": "service 'open-webui' in compose.yaml"} \
        in data["findings"]
    ran = owui("check", "--baseline", "baseline.json")
    assert (ran.status, ran.out) == (0, "No problems in 2 files.\n")


def test_moving_lines_keeps_the_baseline_matching(owui, tmp_path) -> None:
    setup(tmp_path)
    owui("check", "--write-baseline", "baseline.json")
    compose = tmp_path / "compose.yaml"
    moved = compose.read_text().replace("  second:", "  second:\n    ports: [\"3000:8080\"]")
    compose.write_text("# moved\n\n" + moved)
    prod = tmp_path / "prod.env"
    prod.write_text("OLLAMA_BASE_URL=http://ollama:11434\nENABLE_SIGNUP=false\n" + prod.read_text())
    assert codes(owui("check")) != []  # the findings are still there, on other lines
    ran = owui("check", "--baseline", "baseline.json")
    assert (ran.status, codes(ran)) == (0, [])


def test_only_new_findings_are_reported(owui, tmp_path) -> None:
    setup(tmp_path)
    owui("check", "--write-baseline", "baseline.json")
    prod = tmp_path / "prod.env"
    prod.write_text(prod.read_text().replace("JWT_EXPIRES_IN=52w", "JWT_EXPIRES_IN=26w"))  # a new value
    compose = tmp_path / "compose.yaml"
    compose.write_text(compose.read_text() + "  third:\n    image: ghcr.io/open-webui/open-webui:main\n")
    ran = owui("check", "--baseline", "baseline.json")
    assert ran.status == 1
    assert codes(ran) == ["compose.yaml:8:3: OW205", "prod.env:3:16: OW105", "prod.env:3:16: OW108"]


def test_a_bad_baseline_is_a_usage_error(owui, tmp_path) -> None:
    setup(tmp_path)
    missing = owui("check", "--baseline", "nowhere.json")
    assert (missing.status, missing.err) == (
        2, "owui-validate: error: nowhere.json: baseline file not found (create it with --write-baseline)\n")
    (tmp_path / "bad.json").write_text('{"version": 1, "findings": [{"path": "x"}]}')
    bad = owui("check", "--baseline", "bad.json")
    assert (bad.status, bad.err) == (
        2, "owui-validate: error: bad.json: not an owui-validate baseline: findings.0.code: Field required\n")


def test_never_written_over_a_checked_file(owui, tmp_path) -> None:
    setup(tmp_path)
    before = (tmp_path / "prod.env").read_text()
    ran = owui("check", "--write-baseline", "prod.env")
    assert ran.status == 2 and (tmp_path / "prod.env").read_text() == before


def test_a_fifo_or_dev_zero_as_baseline_is_a_usage_error_not_a_hang(cli, tmp_path: Path) -> None:
    import os

    (tmp_path / ".env").write_text("JWT_EXPIRES_IN=4w\n")
    os.mkfifo(tmp_path / "baseline.json")
    for baseline, kind in (("baseline.json", "a FIFO"), ("/dev/zero", "a character device")):
        result = cli("check", "--baseline", baseline, ".env", cwd=tmp_path)  # a hang would hit run_cli's timeout
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"owui-validate: error: {baseline}: is {kind}, not a regular file: not read\n"
