"""The redaction boundary: every string that leaves the process passes through `redact`.

Sources and the harness `register` each secret they meet (key values, passwords, tokens, URL
user info); `guarded_output` puts a redacting writer in front of stdout and stderr for the whole
run, and `--output` files are written through one too, so a new message, format or traceback
printer is covered without knowing about it. The writer replaces each secret in every form it can
take on the way out: as written, JSON- and Python-escaped, URL-encoded, XML-escaped, GitHub
annotation-escaped and inside base64 at any alignment.

Messages still never quote a secret on purpose (validator.secrets.describe); this is the net
under that rule, for text we do not write ourselves (parser errors, server answers, tracebacks).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

REDACTED = "<redacted>"
# Shorter values are not worth hiding (and would replace ordinary words of the output).
MIN_LENGTH = 6
# Values quoted in messages (JWT_EXPIRES_IN as written, a server's error detail) are cut here.
QUOTE_LIMIT = 40

# Variables whose values are secrets whatever else they hold: keys, passwords, tokens (by name ending).
_SECRET_ENDINGS = ("SECRET", "SECRET_KEY", "PASSWORD", "PASSWD", "API_KEY", "ENCRYPTION_KEY", "PRIVATE_KEY", "TOKEN")
# `NAME=` of such a variable inside another value (`JWT_EXPIRES_IN=4w WEBUI_SECRET_KEY=...` on one line).
_SECRET_ASSIGNMENT = re.compile(r"(?:SECRET|PASSWORD|PASSWD|API_KEY|ENCRYPTION_KEY|PRIVATE_KEY|TOKEN)\w*\s*[=:]",
                                re.I)
_USERINFO = re.compile(r"://([^/?#\s]*)@")

_secrets: set[str] = set()
_forms: list[str] | None = []
# The forms by their first MIN_LENGTH characters, for runs with many secrets (see _scan).
_by_prefix: dict[str, list[str]] = {}
# Up to this many forms, `in` per form (C speed) beats one pass in Python over the text.
_SEARCHED_ONE_BY_ONE = 64


def is_secret_name(name: str) -> bool:
    """WEBUI_SECRET_KEY, OAUTH_SESSION_TOKEN_ENCRYPTION_KEY, DATABASE_PASSWORD, oauth.client_secret, ..."""
    return name.upper().endswith(_SECRET_ENDINGS)


def register(value: str | None) -> None:
    """Hide `value` (and what it can turn into) from everything written from now on."""
    global _forms
    if value and len(value) >= MIN_LENGTH and value not in _secrets:
        _secrets.add(value)
        _forms = None


def register_setting(name: str, value: str | None) -> None:
    """A variable's value: secret by its name, and any URL user info it holds (DATABASE_URL)."""
    if not value:
        return
    if is_secret_name(name):
        register_key(value)
    if "@" in value and "://" in value:
        register_url(value)
    if "=" in value:
        for assigned in _SECRET_ASSIGNMENT.finditer(value):  # `4w WEBUI_SECRET_KEY=...` pasted on one line
            register(value[assigned.end():].strip().partition(" ")[0])


def register_key(value: str | None) -> None:
    """A key or password: registered unless it is a published default key, which is public, and which
    findings name so that the user recognises it."""
    from validator.openwebui.keys import is_known_default

    if value and len(value) >= MIN_LENGTH and not is_known_default(value):
        register(value)


def register_url(url: str) -> None:
    """The user info of a URL (`scheme://user:password@host`): the password, as written and decoded."""
    from urllib.parse import unquote, unquote_plus

    for userinfo in _USERINFO.findall(url):
        password = userinfo.partition(":")[2]
        for form in (userinfo, password, unquote(password), unquote_plus(password)):
            register(form)


def looks_like_key(name: str) -> bool:
    """A key pasted where a variable name goes (alone on a line of an env file): long, and either one
    unbroken run of 16+ characters or mixed-case letters with digits, as no variable name is."""
    if len(name) < 16:
        return False
    longest = max(len(part) for part in re.split(r"[_.-]", name))
    mixed = any(c.islower() for c in name) and any(c.isupper() for c in name) and any(c.isdigit() for c in name)
    return longest >= 16 or mixed


def reset() -> None:
    """Forget every secret: a new run (tests call the CLI many times in one process)."""
    global _forms
    _secrets.clear()
    _forms = []


def redact(text: str) -> str:
    """`text` with every registered secret, in each of its forms, replaced by `<redacted>`."""
    forms = _forms if _forms is not None else _build()
    if len(forms) > _SEARCHED_ONE_BY_ONE:
        return _scan(text)
    for form in forms:
        if form in text:
            text = text.replace(form, REDACTED)
    return text


def _scan(text: str) -> str:
    """One pass over `text`, looking up each position's first MIN_LENGTH characters among the forms'
    (longest form first): linear in the text however many secrets the run has seen (a monorepo of
    2000 tenants registers tens of thousands of forms, and searching each in every line was the
    run's slowest step)."""
    index = _by_prefix
    pieces: list[str] = []
    start = position = 0
    last = len(text) - MIN_LENGTH
    while position <= last:
        candidates = index.get(text[position:position + MIN_LENGTH])
        if candidates is not None:
            form = next((form for form in candidates if text.startswith(form, position)), None)
            if form is not None:
                pieces += (text[start:position], REDACTED)
                position = start = position + len(form)
                continue
        position += 1
    pieces.append(text[start:])
    return "".join(pieces)


def holds_secret(text: str) -> bool:
    """True when quoting `text` would show a secret or part of one: a registered value, or an
    assignment of a secret variable written inside it."""
    return redact(text) != text or _SECRET_ASSIGNMENT.search(text) is not None


def quote(text: str) -> str:
    """A value as a message may quote it: repr, cut to QUOTE_LIMIT characters, and described instead
    when it holds a secret."""
    if holds_secret(text):
        from validator.secrets import describe

        return f"<{describe(text)}, holding a secret>"
    if len(text) > QUOTE_LIMIT:
        return f"{text[:QUOTE_LIMIT]!r}... ({len(text)} characters)"
    return repr(text)


def _build() -> list[str]:
    global _forms, _by_prefix
    found: set[str] = set()
    for value in _secrets:
        found.update(_encodings(value))
    _forms = sorted((form for form in found if len(form) >= MIN_LENGTH), key=len, reverse=True)
    _by_prefix = {}
    for form in _forms:  # longest first within each prefix, as in _forms
        _by_prefix.setdefault(form[:MIN_LENGTH], []).append(form)
    return _forms


def _encodings(value: str) -> Iterator[str]:
    import base64
    import html
    from urllib.parse import quote as url_quote
    from urllib.parse import quote_plus

    yield value
    yield value.strip()
    yield from value.splitlines()  # a multi-line value printed line by line
    yield _json_escaped(value, ascii_only=True)
    yield _json_escaped(value, ascii_only=False)
    yield repr(value)[1:-1]
    yield repr(value + "'")[1:-2]  # repr's other quoting, when the text also holds a `'`
    yield url_quote(value, safe="")
    yield url_quote(value)
    yield quote_plus(value)
    yield html.escape(value)
    yield html.escape(value, quote=False)
    yield value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")  # GitHub annotations
    data = value.encode("utf-8", "surrogatepass")
    for shift in range(3):
        # The characters of base64 that depend on the value's bytes alone, at each alignment.
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        core = encoded[-(-8 * shift // 6): 8 * (shift + len(data)) // 6]
        yield core
        yield core.replace("+", "-").replace("/", "_")


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _json_escaped(value: str, *, ascii_only: bool) -> str:
    """The value inside a JSON string, as json.dumps (ASCII) and pydantic (UTF-8) write it; the json
    module itself is not imported on the `check` path."""
    out = []
    for char in value:
        code = ord(char)
        if char in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[char])
        elif code < 0x20 or (ascii_only and code > 0x7E):
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


class RedactingWriter:
    """A text stream that writes whole lines, each redacted, to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        end = self._pending.rfind("\n") + 1
        if end:
            ready, self._pending = self._pending[:end], self._pending[end:]
            self.stream.write(redact(ready))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            ready, self._pending = self._pending, ""
            self.stream.write(redact(ready))
        self.stream.flush()

    def __getattr__(self, name: str) -> object:  # isatty, fileno, encoding, buffer, ...
        return getattr(self.stream, name)


@contextmanager
def guarded_output() -> Iterator[None]:
    """For one run of the CLI: a new registry, and stdout and stderr written through `redact`."""
    reset()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingWriter(saved[0]), RedactingWriter(saved[1])  # type: ignore[assignment]
    try:
        yield
    except Exception:
        # A bug of ours escaping the command: its traceback may quote a value, so it is printed here,
        # through the boundary, rather than by the interpreter after the streams are restored.
        import traceback

        traceback.print_exc(file=sys.stderr)
        raise SystemExit(3) from None
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = saved
