"""validator.redaction: the registry, the forms a secret takes on its way out, and the writers."""

from __future__ import annotations

import base64
import html
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import pytest

from validator import redaction

SECRET = 'Zq8$Wt3v"Lp9\\xKm2 rTb+7y/Nc4é\nh'


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    redaction.reset()
    yield
    redaction.reset()


@pytest.mark.parametrize("form", [
    SECRET, json.dumps(SECRET)[1:-1], quote(SECRET, safe=""), base64.b64encode(b"x" + SECRET.encode()).decode(),
])
def test_a_run_with_thousands_of_secrets_replaces_every_form_in_one_pass(form: str) -> None:
    """A monorepo registers one key per tenant: past a few dozen forms the text is scanned once,
    with the same result as searching each form."""
    tenants = [f"tenant-{number:04d}-{'ab' * 16}" for number in range(2000)]
    for key in [*tenants, SECRET]:
        redaction.register(key)
    text = f"{tenants[7]} and {form}, then {tenants[1999]}{tenants[3]}."
    shown = redaction.redact(text)
    assert len(redaction._forms or ()) > redaction._SEARCHED_ONE_BY_ONE  # the scanning path
    assert shown.startswith(f"{redaction.REDACTED} and ") and shown.endswith(f"{redaction.REDACTED}{redaction.REDACTED}.")
    assert SECRET not in shown and form.strip("=")[3:-3] not in shown
    assert all(key not in shown for key in tenants)


@pytest.mark.parametrize("form", [
    SECRET, json.dumps(SECRET)[1:-1], json.dumps(SECRET, ensure_ascii=False)[1:-1], repr(SECRET)[1:-1],
    quote(SECRET, safe=""), quote(SECRET), quote_plus(SECRET), html.escape(SECRET),
    SECRET.replace("%", "%25").replace("\n", "%0A"),
    base64.b64encode(SECRET.encode()).decode(), base64.urlsafe_b64encode(SECRET.encode()).decode(),
    base64.b64encode(b"x" + SECRET.encode()).decode(), base64.b64encode(b"xy" + SECRET.encode()).decode(),
])
def test_every_form_is_replaced(form: str) -> None:
    redaction.register(SECRET)
    text = f"before {form} after"
    shown = redaction.redact(text)
    assert redaction.REDACTED in shown
    core = form.strip("=")[3:-3]  # whatever survives of a base64 form is only its edges
    assert core not in shown


def test_short_values_and_public_default_keys_are_not_registered() -> None:
    redaction.register("abc")
    redaction.register_setting("WEBUI_SECRET_KEY", "t0p-s3cr3t")  # published: findings name it
    assert redaction.redact("abc t0p-s3cr3t") == "abc t0p-s3cr3t"


@pytest.mark.parametrize(("name", "value", "hidden"), [
    ("OAUTH_SESSION_TOKEN_ENCRYPTION_KEY", "k3y-material-1", "k3y-material-1"),
    ("OAUTH_CLIENT_INFO_ENCRYPTION_KEY", "k3y-material-2", "k3y-material-2"),
    ("oauth.client_secret", "k3y-material-3", "k3y-material-3"),
    ("DATABASE_URL", "postgresql://webui:pa%40ss-w0rd@db/webui", "pa@ss-w0rd"),
    ("JWT_EXPIRES_IN", "4w WEBUI_SECRET_KEY=pasted-k3y-value", "pasted-k3y-value"),
])
def test_settings_feed_the_registry(name: str, value: str, hidden: str) -> None:
    redaction.register_setting(name, value)
    assert hidden not in redaction.redact(f"x {hidden} y")


def test_ordinary_settings_are_not_secrets() -> None:
    redaction.register_setting("WEBUI_URL", "https://chat.example.com")
    assert redaction.redact("https://chat.example.com") == "https://chat.example.com"


def test_quote_cuts_long_values_and_describes_secret_ones() -> None:
    assert redaction.quote("4w") == "'4w'"
    assert redaction.quote("x" * 5000) == f"{'x' * redaction.QUOTE_LIMIT!r}... (5000 characters)"
    redaction.register("Kq9vZx2mLp0rTt7Y")
    assert "Kq9v" not in redaction.quote("1h Kq9vZx2mLp0rTt7Y")
    assert redaction.quote("1h API_TOKEN=abc").startswith("<")


def test_writer_redacts_a_secret_split_across_writes() -> None:
    secret = SECRET.replace("\n", "")
    redaction.register(secret)
    stream = io.StringIO()
    writer = redaction.RedactingWriter(stream)
    for chunk in ("line with ", secret[:5], secret[5:], " end\n", "tail ", secret):
        writer.write(chunk)
    writer.flush()
    assert stream.getvalue() == f"line with {redaction.REDACTED} end\ntail {redaction.REDACTED}"


def test_an_escaping_exception_is_printed_through_the_boundary() -> None:
    """A bug's traceback may quote a value: it is printed redacted, exit 3."""
    script = ("from validator import redaction\n"
              "with redaction.guarded_output():\n"
              "    redaction.register('S3cret-value-xyz')\n"
              "    raise ValueError('bad value S3cret-value-xyz')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert "ValueError: bad value <redacted>" in done.stderr and "S3cret" not in done.stderr


@pytest.mark.parametrize(("name", "pasted"), [("a3f9c2d1e4b5f60718293a4b5c6d7e8f", True),
                                              ("xK9mP2qL7vN4wR8tY", True), ("OPENAI_API_BASE_URLS", False),
                                              ("http_proxy", False), ("ENABLE_OAUTH_SIGNUP", False)])
def test_pasted_keys_are_told_from_variable_names(name: str, pasted: bool) -> None:
    assert redaction.looks_like_key(name) is pasted
