from __future__ import annotations

import json
import re
import secrets

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import generate
from validator.location import Location
from validator.openwebui import durations
from validator.schema import ACCEPTED_JWT_EXPIRES_IN, AuthEnvironment
from validator.sources.model import Setting


def schema() -> dict:
    return json.loads(generate.schemas()["schemas/openwebui-auth-env.schema.json"])


def setting(name: str, value: str | None) -> Setting:
    return Setting(name, value, Location("x.env", 1, 1))


@given(st.text(alphabet="0123456789-.mshdwMHoyt ,\t_x", max_size=12))
@settings(max_examples=800, deadline=None)
def test_schema_pattern_accepts_exactly_what_open_webui_reads_as_written(raw: str) -> None:
    reading = durations.explain(raw)
    if reading.outcome == "rejected" and reading.matched:
        return  # too large to add to a date: a pattern cannot express that (OW101 catches it)
    as_written = reading.outcome != "rejected" and not reading.meaningful_ignored
    assert (re.fullmatch(ACCEPTED_JWT_EXPIRES_IN, raw) is not None) is as_written


@pytest.mark.parametrize(("value", "valid"), [("4w", True), ("1h30m", True), ("-1", True), ("3600", False),
                                              ("1mo", False), ("1H", False), ("", False)])
def test_exported_schema_checks_jwt_values(value: str, valid: bool) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    assert validator.is_valid({"JWT_EXPIRES_IN": value}) is valid


def test_exported_schema_checks_keys() -> None:
    validator = jsonschema.Draft202012Validator(schema())
    assert validator.is_valid({"WEBUI_SECRET_KEY": secrets.token_hex(32), "OTHER": "x"})
    assert not validator.is_valid({"WEBUI_SECRET_KEY": "t0p-s3cr3t"})
    assert not validator.is_valid({"WEBUI_SECRET_KEY": "short"})
    assert not validator.is_valid({"WEBUI_SECRET_KEY": 5})


@pytest.mark.parametrize(("values", "official", "state", "from_name"), [
    ({"WEBUI_SECRET_KEY": "k" * 40}, False, "set", "WEBUI_SECRET_KEY"),
    ({"WEBUI_JWT_SECRET_KEY": "k" * 40}, False, "set", "WEBUI_JWT_SECRET_KEY"),
    ({"WEBUI_SECRET_KEY": "", "WEBUI_JWT_SECRET_KEY": "k" * 40}, False, "empty", "WEBUI_SECRET_KEY"),
    ({}, False, "missing", None),
    ({"WEBUI_SECRET_KEY": None}, False, "unresolved", "WEBUI_SECRET_KEY"),
    ({}, True, "generated", None),
    ({"WEBUI_SECRET_KEY": ""}, True, "generated", "WEBUI_SECRET_KEY"),
    ({"WEBUI_JWT_SECRET_KEY": "k" * 40}, True, "empty", "WEBUI_JWT_SECRET_KEY"),
    ({"WEBUI_SECRET_KEY": "k" * 40, "WEBUI_JWT_SECRET_KEY": "j" * 40}, True, "set", "WEBUI_SECRET_KEY"),
])
def test_effective_key_follows_open_webui_and_the_official_image(values, official, state, from_name) -> None:
    env = AuthEnvironment.from_settings({n: setting(n, v) for n, v in values.items()}, official_image=official)
    assert env.key.state == state
    assert (env.key.setting.name if env.key.setting else None) == from_name


@pytest.mark.parametrize(("version", "default_seconds"), [((0, 12, 4), 2419200.0), ((0, 6, 34), 2419200.0),
                                                          ((0, 6, 33), None)])
def test_effective_lifetime_uses_the_release_default_when_unset(version, default_seconds) -> None:
    env = AuthEnvironment.from_settings({}, target_version=version)
    assert env.lifetime is not None and env.lifetime.seconds == default_seconds


def test_flags_follow_open_webuis_lower_equals_true() -> None:
    def env(value):
        return AuthEnvironment.from_settings({"WEBUI_AUTH": setting("WEBUI_AUTH", value)})
    assert [env(v).auth_enabled for v in ("True", "TRUE", "true", "1", "yes", "false", None)] == \
        [True, True, True, False, False, False, None]
    assert AuthEnvironment.from_settings({}).auth_enabled is True
