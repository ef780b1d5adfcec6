"""Findings about a stored value itself: OW101-OW106 named as stored, no OW107, no secret-key rules."""

from __future__ import annotations

import pytest

from validator.location import Location
from validator.settings.policy import Policy
from validator.rules import catalog, stored
from validator.rules.base import Subject
from validator.schema import AuthEnvironment
from validator.sources import storedconfig

HERE = Location("webui.db")


def stored_subject(value: object, policy: Policy | None = None) -> Subject:
    setting = storedconfig.stored_setting(storedconfig.DATABASE_LABEL, value, HERE, per_key=True)
    deployment = storedconfig.deployment("webui.db", setting)
    policy = policy or Policy()
    return Subject(deployment, AuthEnvironment.from_settings(deployment.settings), policy)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1mo", ["OW102"]), ("3600", ["OW101"]), ("-1", ["OW103"]), ("-5m", ["OW104"]), ("52w", ["OW105"]),
     ("30s", ["OW106"]), ("1h30m", []), ("4w", []), (3600, ["OW101"]), (None, ["OW101"])],
)
def test_codes(value: object, expected: list[str]) -> None:
    assert [f.code for f in stored.check(stored_subject(value))] == expected


def test_messages_name_the_stored_setting_and_point_at_the_file() -> None:
    (finding,) = stored.check(stored_subject("52w"))
    assert finding.location == HERE
    assert finding.message == ("config[auth.jwt_expiry]='52w' gives tokens 52 weeks, above the policy maximum of 4 weeks "
                               "(max-jwt-expiry=4w)")
    assert finding.variable == "config[auth.jwt_expiry]"


def test_policy_applies_to_stored_values() -> None:
    assert [f.code for f in stored.check(stored_subject("52w", Policy(max_jwt_expiry="60w")))] == []


def test_no_stored_value_no_finding() -> None:
    deployment = storedconfig.deployment("webui.db", None)
    assert list(stored.check(Subject(deployment, AuthEnvironment.from_settings({}), Policy()))) == []


def test_ow110_is_documented_in_the_catalog() -> None:
    rule = catalog()["OW110"]
    doc = rule.doc()
    assert (rule.name, str(rule.severity)) == ("jwt-expiry-overridden-by-stored-setting", "warning")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in doc
