"""Opt-in: real Open WebUI servers, the probe, and the harness's prediction must agree.

Run with `OWUI_LIVE=1 python -m pytest tests/harness/test_live.py -v -s`. Needs an `open-webui`
executable (on PATH, or /opt/owui-live/venv/bin/open-webui; OWUI_LIVE_EXECUTABLE overrides): the
server is several GB, so the test is skipped, with the reason, unless asked for. Each case starts
a fresh server (new DATA_DIR, free loopback port, offline), signs up the first admin, runs the probe
in-process and as the CLI, and stops the server. At most two servers run at once: the next case's
server starts while the current one is probed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest

from validator.harness import probe as harness
from validator.harness.plan import evaluate
from validator.settings.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_EXECUTABLE = "/opt/owui-live/venv/bin/open-webui"
HEALTH_TIMEOUT = float(os.environ.get("OWUI_LIVE_TIMEOUT", "120"))
EMAIL = "admin@example.com"


def _executable() -> str | None:
    chosen = os.environ.get("OWUI_LIVE_EXECUTABLE") or shutil.which("open-webui")
    if chosen:
        return chosen
    return DEFAULT_EXECUTABLE if os.access(DEFAULT_EXECUTABLE, os.X_OK) else None


EXECUTABLE = _executable()
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("OWUI_LIVE") != "1",
                       reason="live Open WebUI test: set OWUI_LIVE=1 to run it (starts real servers, several GB)"),
    pytest.mark.skipif(EXECUTABLE is None, reason="live Open WebUI test: no `open-webui` executable on PATH or at "
                       f"{DEFAULT_EXECUTABLE} (pip install open-webui==0.12.4 in a separate virtualenv)"),
]


@dataclass(frozen=True)
class Case:
    name: str
    jwt_expires_in: str
    key: str  # "" means a fresh random key


CASES = [
    Case("2h", "2h", ""),
    Case("1mo", "1mo", ""),
    Case("0s", "0s", ""),
    Case("public-key", "4w", "t0p-s3cr3t"),
    Case("3600", "3600", ""),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        with exc:
            raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, {"raw": raw.decode(errors="replace")}


class LiveServer:
    """One `open-webui serve` with its own data directory, in its own process group."""

    def __init__(self, case: Case, directory: Path) -> None:
        assert EXECUTABLE is not None
        self.case, self.directory = case, directory
        self.key = case.key or secrets.token_hex(32)
        self.password = secrets.token_urlsafe(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env_file = directory / "webui.env"
        # The deployment file the harness reads: the same two values the server gets.
        self.env_file.write_text(f"WEBUI_SECRET_KEY={self.key}\nJWT_EXPIRES_IN={case.jwt_expires_in}\n")
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith(("WEBUI_", "JWT_", "OWUI_", "ENABLE_"))}
        environment.update(DATA_DIR=str(directory / "data"), OFFLINE_MODE="true", HF_HUB_OFFLINE="1",
                           ENABLE_OLLAMA_API="false", ENABLE_OPENAI_API="false",
                           JWT_EXPIRES_IN=case.jwt_expires_in, WEBUI_SECRET_KEY=self.key)
        (directory / "data").mkdir()
        self.log = open(directory / "server.log", "wb")  # noqa: SIM115 (closed in stop)
        self.started = time.monotonic()
        self.process = subprocess.Popen([EXECUTABLE, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        cwd=directory, env=environment, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_healthy(self) -> float:
        deadline = self.started + HEALTH_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"open-webui exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(1)  # waiting for a real server to start, not for tokens to age
        pytest.fail(f"open-webui did not answer /health within {HEALTH_TIMEOUT:g} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        self.log.flush()
        return "\n".join((self.directory / "server.log").read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.log.close()


class Fleet:
    """Starts each case's server on demand, and the next one ahead of time (two at most)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.servers: dict[str, LiveServer] = {}

    def start(self, case: Case) -> LiveServer:
        if case.name not in self.servers:
            self.servers[case.name] = LiveServer(case, self.factory.mktemp(f"owui-{case.name}"))
        return self.servers[case.name]

    def get(self, case: Case) -> LiveServer:
        server = self.start(case)
        following = CASES.index(case) + 1
        if following < len(CASES):
            self.start(CASES[following])
        return server

    def stop_all(self) -> None:
        for server in self.servers.values():
            server.stop()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    servers = Fleet(tmp_path_factory)
    yield servers
    servers.stop_all()


def _prediction(server: LiveServer):  # type: ignore[no-untyped-def]
    """The harness's own verdict on the deployment file the server was started from."""
    report = evaluate([str(server.env_file)], Policy(), 1)
    assert len(report.environments) == 1
    return report.environments[0]


def _probe_cli(server: LiveServer) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "probe", server.url, "--email", EMAIL,
                           "--password-env", "OWUI_LIVE_PASSWORD", "--config", str(server.env_file)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "OWUI_LIVE_PASSWORD": server.password})


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_live_server_matches_the_harness(case: Case, fleet: Fleet) -> None:
    server = fleet.get(case)
    try:
        took = server.wait_healthy()
        print(f"\n[{case.name}] Open WebUI up at {server.url} after {took:.0f} s "
              f"(JWT_EXPIRES_IN={case.jwt_expires_in!r})")
        status, _ = _call(f"{server.url}/api/v1/auths/signup",
                          {"name": "Live Admin", "email": EMAIL, "password": server.password})
        predicted = _prediction(server)
        print(f"[{case.name}] harness: lifetime {predicted.lifetime.words}; "
              + ", ".join(f"{c.number} {c.status}" for c in predicted.checks))
        cli = _probe_cli(server)
        print(f"[{case.name}] sign-up HTTP {status}; probe exit {cli.returncode}\n{cli.stdout}{cli.stderr}", end="")
        assert server.password not in cli.stdout + cli.stderr
        if not case.key:  # a random key must never show; the public one may be named
            assert server.key not in cli.stdout + cli.stderr
        _CHECKS[case.name](server, status, predicted, cli)
    finally:
        server.stop()


def _expected_seconds(predicted) -> int | None:  # type: ignore[no-untyped-def]
    instants = predicted.checks[0].instants
    return None if instants.exp is None else instants.exp - instants.iat


def _measured(server: LiveServer) -> harness.ProbeResult:
    return harness.probe(server.url, harness.Credentials(EMAIL, server.password), timeout=30)


def _lifetime_case(expected: int | None):  # type: ignore[no-untyped-def]
    def check(server: LiveServer, status: int, predicted, cli) -> None:  # type: ignore[no-untyped-def]
        assert status == 200
        assert _expected_seconds(predicted) == expected
        result = _measured(server)
        assert result.lifetime == expected  # exp - iat, exactly; None: no exp claim
        assert result.passed
        assert cli.returncode == 0
        assert "  pass lifetime: measured " in cli.stdout
        assert "  pass forgery: the token does not verify under any of the " in cli.stdout
        assert "  pass accepted: GET /api/v1/auths/ with the token: HTTP 200" in cli.stdout
    return check


def _public_key_case(server: LiveServer, status: int, predicted, cli) -> None:  # type: ignore[no-untyped-def]
    assert status == 200
    assert (predicted.checks[5].status, predicted.checks[5].rule) == ("fail", "OW201")
    assert cli.returncode == 1
    assert ("  FAIL forgery: the token is signed with the publicly known key 't0p-s3cr3t': anyone can forge a "
            "session token for any user of this server") in cli.stdout
    # The forgery, end to end: the admin's claims re-signed with the public key and a fresh lifetime
    # are accepted; with a guessed session_stamp (0.12 checks it against the database) they are not.
    _, signed_in = _call(f"{server.url}/api/v1/auths/signin", {"email": EMAIL, "password": server.password})
    claims = jwt.decode(signed_in["token"], options={"verify_signature": False})
    now = int(time.time())
    forged = {**claims, "jti": str(uuid.uuid4()), "iat": now, "exp": now + 3600}
    with pytest.warns(UserWarning):  # PyJWT: a 10-byte HMAC key
        accepted = jwt.encode(forged, "t0p-s3cr3t", algorithm="HS256")
        guessed = jwt.encode({**forged, "session_stamp": str(uuid.uuid4())}, "t0p-s3cr3t", algorithm="HS256")
    forged_status, forged_body = _call(f"{server.url}/api/v1/auths/", token=accepted)
    guessed_status, _ = _call(f"{server.url}/api/v1/auths/", token=guessed)
    print(f"[public-key] forged admin token: HTTP {forged_status} (role {forged_body.get('role')}); "
          f"with a guessed session_stamp: HTTP {guessed_status}")
    assert (forged_status, forged_body.get("role")) == (200, "admin")
    assert guessed_status == 401


def _rejected_case(server: LiveServer, status: int, predicted, cli) -> None:  # type: ignore[no-untyped-def]
    assert status == 500  # sign-up fails too: no admin can ever be created
    assert (predicted.checks[0].status, predicted.checks[0].rule) == ("fail", "OW101")
    assert cli.returncode == 3 and cli.stdout == ""
    assert cli.stderr.startswith(f"owui-validate: error: sign-in failed with HTTP 500 at {server.url}/api/v1/auths/"
                                 "signin: Open WebUI answers 500 at every sign-in when JWT_EXPIRES_IN cannot be parsed")


_CHECKS = {
    "2h": _lifetime_case(7200),
    "1mo": _lifetime_case(60),  # the shared document: `1mo` is one minute
    "0s": _lifetime_case(None),
    "public-key": _public_key_case,
    "3600": _rejected_case,
}
