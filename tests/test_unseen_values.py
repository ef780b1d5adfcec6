"""Values the validator cannot see are OW209, never OW205 or "empty" (issue 12, item 4).

Home-lab stacks as they are committed: the secrets file gitignored and so absent from the
checkout, `${VAR:-}` left for whoever deploys, WEBUI_SECRET_KEY_FILE on a volume or a secret mount.
The CLI runs as a subprocess in a real git repository.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STACK = """\
services:
  open-webui:
    image: ghcr.io/open-webui/open-webui:v0.12.4
    ports: ["3000:8080"]
    volumes: [open-webui:/app/backend/data]
    env_file:
{env_files}
    environment:
      OLLAMA_BASE_URL: http://ollama:11434
  ollama:
    image: ollama/ollama:0.5.7
    volumes: [ollama:/root/.ollama]
volumes:
  open-webui: {{}}
  ollama: {{}}
"""


def check(directory: Path, *paths: str) -> tuple[int, list[tuple[str, str, int]], str]:
    done = subprocess.run([sys.executable, "-m", "validator", "check", "--format", "json", *paths],
                          cwd=directory, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    import json

    report = json.loads(done.stdout)
    rows = [(f["code"], f["severity"], f["line"]) for f in report["findings"]]
    return done.returncode, rows, done.stdout


def write_stack(directory: Path, env_files: list[str], *, git: bool, ignore: str = "") -> None:
    if git:
        subprocess.run(["git", "init", "-q", str(directory)], check=True)
    if ignore:
        (directory / ".gitignore").write_text(ignore)
    entries = "\n".join(f"      - {entry}" for entry in env_files)
    (directory / "compose.yaml").write_text(STACK.format(env_files=entries))




def test_gitignored_env_file_may_hold_the_key(tmp_path: Path) -> None:
    write_stack(tmp_path, ["stack.env"], git=True, ignore="stack.env\n")
    status, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW209", "info", 7)], report
    assert "may come from env_file stack.env, which is gitignored and so not in the checkout" in report
    assert status == 0


@pytest.mark.parametrize("name", [".env.secrets", "secrets.env", "webui.secret"])
def test_secret_named_env_file_without_git(tmp_path: Path, name: str) -> None:
    write_stack(tmp_path, [name], git=False)
    status, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW209", "info", 7)], report
    assert f"may come from env_file {name}, which is named as a secret file" in report


def test_absent_env_file_not_ignored_is_a_warning_and_required_false_is_nothing(tmp_path: Path) -> None:
    write_stack(tmp_path, ["webui.env", "{path: optional.env, required: false}"], git=True)
    status, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW205", "warning", 2), ("OW001", "warning", 7)], report
    assert "env_file webui.env does not exist and is not gitignored" in report
    assert "optional.env" not in report


def test_gitignored_env_file_that_is_present_is_absent_as_in_ci(tmp_path: Path) -> None:
    """A developer's local copy of a gitignored env file gives the verdict a clean checkout gives
    (issue 15); named on the command line, or with --no-respect-gitignore, it is read."""
    write_stack(tmp_path, ["stack.env"], git=True, ignore="stack.env\n")
    (tmp_path / "stack.env").write_text("WEBUI_SECRET_KEY=" + "ab12" * 4 + "\n")
    _, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW209", "info", 7)], report
    assert "may come from env_file stack.env, which is gitignored" in report
    _, rows, _ = check(tmp_path, "compose.yaml", "stack.env")
    assert ("OW203", "error", 1) in rows  # the key in the file, checked where it is written
    _, rows, _ = check(tmp_path, "--no-respect-gitignore", "compose.yaml")
    assert ("OW203", "error", 1) in rows


def test_empty_default_comes_from_the_deploying_environment(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        "      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY:-}\n      JWT_EXPIRES_IN: ${JWT_EXPIRES_IN-}\n")
    status, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW209", "info", 5), ("OW209", "info", 6)], report
    assert "comes from the environment that runs compose" in report and status == 0


@pytest.mark.parametrize(("path", "expected"), [
    ("/app/backend/data/.webui_secret_key", [("OW205", "info", 6)]),
    ("/run/secrets/webui_secret_key", [("OW209", "info", 6)]),
])
def test_webui_secret_key_file(tmp_path: Path, path: str, expected: list) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    volumes: [data:/app/backend/data]\n"
        f"    environment:\n      WEBUI_SECRET_KEY_FILE: {path}\nvolumes:\n  data: {{}}\n")
    _, rows, report = check(tmp_path, "compose.yaml")
    assert rows == expected, report
    assert "every recreate signs everyone out" not in report


def test_key_file_on_the_volume_with_replicas_is_still_an_error(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    deploy: {replicas: 3}\n"
        "    environment:\n      WEBUI_SECRET_KEY_FILE: /app/backend/data/.key\n")
    _, rows, report = check(tmp_path, "compose.yaml")
    assert rows == [("OW205", "error", 6)], report
    assert "each generates its own unless they share that volume" in report


def test_key_file_is_ignored_before_0_6_14(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
        "    environment:\n      WEBUI_SECRET_KEY_FILE: /run/secrets/key\n")
    _, rows, report = check(tmp_path, "--target-version", "0.6.13", "compose.yaml")
    assert ("OW205", "warning", 2) in rows and "every recreate signs everyone out" in report
