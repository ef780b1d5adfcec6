"""Sign in to a running Open WebUI and measure what it really issues: lifetime, key, acceptance.

Standard library HTTP only. The password and the token stay in this process: both are registered
with the redaction boundary, errors quote the server's answer only after scrubbing both, nothing
prints claims beyond names and instants, and a redirect to another origin is refused rather than
followed with them. Each request has a total deadline (not only a per-read timeout: a server
sending a byte a second never trips that) and its answer a size cap.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt

from validator import redaction, secrets
from validator.harness.tokens import quiet_key_warnings, seconds_in_words
from validator.openwebui.durations import Reading
from validator.redaction import quote

SIGNIN = "/api/v1/auths/signin"
SESSION = "/api/v1/auths/"  # answers 200 to any valid session token
ALGORITHM = "HS256"
# An Open WebUI sign-in answer is well under 4 KiB; a larger one is not Open WebUI's. Headers are
# capped by http.client itself: at most 100 header lines of at most 64 KiB each.
MAX_BODY = 1024 * 1024
# Instants datetime can show (years 1 to 9999): a claim outside them is not a time Open WebUI writes.
_EARLIEST, _LATEST = -62135596800, 253402300799


class ProbeError(Exception):
    """The probe could not get a token: one line, safe to print."""


@dataclass(frozen=True, slots=True)
class Expectation:
    reading: Reading
    source: str  # `--expect 2h` or where JWT_EXPIRES_IN is written


@dataclass(frozen=True, slots=True)
class Credentials:
    email: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ProbeCheck:
    name: str
    status: Literal["pass", "fail", "skip"]
    detail: str


@dataclass(slots=True)
class ProbeResult:
    url: str
    requested_at: float
    algorithm: str
    claim_names: tuple[str, ...]
    iat: int | None
    exp: int | None
    expires_at: int | None
    # exp - iat, or exp minus the request time when the token has no iat; None: no exp.
    lifetime: float | None
    basis: str
    checks: list[ProbeCheck]

    @property
    def passed(self) -> bool:
        return all(check.status != "fail" for check in self.checks)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin(url: str) -> str:
    """`scheme://host:port` of a URL: never its user info, path or query."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = ""
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or ""
    return f"{parts.scheme}://{host}{port}"


class _Deadline:
    """Shuts the request's connection down when its time is up, wherever the request is waiting."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut_down(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut_down(sock)


def _shut_down(sock: socket.socket) -> None:
    """Shut the connection down through a duplicate descriptor: a blocked read in the other thread
    returns at once, and a TLS socket's own state is left to that thread."""
    try:
        with socket.fromfd(sock.fileno(), sock.family, sock.type) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(base: type[http.client.HTTPConnection], client: _Client) -> type[http.client.HTTPConnection]:
    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            if client.deadline is not None:
                client.deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, client: _Client) -> None:
        super().__init__()
        self.client = client

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.client), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, client: _Client, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.client = client

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.client), req,  # type: ignore[arg-type]
                            context=self._context)  # type: ignore[attr-defined]


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """The request carries the password or the token: a redirect elsewhere is refused, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        target = urllib.parse.urljoin(req.full_url, newurl)
        if origin(target) != origin(req.full_url):
            raise ProbeError(f"{origin(req.full_url)} redirects the request (HTTP {code}) to {origin(target)}: "
                             "not followed, so that neither the password nor the token goes there; probe that "
                             "server directly if it is the right one")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Client:
    """POST/GET JSON within a deadline, with the TLS policy chosen; no proxy for loopback."""

    def __init__(self, base: str, timeout: float, insecure: bool, secret_values: tuple[str, ...]) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.secret_values = secret_values
        self.deadline: _Deadline | None = None
        context = ssl.create_default_context()
        if insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(self), _HTTPSHandler(self, context),
                                                      _SameOriginRedirects()]
        if is_loopback(urllib.parse.urlsplit(self.base).hostname or ""):
            handlers.append(urllib.request.ProxyHandler({}))
        self.opener = urllib.request.build_opener(*handlers)

    def call(self, path: str, body: dict[str, Any] | None = None, token: str | None = None) -> tuple[int, Any]:
        """(status, parsed JSON or None); raises ProbeError when there is no HTTP answer at all."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method="POST" if data else "GET")
        request.add_header("Accept", "application/json")
        if data:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        self.deadline = deadline = _Deadline(self.timeout)
        try:
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return response.status, _json(self._body(response, path))
            except urllib.error.HTTPError as exc:
                with exc:
                    return exc.code, _json(self._body(exc, path))
        except ProbeError:
            raise
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired:
                raise ProbeError(self._late()) from None
            raise ProbeError(self._unreachable(exc)) from None
        finally:
            deadline.cancel()
            self.deadline = None

    def _body(self, response: Any, path: str) -> bytes:
        data = response.read(MAX_BODY + 1)
        if self.deadline is not None and self.deadline.expired:
            raise ProbeError(self._late())
        if len(data) > MAX_BODY:
            raise ProbeError(f"the answer of {self.base}{path} is larger than {MAX_BODY // 1024} KiB: is this "
                             "Open WebUI?")
        # read(n) returns what came before the connection closed; `length` is what Content-Length still owes.
        answer = response.fp if isinstance(response, urllib.error.HTTPError) else response
        if getattr(answer, "length", None):
            raise http.client.IncompleteRead(data)
        return data

    def _late(self) -> str:
        return f"no complete answer from {self.base} within {self.timeout:g} s (--timeout, for the whole request)"

    def _unreachable(self, exc: Exception) -> str:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        where = self.base
        if isinstance(reason, http.client.RemoteDisconnected):
            return f"{where} closed the connection without an HTTP answer: is this Open WebUI?"
        if isinstance(reason, http.client.IncompleteRead):
            return f"the answer of {where} was cut short (fewer bytes than it announced)"
        if isinstance(reason, http.client.HTTPException):
            # Not HTTP, a header line over 64 KiB, more than 100 headers: the server's text is not quoted.
            return f"the answer of {where} is not valid HTTP ({type(reason).__name__}): is this Open WebUI?"
        if isinstance(reason, ssl.SSLCertVerificationError):
            return (f"TLS certificate of {where} is not trusted ({reason.verify_message}): fix the certificate, "
                    "or pass --insecure for a test server")
        if isinstance(reason, ssl.SSLError):
            return f"TLS handshake with {where} failed ({reason.reason or reason})"
        if isinstance(reason, ConnectionRefusedError):
            return f"cannot connect to {where}: connection refused (is Open WebUI listening there?)"
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return self._late()
        if isinstance(reason, socket.gaierror):
            return f"cannot resolve the host of {where} ({reason.strerror})"
        return f"cannot reach {where}: {redaction.redact(secrets.scrub(str(reason), self.secret_values))}"


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _detail(body: Any, secret_values: tuple[str, ...]) -> str:
    detail = body.get("detail") if isinstance(body, dict) else None
    text = detail if isinstance(detail, str) else ""
    # Scrubbed before it is cut: a server echoing the request body quotes the password JSON-escaped.
    return f": {redaction.redact(secrets.scrub(text, secret_values))[:200]!r}" if text else ""


def sign_in(client: _Client, credentials: Credentials) -> tuple[str, int | None, float]:
    """(token, expires_at, request time)."""
    requested_at = time.time()
    status, body = client.call(SIGNIN, {"email": credentials.email, "password": credentials.password})
    where = f"{client.base}{SIGNIN}"
    detail = _detail(body, client.secret_values)
    if status in (400, 401):
        raise ProbeError(f"sign-in refused by {where} (HTTP {status}{detail}): wrong email or password?")
    if status == 500:
        raise ProbeError(f"sign-in failed with HTTP 500 at {where}: Open WebUI answers 500 at every sign-in when "
                         "JWT_EXPIRES_IN cannot be parsed (a bare number such as 3600, an upper-case unit such as "
                         "1H, or an empty value); check the deployment with `owui-validate check`")
    if status != 200:
        raise ProbeError(f"sign-in failed with HTTP {status} at {where}{detail}")
    if not isinstance(body, dict):
        raise ProbeError(f"the answer of {where} is not a JSON object: is this Open WebUI?")
    if "next_step" in body and "token" not in body:
        raise ProbeError("the account needs a second factor (MFA): probe with an account that has none")
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise ProbeError(f"the answer of {where} has no token: is this Open WebUI?")
    expires_at = body.get("expires_at")
    return token, expires_at if isinstance(expires_at, int) else None, requested_at


def probe(url: str, credentials: Credentials, *, expectation: Expectation | None = None,
          public_keys: tuple[str, ...] = (), tolerance: float = 5.0, timeout: float = 10.0,
          insecure: bool = False) -> ProbeResult:
    redaction.register(credentials.password)
    client = _Client(url, timeout, insecure, (credentials.password,))
    token, expires_at, requested_at = sign_in(client, credentials)
    for part in (token, *token.split(".")):
        redaction.register(part)
    client.secret_values = (credentials.password, token)
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise ProbeError("the token in the sign-in answer is not a JWT") from None
    iat, exp = _instant(claims.get("iat"), "iat"), _instant(claims.get("exp"), "exp")
    expires_at = _instant(expires_at, "expires_at")
    if exp is None:
        lifetime, basis = None, "no exp claim"
    elif iat is not None:
        lifetime, basis = float(exp - iat), "exp - iat"
    else:
        lifetime, basis = exp - requested_at, "exp - request time (no iat claim)"
    checks = [
        _lifetime_check(lifetime, basis, expectation, tolerance),
        _forgery_check(token, public_keys),
        _accepted_check(client, token, exp),
    ]
    return ProbeResult(url=client.base, requested_at=requested_at, algorithm=str(header.get("alg")),
                       claim_names=tuple(sorted(claims)), iat=iat, exp=exp, expires_at=expires_at,
                       lifetime=lifetime, basis=basis, checks=checks)


def _instant(value: Any, name: str) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if not _EARLIEST <= value <= _LATEST:
        raise ProbeError(f"the token's {name} is not a time (outside the years 1 to 9999): is this Open WebUI?")
    return value


def describe_lifetime(seconds: float | None) -> str:
    return "no expiry" if seconds is None else seconds_in_words(seconds)


_STORED_HINT = ("; after the first start the stored setting auth.jwt_expiry (Admin Panel > Settings > General) "
                "wins over JWT_EXPIRES_IN unless ENABLE_PERSISTENT_CONFIG=False")


def _lifetime_check(measured: float | None, basis: str, expectation: Expectation | None,
                    tolerance: float) -> ProbeCheck:
    shown = f"measured {describe_lifetime(measured)}"
    if expectation is None:
        return ProbeCheck("lifetime", "skip", f"{shown}; no expectation given (--expect or --config)")
    reading = expectation.reading
    wanted = f"{quote(reading.raw)} ({expectation.source})"
    if reading.outcome == "rejected":
        return ProbeCheck("lifetime", "fail", f"{shown}, but Open WebUI rejects {wanted}, so sign-in should have "
                          f"failed with HTTP 500: the server runs with another value{_STORED_HINT}")
    if reading.outcome == "never":
        ok = measured is None
        expected = "no expiry"
    else:
        seconds = reading.seconds or 0.0
        ok = measured is not None and abs(measured - seconds) <= tolerance
        expected = describe_lifetime(seconds)
    if ok:
        return ProbeCheck("lifetime", "pass", f"{shown}, as {wanted} gives (tolerance {tolerance:g} s)")
    return ProbeCheck("lifetime", "fail", f"{shown}, but {wanted} gives {expected}{_STORED_HINT}")


def _forgery_check(token: str, public_keys: tuple[str, ...]) -> ProbeCheck:
    # The signature alone decides: an expired token signed with a public key still proves the key.
    options = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}
    for key in public_keys:
        try:
            with quiet_key_warnings():
                jwt.decode(token, key, algorithms=[ALGORITHM], options=options)  # type: ignore[arg-type]
        except jwt.PyJWTError:
            continue
        return ProbeCheck("forgery", "fail", f"the token is signed with the publicly known key {key!r}: anyone can "
                          "forge a session token for any user of this server; set WEBUI_SECRET_KEY to "
                          "`openssl rand -hex 32` (every user is signed out once)")
    return ProbeCheck("forgery", "pass", f"the token does not verify under any of the {len(public_keys)} publicly "
                      "known default keys")


def _accepted_check(client: _Client, token: str, exp: int | None) -> ProbeCheck:
    status, body = client.call(SESSION, token=token)
    if status == 200:
        return ProbeCheck("accepted", "pass", f"GET {SESSION} with the token: HTTP 200")
    detail = f"GET {SESSION} with the token: HTTP {status}{_detail(body, client.secret_values)}"
    if exp is not None and exp <= time.time():
        detail += "; the token had already expired (a negative or sub-second lifetime)"
    return ProbeCheck("accepted", "fail", detail)
