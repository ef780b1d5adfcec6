"""The seven checks, each in passing and failing form, with real PyJWT and the real clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from validator.harness import tokens
from validator.harness.tokens import Setup, SigningKey, Verifier
from validator.openwebui import durations, keys

KEY = "9c1f0b7e3a5d4c2b8e6f1a0d9c7b5e3f2a4d6c8b0e1f3a5c7d9b2e4f6a8c0d1e"


def run(value: str | None, *, key: str = KEY, public: str | None = None, empty_rule: str = "",
        margin: int = 1, allow_no_expiry: bool = False, verifier: Verifier | None = None,
        unresolved: str = "") -> dict[int, tokens.Check]:
    setup = Setup(lifetime=durations.explain(value) if value is not None else None,
                  key=SigningKey(key, public=public, empty_rule=empty_rule), public_keys=keys.known_default_keys(),
                  unresolved=unresolved, margin=margin, allow_no_expiry=allow_no_expiry, verifier=verifier)
    results = tokens.run(setup)
    assert [check.number for check in results] == [1, 2, 3, 4, 5, 6, 7]
    return {check.number: check for check in results}


# --- issuing exactly like Open WebUI 0.12 ------------------------------------------------------

def test_create_token_has_open_webui_claims_and_whole_second_instants() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)
    token = tokens.create_token(tokens.session_data(now), timedelta(hours=2), KEY, now)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    # The claim set a real 0.12.4 server issues (observed on the live server).
    assert sorted(claims) == ["auth_method", "auth_time", "exp", "iat", "id", "jti", "mfa_verified",
                              "session_stamp", "typ"]
    assert claims["typ"] == "session" and claims["auth_method"] == "password" and claims["mfa_verified"] is False
    assert claims["iat"] == 1767323045 and claims["exp"] == 1767323045 + 7200  # truncated, not rounded


@pytest.mark.parametrize("delta", [None, timedelta(0)])
def test_create_token_adds_no_exp_for_a_falsy_lifetime(delta: timedelta | None) -> None:
    now = datetime.now(timezone.utc)
    claims = jwt.decode(tokens.create_token({"id": "u"}, delta, KEY, now), KEY, algorithms=["HS256"])
    assert "exp" not in claims and claims["iat"] == int(now.timestamp())


def test_verifier_repr_hides_the_key() -> None:
    assert KEY not in repr(Verifier(KEY)) and KEY not in repr(SigningKey(KEY))


# --- 1. fresh token ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "seconds"), [("2h", 7200), ("1mo", 60), ("1h30m", 5400), ("1.5h", 5400),
                                                ("4w", 2419200), ("1500ms", 1)])
def test_fresh_token_passes_with_exp_minus_iat_in_whole_seconds(value: str, seconds: int) -> None:
    check = run(value)[1]
    assert check.status == "pass", check.detail
    assert check.detail.startswith(f"accepted; exp - iat = {seconds} s")
    assert check.instants is not None and check.instants.exp - check.instants.iat == seconds
    assert check.instants.iat <= check.instants.checked_at < check.instants.exp


def test_fresh_token_without_exp_passes_for_zero_lifetime() -> None:
    check = run("0s")[1]
    assert check.status == "pass"
    assert check.detail == "accepted; no exp claim (Open WebUI adds exp only for a non-zero lifetime)"
    assert check.instants is not None and check.instants.exp is None


def test_fresh_token_fails_for_a_sub_second_lifetime() -> None:
    check = run("500ms")[1]
    assert (check.status, check.rule) == ("fail", "OW106")
    assert check.detail.startswith("ExpiredSignatureError; exp - iat = 0 s, expected 0 s (PyJWT truncates exp")
    assert check.instants is not None and check.instants.exp == check.instants.iat


@pytest.mark.parametrize("value", ["3600", "1H", "30 d", ""])
def test_fresh_token_fails_when_open_webui_rejects_the_value(value: str) -> None:
    results = run(value)
    check = results[1]
    assert (check.status, check.rule) == ("fail", "OW101")
    assert check.detail == (f"issuing fails as in Open WebUI: JWT_EXPIRES_IN={value!r} raises "
                            "ValueError('Invalid duration string') when a token is created, so every sign-in and "
                            "sign-up answers HTTP 500")
    assert [results[n].status for n in (2, 3, 4, 5)] == ["skip"] * 4
    # Forged tokens do not depend on the lifetime: a server that cannot issue tokens still accepts them.
    assert results[6].status == "pass" and results[7].status == "pass"


def test_fresh_token_fails_when_the_key_is_empty_and_the_rest_use_a_throwaway() -> None:
    results = run("2h", empty_rule="OW202")
    assert (results[1].status, results[1].rule) == ("fail", "OW202")
    assert "PyJWT refuses it too (InvalidKeyError: HMAC key must not be empty.)" in results[1].detail
    assert all(results[n].status == "pass" for n in range(2, 8))


def test_fresh_token_fails_when_the_server_has_another_key() -> None:
    # Two replicas with their own generated keys: one issues, the other decodes.
    check = run("2h", verifier=Verifier("another-key-of-at-least-thirty-two-bytes!"))[1]
    assert check.status == "fail" and check.detail.startswith("InvalidSignatureError; exp - iat = 7200 s")


def test_unresolved_lifetime_skips_the_expiry_checks_only() -> None:
    results = run(None, unresolved="cannot be resolved (${JWT} has no value)")
    assert [results[n].status for n in range(1, 8)] == ["skip"] * 5 + ["pass", "pass"]
    assert results[1].detail == "JWT_EXPIRES_IN cannot be resolved (${JWT} has no value)"


# --- 2. (lifetime - margin) ago is accepted --------------------------------------------------------

@pytest.mark.parametrize(("value", "margin"), [("2h", 1), ("2h", 30), ("1mo", 59), ("1s", 1)])
def test_before_expiry_passes(value: str, margin: int) -> None:
    check = run(value, margin=margin)[2]
    assert check.status == "pass", check.detail
    seconds = int(durations.explain(value).seconds)
    assert check.detail == f"issued {tokens.seconds_in_words(seconds - margin)} ago, {margin} s before it expires: accepted"
    instants = check.instants
    assert instants is not None and instants.exp - instants.iat == seconds
    # Issued in the past: exp is `margin` seconds after the anchoring second, which is at most 1 s ago.
    assert 0 < instants.exp - instants.checked_at <= margin


def test_before_expiry_fails_on_a_server_whose_clock_runs_ahead() -> None:
    # leeway=-5 is a server whose clock is 5 s ahead: tokens die 5 s early.
    check = run("2h", verifier=Verifier(KEY, leeway=-5))[2]
    assert check.status == "fail"
    assert check.detail == "issued 7199 s (1 hour 59 minutes 59 seconds) ago, 1 s before it expires: ExpiredSignatureError"


def test_before_expiry_is_skipped_when_the_margin_exceeds_the_lifetime() -> None:
    check = run("500ms")[2]
    assert (check.status, check.detail) == ("skip", "the lifetime (500 milliseconds) is shorter than the margin (1 s)")


# --- 3. (lifetime + margin) ago is refused ----------------------------------------------------------

@pytest.mark.parametrize("value", ["2h", "1mo", "500ms", "4w"])
def test_after_expiry_passes(value: str) -> None:
    check = run(value)[3]
    assert check.status == "pass", check.detail
    assert check.detail.endswith("1 s after it expired: ExpiredSignatureError")
    assert check.instants is not None and check.instants.exp < check.instants.checked_at


def test_after_expiry_fails_on_a_lenient_server() -> None:
    check = run("2h", verifier=Verifier(KEY, leeway=60))[3]
    assert check.status == "fail"
    assert check.detail == "issued 7201 s (2 hours 1 second) ago, 1 s after it expired: accepted"


# --- 4. ten years old ------------------------------------------------------------------------------

def test_ten_year_old_token_is_refused_with_a_lifetime() -> None:
    check = run("4w")[4]
    assert (check.status, check.detail) == ("pass", "issued ten years ago: ExpiredSignatureError")
    assert check.instants is not None
    assert abs(check.instants.checked_at - check.instants.iat - tokens.TEN_YEARS.total_seconds()) < 2


@pytest.mark.parametrize("value", ["0s", "-1", "0", "0m0s"])
def test_ten_year_old_token_without_exp_fails_unless_the_policy_allows_it(value: str) -> None:
    check = run(value)[4]
    assert (check.status, check.rule) == ("fail", "OW103")
    assert check.detail == ("issued ten years ago, no exp claim: still accepted; a leaked token works until the key "
                            "is rotated")
    assert check.instants is not None and check.instants.exp is None
    allowed = run(value, allow_no_expiry=True)[4]
    assert allowed.status == "pass" and "as the policy allows (allow-no-expiry)" in allowed.detail


def test_ten_year_old_token_fails_with_a_lifetime_longer_than_ten_years() -> None:
    check = run("1000w")[4]
    assert (check.status, check.rule) == ("fail", "OW105")
    assert check.detail == "issued ten years ago with a lifetime of 1000 weeks: still accepted"


# --- 5. not expired at issue -------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2h", "0s", "1s"])
def test_token_is_valid_at_issue(value: str) -> None:
    assert run(value)[5].status == "pass"


def test_negative_lifetime_is_refused_at_issue() -> None:
    results = run("-5m")
    check = results[5]
    assert (check.status, check.rule) == ("fail", "OW104")
    assert check.detail == ("issued now: ExpiredSignatureError; the negative lifetime puts exp 300 s (5 minutes) "
                            "before iat, so sign-in succeeds and every following request is refused")
    assert check.instants is not None and check.instants.iat - check.instants.exp == 300
    assert (results[1].status, results[1].rule) == ("fail", "OW104")
    assert results[2].status == results[3].status == "skip"


def test_sub_second_lifetime_is_refused_at_issue() -> None:
    check = run("500ms")[5]
    assert (check.status, check.rule) == ("fail", "OW106")
    assert "gives exp = iat" in check.detail


# --- 6. forgery ------------------------------------------------------------------------------------

def test_forgery_with_every_public_key_is_refused() -> None:
    check = run("2h")[6]
    assert check.status == "pass"
    assert check.detail == (f"tokens signed with each of the {len(keys.known_default_keys())} publicly known default "
                            "keys are refused (InvalidSignatureError)")


def test_forged_admin_token_is_accepted_when_the_key_is_public() -> None:
    check = run("2h", key="t0p-s3cr3t", public="t0p-s3cr3t")[6]
    assert (check.status, check.rule) == ("fail", "OW201")
    assert check.detail.startswith("a forged admin session token signed with the public key 't0p-s3cr3t' is accepted")


def test_forgery_names_the_listed_key_for_a_variant_written_differently() -> None:
    check = run("2h", key="ChangeMe", public="changeme")[6]
    assert check.status == "fail"
    assert "'changeme (as written in this deployment)'" in check.detail and "ChangeMe" not in check.detail


# --- 7. algorithm confusion ---------------------------------------------------------------------------

def test_algorithm_confusion_is_refused() -> None:
    check = run("2h")[7]
    assert check.status == "pass"
    assert check.detail == ("alg none, unsigned: InvalidAlgorithmError; "
                            "HS512 with the right key: InvalidAlgorithmError")


def test_algorithm_confusion_fails_on_a_server_that_accepts_hs512() -> None:
    check = run("2h", verifier=Verifier(KEY, algorithms=("HS256", "HS512")))[7]
    assert check.status == "fail"
    assert check.detail == ("alg none, unsigned: InvalidAlgorithmError; HS512 with the right key: accepted "
                            "(the server accepts algorithms ['HS256', 'HS512'], Open WebUI only HS256)")


def test_checks_take_well_under_a_second() -> None:
    started = time.perf_counter()
    run("2h")
    assert time.perf_counter() - started < 2.0  # 47 forged tokens included; no sleeping anywhere
