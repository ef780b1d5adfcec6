"""`owui-validate probe` against a fake Open WebUI on 127.0.0.1 that issues real tokens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fake_openwebui import EMAIL, PASSWORD, FakeOpenWebUI

from validator.harness import probe as harness

ROOT = Path(__file__).resolve().parents[2]


def probe(url: str, *args: str, password: str | None = PASSWORD, stdin: str | None = None,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "validator", "probe", url, "--email", EMAIL, *args]
    if password is not None and stdin is None:
        environment["OWUI_PROBE_PASSWORD"] = password
        command += ["--password-env", "OWUI_PROBE_PASSWORD"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, input=stdin, env=environment, timeout=60)


def assert_nothing_secret(result: subprocess.CompletedProcess[str], server: FakeOpenWebUI | None = None) -> None:
    output = result.stdout + result.stderr
    assert PASSWORD not in output
    for token in server.issued if server else ():
        assert token not in output
        for part in token.split("."):
            assert part not in output


def test_matching_lifetime_passes() -> None:
    with FakeOpenWebUI(lifetime=timedelta(hours=2)) as server:
        result = probe(server.url, "--expect", "2h")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"signed in to {server.url} as {EMAIL} at 20")
    assert lines[1] == ("  token: HS256, claims auth_method, auth_time, exp, iat, id, jti, mfa_verified, "
                        "session_stamp, typ")
    assert lines[3] == "  lifetime: 7200 s (2 hours), exp - iat"
    assert lines[4:] == [
        "  pass lifetime: measured 7200 s (2 hours), as '2h' (--expect) gives (tolerance 5 s)",
        "  pass forgery: the token does not verify under any of the 47 publicly known default keys",
        "  pass accepted: GET /api/v1/auths/ with the token: HTTP 200",
    ]
    assert result.stderr == ""
    assert_nothing_secret(result, server)
    assert server.bodies == [f'{{"email": "{EMAIL}", "password": "{PASSWORD}"}}'.encode()]


def test_password_from_stdin() -> None:
    with FakeOpenWebUI() as server:
        result = probe(server.url, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "  skip lifetime: measured 7200 s (2 hours); no expectation given (--expect or --config)" in result.stdout


def test_lifetime_taken_from_deployment_files() -> None:
    with FakeOpenWebUI(lifetime=timedelta(hours=12)) as server:
        result = probe(server.url, "--config", "examples/good")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("  pass lifetime: measured 43200 s (12 hours), as '12h' (JWT_EXPIRES_IN at examples/good/.env:3:16) "
            "gives (tolerance 5 s)") in result.stdout


def test_lifetime_other_than_the_files_say_fails_and_explains_the_stored_setting() -> None:
    with FakeOpenWebUI(lifetime=timedelta(minutes=1)) as server:
        result = probe(server.url, "--config", "examples/good/compose.yaml")
    assert result.returncode == 1
    assert ("  FAIL lifetime: measured 60 s (1 minute), but '12h' (JWT_EXPIRES_IN at examples/good/.env:3:16) gives "
            "43200 s (12 hours); after the first start the stored setting auth.jwt_expiry") in result.stdout


def test_files_with_several_lifetimes_are_a_usage_error() -> None:
    result = probe("http://127.0.0.1:9", "--config", "examples/bad")
    assert result.returncode == 2
    assert result.stderr.startswith("owui-validate: error: --config: the files give different lifetimes ('1mo' (")


@pytest.mark.filterwarnings("ignore::UserWarning")  # the fake server signs with a 10-byte key
def test_forgeable_server_is_an_error() -> None:
    with FakeOpenWebUI(key="t0p-s3cr3t", lifetime=timedelta(minutes=1)) as server:
        result = probe(server.url, "--expect", "1m")
    assert result.returncode == 1
    assert ("  FAIL forgery: the token is signed with the publicly known key 't0p-s3cr3t': anyone can forge a "
            "session token for any user of this server") in result.stdout
    assert "  pass lifetime: measured 60 s (1 minute)" in result.stdout
    assert result.stderr == ""  # no InsecureKeyLengthWarning noise
    assert_nothing_secret(result, server)


def test_no_expiry() -> None:
    with FakeOpenWebUI(lifetime=None) as server:
        never = probe(server.url, "--expect", "0s")
        expected = probe(server.url, "--expect", "4w")
    assert never.returncode == 0
    assert "  lifetime: no expiry, no exp claim" in never.stdout
    assert "no exp, expires_at null" in never.stdout
    assert expected.returncode == 1
    assert "  FAIL lifetime: measured no expiry, but '4w' (--expect) gives 2419200 s (4 weeks)" in expected.stdout


def test_token_without_iat_is_measured_from_the_request_time() -> None:
    with FakeOpenWebUI(with_iat=False) as server:
        result = probe(server.url, "--expect", "2h")
    assert result.returncode == 0, result.stdout
    assert "exp - request time (no iat claim)" in result.stdout and "no iat" in result.stdout


def test_negative_lifetime_token_is_refused_by_the_server() -> None:
    with FakeOpenWebUI(lifetime=timedelta(minutes=-5)) as server:
        result = probe(server.url, "--expect=-5m")
    assert result.returncode == 1
    assert "  pass lifetime: measured -300 s (minus 5 minutes)" in result.stdout
    assert ("  FAIL accepted: GET /api/v1/auths/ with the token: HTTP 401: 'Invalid token'; the token had already "
            "expired (a negative or sub-second lifetime)") in result.stdout


def test_sign_in_500_names_jwt_expires_in() -> None:
    with FakeOpenWebUI(signin_status=500) as server:
        result = probe(server.url)
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr == (f"owui-validate: error: sign-in failed with HTTP 500 at {server.url}/api/v1/auths/signin: "
                             "Open WebUI answers 500 at every sign-in when JWT_EXPIRES_IN cannot be parsed (a bare "
                             "number such as 3600, an upper-case unit such as 1H, or an empty value); check the "
                             "deployment with `owui-validate check`\n")


@pytest.mark.parametrize("status", [400, 401])
def test_refused_sign_in(status: int) -> None:
    with FakeOpenWebUI(signin_status=status) as server:
        result = probe(server.url)
    assert result.returncode == 3
    assert result.stderr.startswith(f"owui-validate: error: sign-in refused by {server.url}/api/v1/auths/signin "
                                    f"(HTTP {status}: 'The email or password provided is incorrect.")
    assert result.stderr.endswith("wrong email or password?\n") and result.stderr.count("\n") == 1


def test_mfa_account() -> None:
    with FakeOpenWebUI(mfa=True) as server:
        result = probe(server.url)
    assert (result.returncode, result.stderr) == (
        3, "owui-validate: error: the account needs a second factor (MFA): probe with an account that has none\n")


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = probe(f"http://127.0.0.1:{port}")
    assert (result.returncode, result.stderr) == (
        3, f"owui-validate: error: cannot connect to http://127.0.0.1:{port}: connection refused "
           "(is Open WebUI listening there?)\n")


def test_timeout() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # the kernel accepts the connection; nobody ever answers
        port = sock.getsockname()[1]
        result = probe(f"http://127.0.0.1:{port}", "--timeout", "0.5")
    assert (result.returncode, result.stderr) == (
        3, f"owui-validate: error: no complete answer from http://127.0.0.1:{port} within 0.5 s (--timeout, for the "
           "whole request)\n")


def test_tls_is_verified_by_default(self_signed: tuple[str, str]) -> None:
    with FakeOpenWebUI(tls=self_signed) as server:
        untrusted = probe(server.url)
        insecure = probe(server.url, "--insecure")
        trusted = probe(server.url, env={"SSL_CERT_FILE": self_signed[0]})
    assert untrusted.returncode == 3
    assert untrusted.stderr == (f"owui-validate: error: TLS certificate of {server.url} is not trusted (self-signed "
                                "certificate): fix the certificate, or pass --insecure for a test server\n")
    assert insecure.returncode == 0
    assert insecure.stderr == ("owui-validate: warning: TLS certificate verification is OFF (--insecure): the "
                               "password goes to whoever answers\n")
    assert trusted.returncode == 0 and trusted.stderr == ""
    # Only the two that got through reached the sign-in handler.
    assert len(server.issued) == 2


@pytest.mark.parametrize(("args", "env", "message"), [
    ((), {}, "give the password with --password-env VAR or --password-stdin (never on the command line)"),
    (("--password-env", "OWUI_PROBE_UNSET"), {}, "--password-env: the environment variable OWUI_PROBE_UNSET is not "
                                                  "set or empty"),
    (("--expect", "3600", "--password-env", "P"), {"P": "x"}, "--expect '3600': Open WebUI rejects it (it has no "
                                                              "number followed by a unit: ms, s, m, h, d or w); give "
                                                              "a value such as 4w, 2h or 0s"),
])
def test_usage_errors(args: tuple[str, ...], env: dict[str, str], message: str) -> None:
    result = probe("http://127.0.0.1:9", *args, password=None, env=env)
    assert (result.returncode, result.stderr) == (2, f"owui-validate: error: {message}\n")


def test_bad_url_is_a_usage_error() -> None:
    result = probe("ftp://example.com")
    assert (result.returncode, result.stderr) == (
        2, "owui-validate: error: the URL is not an http:// or https:// URL with a host\n")


@pytest.mark.parametrize("args", [("--password", PASSWORD), (f"--password={PASSWORD}",)])
def test_password_on_argv_is_refused_without_echoing_it(args: tuple[str, ...]) -> None:
    result = probe("http://127.0.0.1:9", *args, password=None)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "owui-validate probe: error: --password is not accepted: a password on the command line shows in `ps` and "
        "shell history; use --password-env VAR or --password-stdin")
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                                ("127.0.0.53", True), ("10.0.0.1", False), ("chat.example.com", False)])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert harness.is_loopback(host) is loopback


def test_probe_in_process_returns_the_measurements() -> None:
    with FakeOpenWebUI(lifetime=timedelta(hours=2)) as server:
        result = harness.probe(server.url, harness.Credentials(EMAIL, PASSWORD), timeout=5)
    assert result.lifetime == 7200 and result.basis == "exp - iat" and result.exp == result.iat + 7200
    assert result.expires_at == result.exp and result.passed
    assert PASSWORD not in repr(harness.Credentials(EMAIL, PASSWORD))
