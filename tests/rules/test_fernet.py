"""OW210: a 44-character key Fernet refuses stops Open WebUI at start, on the releases that read it."""

from __future__ import annotations

import base64
import os
import secrets as random

import pytest
from cryptography.fernet import Fernet
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.findings import Severity
from validator.openwebui import versions
from validator.openwebui.fernet import refusal
from validator.rules import fernet, secret_key
from validator.settings.policy import Policy

NO_PADDING = base64.urlsafe_b64encode(os.urandom(33)).decode()  # 44 characters, 33 bytes
HEX = os.urandom(22).hex()  # `openssl rand -hex 22`
VALID = base64.b64encode(os.urandom(32)).decode()  # `openssl rand -base64 32`: 44 characters ending in `=`
PASSPHRASE = "correct horse battery staple and more words!"
SESSION, CLIENT = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY", "OAUTH_CLIENT_INFO_ENCRYPTION_KEY"


def open_webui_accepts(value: str) -> bool:
    """What open_webui/utils/oauth.py does with the key at import, with the real Fernet."""
    key = value.encode() if len(value) == 44 else base64.urlsafe_b64encode(__import__("hashlib").sha256(
        value.encode()).digest())
    try:
        Fernet(key)
    except ValueError:
        return False
    return True


def at(version: versions.Version) -> Policy:
    return Policy(target_version=versions.format_version(version))


def ow210(subject) -> list:
    return [finding for finding in secret_key.check(subject) if finding.code == "OW210"]


def test_the_three_44_character_cases_and_a_passphrase() -> None:
    assert len(NO_PADDING) == len(HEX) == len(VALID) == len(PASSPHRASE) == 44
    for value, accepted in ((NO_PADDING, False), (HEX, False), (VALID, True), (PASSPHRASE, False)):
        assert open_webui_accepts(value) is accepted
        assert (refusal(value) is None) is accepted


@given(st.one_of(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=", min_size=40, max_size=48),
    st.text(min_size=44, max_size=44),
    st.binary(min_size=30, max_size=34).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
))
@settings(max_examples=1500, deadline=None)
def test_refusal_agrees_with_the_real_fernet(value: str) -> None:
    try:
        value.encode()
    except UnicodeEncodeError:
        return  # a lone surrogate cannot be in an environment variable
    assert (refusal(value) is None) is open_webui_accepts(value)


@pytest.mark.parametrize("value", [NO_PADDING, HEX, PASSPHRASE])
def test_non_fernet_key_stops_the_server_and_is_never_shown(subject, value: str) -> None:
    found = ow210(subject({"WEBUI_SECRET_KEY": value}))
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    message = found[0].full_message
    assert "stops at start" in message and "Fernet key must be 32 url-safe base64-encoded bytes" in message
    assert f"read as {SESSION} and {CLIENT}" in message and "openssl rand -base64 32" in message
    assert value not in message and value[:8] not in message


def test_valid_fernet_key_and_other_lengths_pass(subject) -> None:
    assert ow210(subject({"WEBUI_SECRET_KEY": VALID})) == []
    assert ow210(subject({"WEBUI_SECRET_KEY": NO_PADDING[:43]})) == []
    assert ow210(subject({"WEBUI_SECRET_KEY": HEX + "ab"})) == []


@pytest.mark.parametrize(("version", "readers"), [
    ((0, 6, 26), None),
    ((0, 6, 27), f"read as {SESSION}, which defaults"),
    ((0, 6, 30), f"read as {SESSION}, which defaults"),
    ((0, 6, 31), f"read as {SESSION} and {CLIENT}, which default"),
    ((0, 12, 4), f"read as {SESSION} and {CLIENT}, which default"),
])
def test_release_boundaries_of_the_oauth_keys(subject, version, readers) -> None:
    found = ow210(subject({"WEBUI_SECRET_KEY": HEX}, policy=at(version)))
    if readers is None:
        assert found == []
    else:
        assert len(found) == 1 and readers in found[0].full_message
        assert versions.format_version(version) in found[0].full_message


@pytest.mark.parametrize(("version", "expected"), [((0, 9, 9), []), ((0, 10, 0), [Severity.WARNING]),
                                                   ((0, 12, 4), [Severity.WARNING])])
def test_own_oauth_keys_avoid_the_stop_but_valves_still_use_the_key(subject, version, expected) -> None:
    found = ow210(subject({"WEBUI_SECRET_KEY": HEX, SESSION: VALID, CLIENT: random.token_hex(32)},
                          policy=at(version)))
    assert [finding.severity for finding in found] == expected
    if found:
        assert "valves" in found[0].full_message and "server starts" in found[0].full_message


def test_a_bad_own_oauth_key_is_reported_where_it_is_written(subject) -> None:
    found = ow210(subject({"WEBUI_SECRET_KEY": VALID, CLIENT: NO_PADDING}))
    assert len(found) == 1 and found[0].variable == CLIENT and found[0].location.line == 2
    assert "read as" not in found[0].full_message and found[0].severity is Severity.ERROR
    # One OAuth key set well, the other still defaulting to a bad WEBUI_SECRET_KEY: still a stop.
    found = ow210(subject({"WEBUI_SECRET_KEY": HEX, SESSION: VALID}))
    assert len(found) == 1 and f"read as {CLIENT}, which defaults" in found[0].full_message
    assert found[0].severity is Severity.ERROR


def test_the_alias_and_unknown_values(subject) -> None:
    assert len(ow210(subject({"WEBUI_JWT_SECRET_KEY": HEX}))) == 1
    assert ow210(subject({"WEBUI_SECRET_KEY": None})) == []
    assert ow210(subject({"WEBUI_SECRET_KEY": HEX}, template=True)) == []


def test_the_rule_is_documented_with_its_release_boundaries() -> None:
    doc = fernet.InvalidFernetKey.doc()
    for boundary in ("0.6.27", "0.6.31", "0.10", "0.6.26"):
        assert boundary in doc


def test_every_source_that_reads_keys(tmp_path) -> None:
    """env (with `export`), compose, a Kubernetes Secret's base64 data, Helm values: one OW210 each."""
    from validator import engine

    encoded = base64.b64encode(HEX.encode()).decode()
    files = {
        "stack/.env": f"export WEBUI_SECRET_KEY={HEX}\n",
        "stack/compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:v0.12.4\n"
                              "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n",
        "k8s/secret.yaml": f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: webui\ndata:\n  key: {encoded}\n",
        "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: webui\nspec:\n  selector: {}\n"
                           "  template:\n    spec:\n      containers:\n        - name: webui\n"
                           "          image: ghcr.io/open-webui/open-webui:v0.12.4\n          env:\n"
                           "            - name: WEBUI_SECRET_KEY\n              valueFrom:\n"
                           "                secretKeyRef: {name: webui, key: key}\n",
        "helm/values.yaml": f"open-webui:\n  extraEnvVars:\n    - name: WEBUI_SECRET_KEY\n      value: {VALID}\n"
                            f"    - name: {SESSION}\n      value: {NO_PADDING}\n",
        "helm/Chart.yaml": "apiVersion: v2\nname: webui\nversion: 1.0.0\ndependencies:\n"
                           "  - name: open-webui\n    version: 6.0.0\n    repository: https://helm.openwebui.com\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = [f for f in engine.check([str(tmp_path)]).findings if f.code == "OW210"]
    where = sorted((str(f.location.path).removeprefix(str(tmp_path) + "/"), f.location.line) for f in found)
    assert where == [("helm/values.yaml", 6), ("k8s/secret.yaml", 6), ("stack/.env", 1)], where
    for finding in found:
        assert HEX not in finding.full_message and NO_PADDING not in finding.full_message and encoded not in finding.full_message


@pytest.mark.parametrize(("tag", "readers"), [("v0.6.26", None), ("v0.6.27", 1), ("v0.6.31", 2), ("main", 2)])
def test_the_release_comes_from_the_image_tag(tmp_path, tag: str, readers: int | None) -> None:
    from validator import engine

    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={HEX}\n")
    (tmp_path / "compose.yaml").write_text(f"services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:{tag}\n"
                                           "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n")
    found = [f for f in engine.check([str(tmp_path / "compose.yaml")]).findings if f.code == "OW210"]
    assert len(found) == (0 if readers is None else 1)
    if readers:
        assert found[0].full_message.count("_ENCRYPTION_KEY") == readers
