from __future__ import annotations

import pytest

from validator.findings import Severity
from validator.settings.policy import Policy
from validator.rules import expiry

KEY = "241fd9abfb44950ce3d8f1679ed64f3cce3be447e148f015fc70444178d4dc36"


def codes(subject) -> list[str]:
    return [finding.code for finding in expiry.check(subject)]


def only(subject, code: str):
    found = [finding for finding in expiry.check(subject) if finding.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3600", ["OW101"]),
        ("30 d", ["OW101"]),
        ("1H", ["OW101"]),
        ("1y", ["OW101"]),
        ("", ["OW101"]),
        (" 0", ["OW101"]),
        ("1mo", ["OW102"]),
        ("1month", ["OW102"]),
        ("1h garbage", ["OW102"]),
        ("-1", ["OW103"]),
        ("0", ["OW103"]),
        ("0s", ["OW103"]),
        ("0m0s", ["OW103", "OW107"]),
        ("-5m", ["OW104"]),
        ("52w", ["OW105"]),
        ("4w", []),
        ("30s", ["OW106"]),
        ("500ms", ["OW106"]),
        ("1h30m", ["OW107"]),
        (" 2h ", ["OW107"]),
        ("7days", ["OW102"]),
    ],
)
def test_meaning_and_policy_codes(subject, value: str, expected: list[str]) -> None:
    found = codes(subject({"JWT_EXPIRES_IN": value, "ENABLE_PERSISTENT_CONFIG": "false"}))
    assert found == expected


def test_rejected_says_http_500_and_suggests_both_fixes(subject) -> None:
    finding = only(subject({"JWT_EXPIRES_IN": "3600"}), "OW101")
    assert finding.severity is Severity.ERROR
    assert "HTTP 500" in finding.full_message
    assert "`3600s` or `1h`" in finding.full_message


@pytest.mark.parametrize(("value", "fix"), [("1H", "`1h`"), ("30 d", "`30d`"), ("1y", "`52w`")])
def test_rejected_suggestions(subject, value: str, fix: str) -> None:
    assert fix in only(subject({"JWT_EXPIRES_IN": value}), "OW101").full_message


def test_partly_ignored_states_the_real_lifetime(subject) -> None:
    message = only(subject({"JWT_EXPIRES_IN": "1mo"}), "OW102").full_message
    assert "read as 1 minute" in message
    assert "ignores 'o'" in message
    assert "`4w`" in message


def test_partly_ignored_zero_total_says_never_expires(subject) -> None:
    assert "never expire" in only(subject({"JWT_EXPIRES_IN": "0months"}), "OW102").full_message


def test_under_one_second_is_an_error_and_negative_gets_no_minimum(subject) -> None:
    assert only(subject({"JWT_EXPIRES_IN": "500ms"}), "OW106").severity is Severity.ERROR
    assert only(subject({"JWT_EXPIRES_IN": "30s"}), "OW106").severity is Severity.WARNING
    assert "OW106" not in codes(subject({"JWT_EXPIRES_IN": "-5m"}))


def test_policy_limits_come_from_the_policy(subject) -> None:
    strict = Policy(max_jwt_expiry="1d", min_jwt_expiry="1h", allow_no_expiry=True)
    assert codes(subject({"JWT_EXPIRES_IN": "2d", "ENABLE_PERSISTENT_CONFIG": "False"}, policy=strict)) == ["OW105"]
    assert codes(subject({"JWT_EXPIRES_IN": "30m", "ENABLE_PERSISTENT_CONFIG": "False"}, policy=strict)) == ["OW106"]
    assert codes(subject({"JWT_EXPIRES_IN": "-1", "ENABLE_PERSISTENT_CONFIG": "False"}, policy=strict)) == []


@pytest.mark.parametrize(("flag", "seeds"), [(None, True), ("True", True), ("TRUE", True), ("false", False),
                                             ("1", False), ("yes", False), ("0", False)])
def test_seeding_note_follows_open_webuis_boolean(subject, flag: str | None, seeds: bool) -> None:
    values = {"JWT_EXPIRES_IN": "4w"}
    if flag is not None:
        values["ENABLE_PERSISTENT_CONFIG"] = flag
    assert ("OW108" in codes(subject(values))) is seeds


def test_unset_expiry_is_fine_on_current_releases_and_never_expires_on_old_ones(subject) -> None:
    assert codes(subject({"WEBUI_SECRET_KEY": KEY})) == []
    old = subject({"WEBUI_SECRET_KEY": KEY}, policy=Policy(target_version="0.6.33"))
    finding = only(old, "OW109")
    assert "never expire" in finding.full_message and "0.6.33" in finding.full_message
    assert codes(subject({"WEBUI_SECRET_KEY": KEY}, policy=Policy(target_version="0.6.34"))) == []


def test_unresolved_value_is_info_and_not_checked(subject) -> None:
    found = list(expiry.check(subject({"JWT_EXPIRES_IN": None})))
    assert [(f.code, f.severity) for f in found] == [("OW209", Severity.INFO)]
    assert "not checked" in found[0].full_message


def test_findings_point_at_the_value(subject) -> None:
    finding = only(subject({"JWT_EXPIRES_IN": "1mo"}), "OW102")
    assert (finding.location.path, finding.location.line, finding.location.column) == ("prod.env", 1, 5)


def test_helm_exponent_numbers_are_explained(subject) -> None:
    message = only(subject({"JWT_EXPIRES_IN": "2.4192e+06"}), "OW101").full_message
    assert "the number 2419200 as Helm prints an unquoted number" in message and '`"4w"`' in message
