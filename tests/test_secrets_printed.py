"""Issue 11, "secrets printed": each test is a hostile input from the review, run through the real
CLI, and asserts that the secret is in no output, in none of its encoded forms."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

SECRET = "Zq8$Wt3vLp9xKm2rTb7yNc4h"  # a password generator's output, `$` included
TAIL = SECRET.partition("$")[2]  # what compose takes for a variable name


def forms(secret: str) -> list[str]:
    """The secret as written, JSON-escaped, URL-encoded and base64-encoded."""
    return [secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret),
            base64.b64encode(secret.encode()).decode().rstrip("=")]


def assert_absent(texts: list[str], *secrets: str) -> None:
    for secret in secrets:
        for form in forms(secret):
            for text in texts:
                assert form not in text, (form, text)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
@pytest.mark.parametrize("value", [SECRET, "Zq8Wt3vLp9x${KmrTb7yNc4hQw", '"Zq8Wt3v$Lp9xKm2"'])
def test_dollar_in_a_key_is_described_not_quoted(owui_process, tmp_path: Path, value: str, fmt: str) -> None:
    """Item 1: `$` and an unterminated `${` inside a key: OW209 says why, never the text after `$`."""
    (tmp_path / ".env").write_text(f"WEBUI_URL=https://chat.example.com\nWEBUI_SECRET_KEY={value}\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      WEBUI_SECRET_KEY: '{value.strip(chr(34))}x'\n    env_file: [.env]\n")
    ran = owui_process("check", "--format", fmt, "--fail-on", "info", "--verbose")
    assert "compose reads as interpolation" in ran.out.replace("%60", "`")
    hidden = [value.strip('"'), value.strip('"').partition("$")[2].lstrip("{")]
    assert_absent([ran.out, ran.err], *hidden)
    tokens = owui_process("tokens", "--format", "json")
    assert "interpolation" in tokens.out
    assert_absent([tokens.out, tokens.err], *hidden)


def test_escaped_dollar_and_a_whole_reference_are_still_named(owui_process, tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
        "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n      JWT_EXPIRES_IN: 4w\n")
    ran = owui_process("check", "--fail-on", "info")
    assert "${WEBUI_SECRET_KEY} has no value here and no default" in ran.out


@pytest.mark.parametrize("line", [f"JWT_EXPIRES_IN=4w WEBUI_SECRET_KEY={TAIL}",
                                  f"JWT_EXPIRES_IN='4w  WEBUI_SECRET_KEY: {TAIL}'"])
def test_key_pasted_into_the_expiry_value_is_not_quoted(owui_process, tmp_path: Path, line: str) -> None:
    """Item 7: `JWT_EXPIRES_IN=4w WEBUI_SECRET_KEY=...` on one line."""
    (tmp_path / ".env").write_text(f"WEBUI_URL=https://chat.example.com\n{line}\n")
    ran = owui_process("check", "--format", "json", "--fail-on", "info")
    codes = {finding["code"] for finding in json.loads(ran.out)["findings"]}
    assert "OW102" in codes
    assert "holding a secret" in ran.out
    tokens = owui_process("tokens")
    assert_absent([ran.out, ran.err, tokens.out, tokens.err], TAIL)


def test_key_referenced_as_the_expiry_is_not_quoted(owui_process, tmp_path: Path) -> None:
    """Item 7: `JWT_EXPIRES_IN=${WEBUI_SECRET_KEY}`."""
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={TAIL}\nJWT_EXPIRES_IN=${{WEBUI_SECRET_KEY}}\n")
    ran = owui_process("check", "--format", "sarif", "--fail-on", "info")
    tokens = owui_process("tokens", "--format", "json")
    assert '"OW10' in ran.out
    assert_absent([ran.out, ran.err, tokens.out, tokens.err], TAIL)


def test_key_pasted_alone_on_a_line_is_not_quoted_as_a_name(owui_process, tmp_path: Path) -> None:
    """Item 7: a key pasted alone on a line (twice) is a bare variable name to compose: OW002."""
    key = "a3f9c2d1e4b5f60718293a4b5c6d7e8f"
    (tmp_path / ".env").write_text(f"WEBUI_URL=https://chat.example.com\nWEBUI_SECRET_KEY={SECRET[:3]}{key}\n"
                                   f"{key}\n{key}\n")
    for fmt in ("text", "json", "sarif", "github", "junit"):
        ran = owui_process("check", "--format", fmt, "--fail-on", "info")
        assert "OW002" in ran.out and "looks like a pasted key" in ran.out
        assert_absent([ran.out, ran.err], key)


def test_ordinary_duplicate_names_are_still_named(owui_process, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WEBUI_URL=https://a\nJWT_EXPIRES_IN=4w\nJWT_EXPIRES_IN=1h\n")
    assert "JWT_EXPIRES_IN is defined twice" in owui_process("check").out


@pytest.mark.parametrize("args", [
    ("check", "--pasword=Hunter2Secret"),
    ("check", ".", "--fail-on", "Hunter2Secret"),
    ("check", "--max-file-size", "Hunter2Secret"),
    ("probe", "http://127.0.0.1:9", "--email", "a@b", "--pasword=Hunter2Secret"),
    ("probe", "http://127.0.0.1:9", "--email", "a@b", "--password-env", "X", "Hunter2Secret"),
    ("probe", "http://127.0.0.1:9", "--email", "a@b", "--password-en=Hunter2Secret"),
    ("probe", "http://127.0.0.1:9", "--email", "a@b", "--timeout", "Hunter2Secret"),
    ("--database-url", "postgresql://admin:Hunter2Secret@db/webui", "check"),
    ("--pasword", "Hunter2Secret", "check"),
    ("rule", "OW101", "Hunter2Secret"),
    ("tokens", "--margin", "Hunter2Secret"),
    ("tokens", "--format", "Hunter2Secret"),
])
def test_argparse_never_echoes_an_argument_value(owui_process, args: tuple[str, ...]) -> None:
    """Items 4 and 5: typos, stray values and options placed before the command."""
    ran = owui_process(*args)
    assert ran.status == 2
    assert "error" in ran.err and "Traceback" not in ran.err
    assert "Hunter2" not in ran.out + ran.err


@pytest.mark.parametrize(("args", "suggestion"), [
    (("check", "--fial-on", "error"), "--fial-on (did you mean --fail-on?)"),
    (("probe", "http://127.0.0.1:9", "--email", "a@b", "--pasword=Hunter2Secret"), "--pasword (did you mean --password?)"),
    (("probe", "http://127.0.0.1:9", "--email", "a@b", "--pasword-env=X"), "--pasword-env (did you mean --password-env?)"),
    (("tokens", "--alow-no-expiry"), "--alow-no-expiry (did you mean --allow-no-expiry?)"),
])
def test_mistyped_flag_gets_a_suggestion_naming_only_the_flag(owui_process, args: tuple[str, ...],
                                                               suggestion: str) -> None:
    ran = owui_process(*args)
    assert ran.status == 2 and suggestion in ran.err, ran.err
    assert "Hunter2" not in ran.err


def test_option_before_the_command_says_where_it_goes(owui_process) -> None:
    ran = owui_process("--database-url", "postgresql://admin:Hunter2Secret@db/webui", "check")
    assert "options go after the command" in ran.err and "Hunter2" not in ran.err


@pytest.mark.parametrize(("url", "secret"), [
    ("postgresql://webui:Hunter2@Secret@127.0.0.1:1/webui", "Hunter2@Secret"),
    ("postgresql://webui:Hunter2/Sec?ret#x@127.0.0.1:1/webui", "Hunter2/Sec?ret#x"),
    ("postgresql://webui@127.0.0.1:1/webui?password=Hunter2+Secret%zz", "Hunter2+Secret%zz"),
    ("postgresql://webui@127.0.0.1:1/webui?sslmode=disable&password=Hunter2%zzSecret", "Hunter2%zzSecret"),
    ("postgresql://webui:Hunter2%ffSecret@127.0.0.1:1/webui", "Hunter2%ffSecret"),
    ("postgres://webui:Hunter2@Secret@nonexistent.invalid/webui", "Hunter2@Secret"),
])
def test_database_url_password_is_never_shown(owui_process, url: str, secret: str) -> None:
    """Item 4 (and item 16's `%ff`): unencoded `@`, `+`/`%zz` in the query, bytes that are no UTF-8."""
    pytest.importorskip("psycopg")
    for fmt in ("text", "json"):
        ran = owui_process("check", "--database-url", url, "--format", fmt)
        assert ran.status == 1, ran.err
        assert "OW001" in ran.out and "cannot connect" in ran.out and "Traceback" not in ran.err
        assert "Hunter2" not in ran.out + ran.err
        assert "Secret" not in ran.out + ran.err
        assert_absent([ran.out, ran.err], secret)


def test_unencoded_at_in_the_password_reaches_the_right_host(owui_process) -> None:
    """The password is %-encoded before libpq sees it, so the host is the one after the last `@`."""
    pytest.importorskip("psycopg")
    ran = owui_process("check", "--database-url", "postgresql://webui:Hunter2@Secret@127.0.0.1:1/webui")
    assert 'connection to server at "127.0.0.1", port 1 failed' in ran.out


def test_kubernetes_reference_inside_a_key_is_described_not_quoted(owui_process, tmp_path: Path) -> None:
    """Item 1, Kubernetes' `$(VAR)`: a key holding `$(` beside an envFrom the files do not show."""
    (tmp_path / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webui}\nspec:\n  selector: {}\n  template:\n"
        "    spec:\n      containers:\n        - name: webui\n          image: ghcr.io/open-webui/open-webui:main\n"
        "          envFrom:\n            - secretRef: {name: elsewhere}\n          env:\n"
        f"            - name: WEBUI_SECRET_KEY\n              value: \"Zq8Wt3v$({TAIL})x\"\n")
    ran = owui_process("check", "--fail-on", "info", "--format", "json")
    assert "Kubernetes reads as a variable reference" in ran.out
    assert_absent([ran.out, ran.err], TAIL)
