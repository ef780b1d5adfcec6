from __future__ import annotations

import secrets as random

import pytest

from validator.findings import Severity
from validator.settings.policy import Policy
from validator.rules import secret_key

STRONG = "241fd9abfb44950ce3d8f1679ed64f3cce3be447e148f015fc70444178d4dc36"


def findings(subject):
    return list(secret_key.check(subject))


def codes(subject) -> list[str]:
    return [finding.code for finding in findings(subject)]


def test_strong_key_passes(subject) -> None:
    assert codes(subject({"WEBUI_SECRET_KEY": STRONG})) == []
    assert codes(subject({"WEBUI_SECRET_KEY": random.token_urlsafe(32)})) == []


@pytest.mark.parametrize("value", ["t0p-s3cr3t", "T0P-S3CR3T", " changeme ", "your-secret-key-here"])
def test_public_keys_are_named_and_suppress_strength_rules(subject, value: str) -> None:
    found = findings(subject({"WEBUI_SECRET_KEY": value}))
    assert [f.code for f in found] == ["OW201"]
    assert found[0].severity is Severity.ERROR
    assert repr(value.strip()) in found[0].full_message
    assert "for any user" in found[0].full_message and "session stamp" in found[0].full_message


def test_team_listed_keys_are_public_but_not_named(subject) -> None:
    burned = "Qm9yZWQgb2YgdGhpcyBrZXkgYWxyZWFkeQ-leaked-2025"
    found = findings(subject({"WEBUI_SECRET_KEY": burned}, policy=Policy(known_default_keys=(burned,))))
    assert [f.code for f in found] == ["OW201"]
    assert burned not in found[0].full_message


def test_empty_key_refuses_to_start_outside_the_image(subject) -> None:
    found = findings(subject({"WEBUI_SECRET_KEY": ""}))
    assert [f.code for f in found] == ["OW202"]
    assert "refuses to start" in found[0].full_message
    assert codes(subject({"WEBUI_SECRET_KEY": "", "WEBUI_AUTH": "False"})) == []


def test_empty_key_in_official_image_is_a_generated_key(subject) -> None:
    found = findings(subject({"WEBUI_SECRET_KEY": ""}, kind="compose-service", official_image=True))
    assert [f.code for f in found] == ["OW205"]
    assert found[0].location.line == 1 and found[0].location.column == 5  # at the empty value
    assert found[0].message.startswith("WEBUI_SECRET_KEY is empty")


def test_short_key_states_length_and_fingerprint_not_value(subject) -> None:
    value = "Xk29sLq0pR"
    found = findings(subject({"WEBUI_SECRET_KEY": value}))
    assert [f.code for f in found] == ["OW203"]
    assert "is 10 bytes" in found[0].full_message and value not in found[0].full_message
    assert Policy(min_secret_key_length=8) and codes(
        subject({"WEBUI_SECRET_KEY": value}, policy=Policy(min_secret_key_length=8))) == []


def test_length_counts_utf8_bytes(subject) -> None:
    value = "é" * 16 + random.token_hex(1)  # 16 characters of 2 bytes: 34 bytes
    assert "OW203" not in codes(subject({"WEBUI_SECRET_KEY": value}))


@pytest.mark.parametrize("value", ["a" * 40, "abcdefghijklmnopqrstuvwxyz0123456789", "ab12" * 10])
def test_low_entropy_reports_estimate_without_value(subject, value: str) -> None:
    found = [f for f in findings(subject({"WEBUI_SECRET_KEY": value})) if f.code == "OW204"]
    assert len(found) == 1
    assert "bits" in found[0].full_message and value not in found[0].full_message


def test_missing_key_for_official_image_replicas(subject) -> None:
    single = findings(subject({"JWT_EXPIRES_IN": "4w"}, kind="compose-service", official_image=True))
    assert [(f.code, f.severity) for f in single] == [("OW205", Severity.WARNING)]
    assert "every recreate" in single[0].full_message
    many = findings(subject({}, kind="compose-service", official_image=True, replicas=3))
    assert [(f.code, f.severity) for f in many] == [("OW205", Severity.ERROR)]
    assert "3 replicas" in many[0].full_message


def test_missing_key_in_a_bare_env_file_is_not_reported(subject) -> None:
    assert codes(subject({"JWT_EXPIRES_IN": "4w"})) == []


def test_missing_key_on_old_release_without_image_falls_back_to_public_key(subject) -> None:
    old = subject({}, kind="compose-service", policy=Policy(target_version="0.9.5"))
    found = findings(old)
    assert [f.code for f in found] == ["OW201"] and "'t0p-s3cr3t'" in found[0].full_message
    assert codes(subject({}, kind="compose-service", policy=Policy(target_version="0.9.6"))) == ["OW205"]


def test_alias_alone_in_official_image_is_an_error(subject) -> None:
    found = findings(subject({"WEBUI_JWT_SECRET_KEY": STRONG}, kind="compose-service", official_image=True))
    assert [(f.code, f.severity) for f in found] == [("OW206", Severity.ERROR)]
    assert "refuses to run" in found[0].full_message


def test_alias_alone_elsewhere_is_read_and_checked(subject) -> None:
    found = findings(subject({"WEBUI_JWT_SECRET_KEY": "t0p-s3cr3t"}))
    assert [(f.code, f.severity) for f in found] == [("OW206", Severity.WARNING), ("OW201", Severity.ERROR)]


def test_both_names_primary_wins_even_when_empty(subject) -> None:
    found = findings(subject({"WEBUI_SECRET_KEY": "", "WEBUI_JWT_SECRET_KEY": STRONG}))
    assert [f.code for f in found] == ["OW206", "OW202"]
    assert "WEBUI_SECRET_KEY is also set and wins" in found[0].full_message


def test_literal_key_in_compose_file_only(subject) -> None:
    assert codes(subject({"WEBUI_SECRET_KEY": STRONG}, kind="compose-service", path="compose.yaml")) == ["OW207"]
    assert codes(subject({"WEBUI_SECRET_KEY": STRONG}, kind="compose-service", path="compose.yaml",
                         literal=False)) == []


def test_unresolved_key_is_info(subject) -> None:
    assert [(f.code, f.severity) for f in findings(subject({"WEBUI_SECRET_KEY": None}))] == [("OW209", Severity.INFO)]


def test_templates_get_no_key_findings(subject) -> None:
    assert codes(subject({"WEBUI_SECRET_KEY": "changeme"}, template=True)) == []


# Item 3 of issue 12: the same words must get the same findings whatever their case. Chosen pairs:
# short word-plus-digit keys (under 32 bytes) get both OW203 (short: brute force is feasible) and
# OW204 (patterned: a dictionary attack is faster still), in lower case and in CamelCase alike;
# long ones of the same shape get OW204 only. None of them is a placeholder family (that is OW201).
@pytest.mark.parametrize(("lower", "camel", "expected"), [
    ("sunshine42", "SunShine42", ["OW203", "OW204"]),
    ("bluemonkey7", "BlueMonkey7", ["OW203", "OW204"]),
    ("happyhorse2024", "HappyHorse2024", ["OW203", "OW204"]),
    ("thequickbrownfoxjumpsoverthelazydog2024", "TheQuickBrownFoxJumpsOverTheLazyDog2024", ["OW204"]),
    ("openwebuiproductionhomelab2025", "OpenWebUIProductionHomeLab2025", ["OW203", "OW204"]),
    ("openwebuisecretkey2024!openwebuisecretkey", "OpenWebUISecretKey2024!OpenWebUISecretKey", ["OW204"]),
])
def test_camel_case_words_count_as_words(subject, lower: str, camel: str, expected: list[str]) -> None:
    assert codes(subject({"WEBUI_SECRET_KEY": lower})) == expected
    assert codes(subject({"WEBUI_SECRET_KEY": camel})) == expected
