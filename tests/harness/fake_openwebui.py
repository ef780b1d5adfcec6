"""A small fake Open WebUI on 127.0.0.1: real HS256 tokens with a chosen lifetime and key.

It mints tokens with PyJWT directly, the way Open WebUI 0.12's create_session_response does, so the
probe is tested against an implementation that shares no code with the harness.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

EMAIL, PASSWORD = "admin@example.com", "correct horse battery staple"
SERVER_KEY = "f3b1c0d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1"


class FakeOpenWebUI:
    """Answers POST /api/v1/auths/signin and GET /api/v1/auths/ like Open WebUI 0.12."""

    def __init__(self, *, key: str = SERVER_KEY, lifetime: timedelta | None = timedelta(hours=2),
                 signin_status: int = 200, with_iat: bool = True, mfa: bool = False,
                 tls: tuple[str, str] | None = None) -> None:
        self.key, self.lifetime, self.signin_status = key, lifetime, signin_status
        self.with_iat, self.mfa = with_iat, mfa
        self.issued: list[str] = []
        self.bodies: list[bytes] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeOpenWebUI:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def mint(self) -> tuple[str, int | None]:
        now = datetime.now(timezone.utc)
        payload: dict[str, object] = {"id": "5f0c7e1a-0000-4000-8000-000000000001", "typ": "session",
                                      "auth_method": "password", "auth_time": int(time.time()),
                                      "session_stamp": str(uuid.uuid4()), "mfa_verified": False}
        if self.lifetime:
            payload["exp"] = now + self.lifetime
        payload["jti"] = str(uuid.uuid4())
        if self.with_iat:
            payload["iat"] = now
        expires_at = int(time.time()) + int(self.lifetime.total_seconds()) if self.lifetime else None
        token = jwt.encode(payload, self.key, algorithm="HS256")
        self.issued.append(token)
        return token, expires_at

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.bodies.append(raw)
                if self.path != "/api/v1/auths/signin":
                    return self._answer(404, {"detail": "Not Found"})
                if fake.signin_status == 500:
                    return self._answer(500, {"detail": "Internal Server Error"})
                form = json.loads(raw)
                if fake.signin_status != 200 or (form.get("email"), form.get("password")) != (EMAIL, PASSWORD):
                    return self._answer(fake.signin_status if fake.signin_status != 200 else 400, {
                        "detail": "The email or password provided is incorrect. Please check for typos and try "
                                  "logging in again."})
                if fake.mfa:
                    return self._answer(200, {"next_step": "verify", "challenge_token": "c", "expires_in": 300})
                token, expires_at = fake.mint()
                self._answer(200, {"token": token, "token_type": "Bearer", "expires_at": expires_at,
                                   "id": "5f0c7e1a-0000-4000-8000-000000000001", "email": EMAIL, "role": "admin"})

            def do_GET(self) -> None:  # noqa: N802
                if self.path != "/api/v1/auths/":
                    return self._answer(404, {"detail": "Not Found"})
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    jwt.decode(token, fake.key, algorithms=["HS256"])
                except jwt.PyJWTError:
                    return self._answer(401, {"detail": "Invalid token"})
                self._answer(200, {"id": "5f0c7e1a-0000-4000-8000-000000000001", "email": EMAIL})

        return Handler
