"""Opt-in (OWUI_LIVE=1): the webui.db a real Open WebUI writes, read while the server holds it.

Starts `open-webui serve` (0.12.4: from PATH or /opt/owui-live/venv) offline on a fresh DATA_DIR
with JWT_EXPIRES_IN=1mo, signs up the first admin, then checks DATA_DIR/webui.db while the server
runs and again after it stopped: the stored value is found (OW102, one minute), and after the stop
the files are byte-identical across the check.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import hashes, run_cli
from validator import engine
from validator.precedence import effective_expiry

pytestmark = pytest.mark.live

OW102 = "webui.db:1:1: OW102 error config[auth.jwt_expiry]='1mo' is read as 1 minute: Open WebUI ignores 'o'; use `4w`"


def _executable() -> str | None:
    found = shutil.which("open-webui")
    fallback = "/opt/owui-live/venv/bin/open-webui"
    return found or (fallback if os.access(fallback, os.X_OK) else None)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(url: str, body: dict[str, str] | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
        return json.loads(response.read() or b"{}")


@pytest.fixture
def server(tmp_path: Path):
    if os.environ.get("OWUI_LIVE") != "1":
        pytest.skip("live test: set OWUI_LIVE=1 (needs a local Open WebUI 0.12.4)")
    executable = _executable()
    if executable is None:
        pytest.skip("live test: no `open-webui` on PATH or at /opt/owui-live/venv/bin/open-webui")
    data, port = tmp_path / "data", _port()
    data.mkdir()
    environment = {**os.environ, "DATA_DIR": str(data), "JWT_EXPIRES_IN": "1mo", "WEBUI_SECRET_KEY": "live-test-" + "k" * 40,
                   "OFFLINE_MODE": "true", "HF_HUB_OFFLINE": "1", "ENABLE_OLLAMA_API": "false",
                   "ENABLE_OPENAI_API": "false"}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([executable, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path,
                               env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                _request(f"{base}/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Open WebUI did not start; see {tmp_path / 'server.log'}")
                time.sleep(1)
        _request(f"{base}/api/v1/auths/signup", {"name": "Admin", "email": "admin@example.com", "password": "Live-Test-1"})
        yield process, data
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def test_reads_the_stored_setting_of_a_real_server(server) -> None:
    process, data = server
    database = data / "webui.db"
    beside = sorted(path.name for path in data.iterdir() if path.name.startswith("webui.db"))
    print(f"while running: {beside}")
    result = run_cli("check", "-q", "webui.db", cwd=data)
    print(result.stdout, end="")
    assert result.stdout.splitlines() == [OW102]
    (stored,) = engine.check([str(database)]).deployments
    assert effective_expiry(stored).text == "1mo"

    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)
    before = hashes(database)
    after_stop = run_cli("check", "-q", "webui.db", cwd=data)
    print(f"after stop: {sorted(path.name for path in data.iterdir() if path.name.startswith('webui.db'))}")
    print(after_stop.stdout, end="")
    assert after_stop.stdout.splitlines() == [OW102]
    assert hashes(database) == before
