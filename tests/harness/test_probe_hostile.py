"""`owui-validate probe` against servers that misbehave on purpose: each answer below comes from a
raw socket server on 127.0.0.1 written for the test, and the probe must end with one line and an
exit status, within its deadline, without sending or printing the password or the token."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import jwt
import pytest
from fake_openwebui import EMAIL, PASSWORD, SERVER_KEY, FakeOpenWebUI
from test_probe import assert_nothing_secret, probe

Handler = Callable[[socket.socket, bytes], None]


@contextmanager
def raw_server(handler: Handler) -> Iterator[str]:
    """A one-connection-at-a-time TCP server whose `handler(connection, request)` writes anything at all."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    seen: list[bytes] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(5)
                request = b""
                try:
                    while b"\r\n\r\n" not in request:
                        request += connection.recv(65536) or b"\r\n\r\n"
                    head, _, body = request.partition(b"\r\n\r\n")
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    while len(body) < length:
                        body += connection.recv(65536)
                    seen.append(head + b"\r\n\r\n" + body)
                    handler(connection, head + b"\r\n\r\n" + body)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def answer(status: str, body: bytes, headers: str = "") -> Handler:
    def handle(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                           f"{headers}\r\n".encode() + body)

    return handle


def one_line_error(result, status: int = 3) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == status, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("owui-validate: error: "), result.stderr
    assert_nothing_secret(result)
    return lines[0]


def test_redirect_of_the_token_to_another_host_is_not_followed() -> None:
    """Item 2: a server that signs in, then redirects the authenticated request elsewhere."""
    with FakeOpenWebUI() as real, raw_server(answer("200 OK", b"{}")) as elsewhere:
        received: list[bytes] = []

        def redirect(connection: socket.socket, request: bytes) -> None:
            if request.startswith(b"POST"):
                # Sign in for real, then send the authenticated GET away.
                token, expires_at = real.mint()
                body = json.dumps({"token": token, "expires_at": expires_at}).encode()
                answer("200 OK", body)(connection, request)
            else:
                received.append(request)
                connection.sendall(f"HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhere.replace('127.0.0.1', 'localhost')}"
                                   "/api/v1/auths/\r\nContent-Length: 0\r\n\r\n".encode())

        with raw_server(redirect) as url:
            result = probe(url)
    line = one_line_error(result)
    assert "redirects the request (HTTP 307) to http://localhost:" in line and "not followed" in line
    assert received and b"Authorization: Bearer " in received[0]  # it went only to the server probed
    for token in real.issued:
        assert token not in result.stdout + result.stderr


def test_redirect_of_the_sign_in_to_another_scheme_is_not_followed() -> None:
    def redirect(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 308 Permanent Redirect\r\nLocation: https://127.0.0.1:1/api/v1/auths/signin\r\n"
                           b"Content-Length: 0\r\n\r\n")

    with raw_server(redirect) as url:
        line = one_line_error(probe(url))
    assert "to https://127.0.0.1:1: not followed" in line


@pytest.mark.parametrize("url", ["http://admin:S3cretPassw0rd@127.0.0.1:9", "https://admin:S3cretPassw0rd@example.invalid",
                                 "http://admin:S3cret@Passw0rd@example.invalid:80"])
def test_password_in_the_url_is_refused_unprinted(url: str) -> None:
    """Item 3: user info in the URL (plain-http warning, cannot resolve, InvalidURL traceback before)."""
    result = probe(url)
    line = one_line_error(result, 2)
    assert "holds a user name or password" in line
    assert "S3cret" not in result.stderr and "Passw0rd" not in result.stderr and "admin" not in result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://[::1", "http://127.0.0.1:8x0"])
def test_bad_port_or_ipv6_literal_is_a_usage_error(url: str) -> None:
    line = one_line_error(probe(url), 2)
    assert "the URL is not valid" in line


@pytest.mark.parametrize("password", ['pa"ss\\wörd\nS3cret', 'quote"and\\backslash-S3cret', "naïve-Passwört-S3cret"])
def test_server_echoing_the_request_body_never_shows_the_password(password: str) -> None:
    """Item 6: the detail quotes the body as the server read it: JSON-escaped (`\\"`, `\\\\`, `\\u00f6`, `\\n`)."""

    def echo(connection: socket.socket, request: bytes) -> None:
        body = request.partition(b"\r\n\r\n")[2].decode()
        for detail in (body, json.dumps(json.loads(body), ensure_ascii=False)):
            data = json.dumps({"detail": f"bad request: {detail}"}).encode()
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                               + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
            return

    with raw_server(echo) as url:
        result = probe(url, password=password)
    line = one_line_error(result)
    assert "sign-in refused" in line and "<redacted>" in line
    output = result.stdout + result.stderr
    for form in (password, json.dumps(password)[1:-1], json.dumps(password, ensure_ascii=False)[1:-1],
                 repr(password)[1:-1], "S3cret"):
        assert form not in output


def test_a_byte_every_half_second_still_ends_at_the_deadline() -> None:
    """Item 12: --timeout bounds the whole request, not each read."""

    def trickle(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(60):
            connection.sendall(b" ")
            time.sleep(0.5)

    with raw_server(trickle) as url:
        started = time.monotonic()
        result = probe(url, "--timeout", "2")
        elapsed = time.monotonic() - started
    line = one_line_error(result)
    assert "no complete answer" in line and "within 2 s" in line
    assert elapsed < 15


def test_headers_trickled_slowly_end_at_the_deadline() -> None:
    def trickle(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\n")
        for index in range(60):
            connection.sendall(f"X-{index}: a\r\n".encode())
            time.sleep(0.5)

    with raw_server(trickle) as url:
        started = time.monotonic()
        line = one_line_error(probe(url, "--timeout", "2"))
        assert time.monotonic() - started < 15
    assert "no complete answer" in line


def test_endless_chunked_body_is_capped() -> None:
    def endless(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"[" * 0x10000 + b"\r\n"
        for _ in range(400):  # 25 MiB, if the probe kept reading
            connection.sendall(chunk)

    with raw_server(endless) as url:
        line = one_line_error(probe(url, "--timeout", "20"))
    assert "larger than 1024 KiB" in line


@pytest.mark.parametrize(("reply", "expected"), [
    (b"SSH-2.0-OpenSSH_9.6\r\n", "not valid HTTP"),
    (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", "not valid HTTP"),
    (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(150)) + b"\r\n", "not valid HTTP"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"token\": ", "cut short"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n{}", "cut short"),
    (b"", "closed the connection without an HTTP answer"),
])
def test_replies_that_are_not_http_end_in_one_line(reply: bytes, expected: str) -> None:
    """Item 15: non-HTTP reply, oversized headers, too many headers, truncated body, huge Content-Length."""
    with raw_server(lambda connection, _request: connection.sendall(reply)) as url:
        line = one_line_error(probe(url))
    assert expected in line


@pytest.mark.parametrize("claims", [{"iat": 10**20, "exp": 10**20 + 7200}, {"iat": 0, "exp": -(10**30)},
                                    {"exp": 2**63}])
def test_out_of_range_claims_end_in_one_line(claims: dict[str, int]) -> None:
    token = jwt.encode({"id": "x", **claims}, SERVER_KEY, algorithm="HS256")
    body = json.dumps({"token": token, "expires_at": None}).encode()
    with raw_server(answer("200 OK", body)) as url:
        result = probe(url)
    line = one_line_error(result)
    assert "is not a time" in line
    assert token not in result.stderr and token.split(".")[1] not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--timeout", "-1"), "argument --timeout: must be more than 0"),
    (("--timeout", "0"), "argument --timeout: must be more than 0"),
    (("--timeout", "nan"), "argument --timeout: not a finite number"),
    (("--timeout", "inf"), "argument --timeout: not a finite number"),
    (("--timeout", "1e308"), "argument --timeout: must be more than 0 and at most 3600"),
    (("--tolerance", "nan"), "argument --tolerance: not a finite number"),
    (("--tolerance", "-5"), "argument --tolerance: must be 0 or more"),
])
def test_numeric_options_are_validated(args: tuple[str, ...], message: str) -> None:
    result = probe("http://127.0.0.1:9", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_well_behaved_server_still_passes_with_the_deadline() -> None:
    with FakeOpenWebUI(lifetime=timedelta(hours=2)) as server:
        result = probe(server.url, "--expect", "2h", "--timeout", "5")
    assert result.returncode == 0, result.stderr
    assert_nothing_secret(result, server)
    assert EMAIL in result.stdout and PASSWORD not in result.stdout
    assert base64.b64encode(PASSWORD.encode()).decode() not in result.stdout
