"""`owui-validate tokens --openwebui PATH`: a release's own parse_duration and create_token, read
with ast from a wheel or an installed package, run beside the validator's prediction.

The fake releases are written here in the shape of Open WebUI's modules (parse_duration is the
transcription tests/openwebui/test_durations.py keeps): module-level imports of the app (fastapi,
open_webui.env) that fail outside a full install, so any import of the package would make the
test fail, and a `raise SystemExit` at module level for good measure."""

from __future__ import annotations

import ast
import glob
import json
import os
import zipfile
from pathlib import Path

import pytest

def _transcription() -> str:
    """Open WebUI's parse_duration as tests/openwebui/test_durations.py transcribes it, renamed back."""
    path = Path(__file__).parents[1] / "openwebui" / "test_durations.py"
    text = path.read_text("utf-8")
    (function,) = [node for node in ast.parse(text).body
                   if isinstance(node, ast.FunctionDef) and node.name == "owui_parse_duration"]
    source = ast.get_source_segment(text, function)
    assert source is not None
    return source.replace("def owui_parse_duration(duration: str) -> Optional[timedelta]:",
                          "def parse_duration(duration: str) -> timedelta | None:")


MISC = f'''\
import re
import uuid
from datetime import timedelta

from open_webui.env import SRC_LOG_LEVELS  # only importable inside a full install

raise SystemExit("imported open_webui.utils.misc")


def get_gravatar_url(email):
    return f"https://www.gravatar.com/avatar/{{email}}"


{_transcription()}
'''

AUTH = '''\
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Union

import jwt
from fastapi import Depends, HTTPException
from open_webui.env import WEBUI_SECRET_KEY
from open_webui.utils.misc import parse_duration
from pytz import UTC

raise SystemExit("imported open_webui.utils.auth")

SESSION_SECRET = WEBUI_SECRET_KEY
ALGORITHM = 'HS256'


def create_token(data: dict, expires_delta: Union[timedelta, None] = None) -> str:
    payload = data.copy()

    if expires_delta:
        expire = datetime.now(UTC) + expires_delta
        payload.update({'exp': expire})

    jti = str(uuid.uuid4())
    payload.update({'jti': jti, 'iat': datetime.now(UTC)})

    encoded_jwt = jwt.encode(payload, SESSION_SECRET, algorithm=ALGORITHM)
    return encoded_jwt


def decode_token(token: str) -> dict | None:
    try:
        return jwt.decode(token, SESSION_SECRET, algorithms=[ALGORITHM])
    except Exception:
        return None
'''

# An older shape: no iat, no jti (releases before 0.12 write `id` and `exp` only).
AUTH_OLD = AUTH.replace("    jti = str(uuid.uuid4())\n    payload.update({'jti': jti, 'iat': datetime.now(UTC)})\n", "")


def wheel(directory: Path, version: str, misc: str = MISC, auth: str = AUTH) -> Path:
    """A wheel as `pip download open-webui==X --no-deps` gives one: a zip with the package and its dist-info."""
    path = directory / f"open_webui-{version}-py3-none-any.whl"
    info = f"open_webui-{version}.dist-info"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("open_webui/__init__.py", "raise SystemExit('imported open_webui')\n")
        archive.writestr("open_webui/utils/__init__.py", "")
        archive.writestr("open_webui/utils/misc.py", misc)
        archive.writestr("open_webui/utils/auth.py", auth)
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: open-webui\nVersion: {version}\n")
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")
    return path


def compose(root: Path, expiry: str) -> None:
    (root / "compose.yaml").write_text(
        "services:\n  open-webui:\n    image: ghcr.io/open-webui/open-webui:v0.12.4\n    environment:\n"
        f"      WEBUI_SECRET_KEY: {'9f2c1e7a4b6d8f0a' * 4}\n      JWT_EXPIRES_IN: '{expiry}'\n")


def test_a_faithful_release_agrees_value_by_value(cli, tmp_path: Path) -> None:
    compose(tmp_path, "1h30m")
    built = wheel(tmp_path, "0.12.4")
    result = cli("tokens", ".", "--openwebui", str(built), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Open WebUI 0.12.4's own parse_duration and create_token ({built}, ALGORITHM HS256):" in result.stdout
    assert "  pass '1h30m': exp - iat = 5400 s, as predicted (JWT_EXPIRES_IN='1h30m' at compose.yaml:6:24)" \
        in result.stdout
    assert "  pass '1mo': exp - iat = 60 s, as predicted (openwebui-behaviour.md)" in result.stdout
    assert "  pass '3600': rejected (no token is issued), as predicted" in result.stdout
    assert "  pass '0s': no exp claim, as predicted" in result.stdout
    assert "  pass '-5m': exp - iat = -300 s, expired when issued, as predicted" in result.stdout
    assert "imported" not in result.stdout + result.stderr


def test_a_release_that_reads_values_otherwise_fails_where_it_differs(cli, tmp_path: Path) -> None:
    """A release whose pattern is anchored and case-insensitive: `1mo` rejected, `1H` one hour."""
    compose(tmp_path, "1mo")
    changed = MISC.replace("matches = re.findall(pattern, duration)",
                           "matches = re.findall(pattern, duration.lower()) if re.fullmatch("
                           "r'((-?\\d+(\\.\\d+)?)(ms|s|m|h|d|w))+', duration.lower()) else []")
    built = wheel(tmp_path, "0.99.0", misc=changed)
    result = cli("tokens", ".", "--openwebui", str(built), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    failed = {check["value"]: check for check in report["openwebui_code"]["checks"] if check["status"] == "fail"}
    assert set(failed) == {"1mo", "7days", "1h garbage", " 2h ", "1H"}
    assert failed["1mo"]["release"] == "rejected (no token is issued)"
    assert failed["1mo"]["predicted"] == "exp - iat = 60 s"
    assert failed["1mo"]["source"] == "JWT_EXPIRES_IN='1mo' at compose.yaml:6:24"
    assert report["environments"][0]["passed"] is True and report["passed"] is False
    text = cli("tokens", ".", "--openwebui", str(built), cwd=tmp_path).stdout
    assert "  FAIL '1H': exp - iat = 3600 s, but the validator predicts rejected (no token is issued)" in text
    assert text.rstrip().endswith("The release's own code differs from the validator's prediction for 5 values.")


def test_an_installed_package_directory_and_an_older_token_shape(cli, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel(tmp_path, "0.6.5", auth=AUTH_OLD)) as archive:
        archive.extractall(site)
    compose(tmp_path, "12h")
    for given in (site, site / "open_webui"):
        result = cli("tokens", "compose.yaml", "--openwebui", str(given), cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Open WebUI 0.6.5's own parse_duration and create_token ({given}," in result.stdout
        assert "  pass '12h': exp - iat = 43200 s, as predicted" in result.stdout


@pytest.mark.parametrize(("files", "message"), [
    ({}, "no readable open_webui/utils/misc.py"),
    ({"open_webui-1.0-py3-none-any.whl": "not a zip"}, "cannot be read as a wheel (BadZipFile)"),
])
def test_a_path_without_open_webui_code_is_a_one_line_error(cli, tmp_path: Path, files: dict[str, str],
                                                            message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    given = str(tmp_path / next(iter(files), "nothing-here"))
    compose(tmp_path, "4w")
    result = cli("tokens", "compose.yaml", "--openwebui", given, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_a_wheel_without_the_functions_is_a_one_line_error(cli, tmp_path: Path) -> None:
    compose(tmp_path, "4w")
    built = wheel(tmp_path, "0.1.0", auth=AUTH.replace("def create_token", "def make_token"))
    result = cli("tokens", "compose.yaml", "--openwebui", str(built), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"owui-validate: error: --openwebui {built}: open_webui/utils/auth.py defines no " \
                            "function create_token\n"


def _real_wheel() -> str | None:
    given = os.environ.get("OWUI_WHEEL")
    if given:
        return given
    cached = sorted(glob.glob(os.path.expanduser("~/.cache/pip/**/open_webui-*.whl"), recursive=True))
    return cached[-1] if cached else None


@pytest.mark.skipif(_real_wheel() is None, reason="no real Open WebUI wheel: set OWUI_WHEEL (pip download "
                    "open-webui==X --no-deps) or keep one in the pip cache")
def test_the_real_release_agrees_with_every_prediction(cli, tmp_path: Path) -> None:
    compose(tmp_path, "1h30m")
    result = cli("tokens", ".", "--openwebui", str(_real_wheel()), "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [check["value"] for check in report["openwebui_code"]["checks"] if check["status"] != "pass"] == []
    assert result.returncode == 0
