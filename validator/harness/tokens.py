"""The seven token checks, with real PyJWT, as Open WebUI 0.12 issues and decodes session tokens.

Tokens "issued in the past" carry `iat`/`exp` in the past: the clock is never patched and nothing
sleeps. Each check anchors its instants on a whole second, because PyJWT writes `iat` and `exp`
truncated to whole seconds, and runs again if the decode fell into the next second (which can
happen only once in a row), so the verdict does not depend on when in a second it ran.
"""

from __future__ import annotations

import math
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt

from validator.harness.model import Check, Instants, Status
from validator.openwebui import durations
from validator.openwebui.durations import Reading
from validator.redaction import quote

ALGORITHM = "HS256"  # open_webui/utils/auth.py
TEN_YEARS = timedelta(days=3652)
FORGED_LIFETIME = timedelta(hours=1)
ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class Verifier:
    """How the server decodes: Open WebUI's `jwt.decode(token, key, algorithms=['HS256'])`, no leeway."""

    key: str = field(repr=False)
    algorithms: tuple[str, ...] = (ALGORITHM,)
    leeway: float = 0.0

    def decode(self, token: str) -> dict[str, Any]:
        return jwt.decode(token, self.key, algorithms=list(self.algorithms), leeway=self.leeway)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """The key the checks sign with. When the deployment's own key is empty, `value` is a throwaway
    and `empty_rule` names the finding; Open WebUI cannot sign with an empty key at all."""

    value: str = field(repr=False)
    # The listed public key the value is (a variant of): it may be named, the value may not.
    public: str | None = None
    empty_rule: str = ""
    # Why Open WebUI stops at start with this key (OW210), when it does: it issues no token at all.
    stops: str = ""


@dataclass(frozen=True, slots=True)
class Setup:
    """Everything the checks need about one environment."""

    lifetime: Reading | None
    key: SigningKey
    public_keys: tuple[str, ...]
    unresolved: str = ""  # why the lifetime is unknown, when it is
    margin: int = 1
    allow_no_expiry: bool = False
    # Defaults to Open WebUI's own decode with the signing key.
    verifier: Verifier | None = None

    def server(self) -> Verifier:
        return self.verifier or Verifier(self.key.value)


def create_token(data: dict[str, Any], expires_delta: timedelta | None, key: str, now: datetime) -> str:
    """Open WebUI's `create_token` (utils/auth.py) with its clock passed in."""
    payload = data.copy()
    if expires_delta:
        payload.update({"exp": now + expires_delta})
    payload.update({"jti": str(uuid.uuid4()), "iat": now})
    return jwt.encode(payload, key, algorithm=ALGORITHM)


def session_data(now: datetime, *, user_id: str | None = None, mfa_verified: bool = False) -> dict[str, Any]:
    """What `create_session_response` (0.12) passes to create_token for a password sign-in."""
    return {
        "id": user_id or str(uuid.uuid4()),
        "typ": "session",
        "auth_method": "password",
        "auth_time": int(now.timestamp()),
        "session_stamp": str(uuid.uuid4()),
        "mfa_verified": mfa_verified,
    }


@contextmanager
def quiet_key_warnings() -> Iterator[None]:
    """Short keys (most public ones) make PyJWT warn on every call; OW203 already says so, once."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", getattr(jwt, "InsecureKeyLengthWarning", UserWarning))
        yield


def run(setup: Setup) -> list[Check]:
    with quiet_key_warnings():
        return [_anchored(check, setup) for check in _CHECKS]


def _anchored(check: Callable[[Setup, int], Check], setup: Setup) -> Check:
    for _ in range(2):
        second = math.floor(time.time())
        try:
            result = check(setup, second)
        except OverflowError:
            number = _CHECKS.index(check) + 1
            return _result(number, "skip", "the instants it needs are outside the dates Python can represent")
        if math.floor(time.time()) == second:
            break
    return result


def _at(second: int) -> datetime:
    return datetime.fromtimestamp(second, timezone.utc)


@dataclass(frozen=True, slots=True)
class _Outcome:
    verdict: str  # ACCEPTED or the PyJWT exception raised
    instants: Instants


def _issue_and_verify(setup: Setup, issued: datetime, delta: timedelta | None) -> _Outcome:
    token = create_token(session_data(issued), delta, setup.key.value, issued)
    return _verify(setup.server(), token)


def _verify(server: Verifier, token: str) -> _Outcome:
    claims = jwt.decode(token, options={"verify_signature": False})
    checked_at = time.time()
    try:
        server.decode(token)
        verdict = ACCEPTED
    except jwt.PyJWTError as exc:
        verdict = type(exc).__name__
    return _Outcome(verdict, Instants(iat=claims.get("iat"), exp=claims.get("exp"), checked_at=checked_at))


def _result(number: int, status: Status, detail: str, rule: str | None = None,
            instants: Instants | None = None) -> Check:
    name, claim = _NAMES[number]
    return Check(number=number, name=name, claim=claim, status=status, detail=detail, rule=rule, instants=instants)


def _not_issued(number: int, setup: Setup) -> Check | None:
    """Checks 2-5 need tokens Open WebUI would issue: skip them when it issues none."""
    reading = setup.lifetime
    if reading is None:
        return _result(number, "skip", f"JWT_EXPIRES_IN {setup.unresolved or 'cannot be resolved'}")
    if reading.outcome == "rejected":
        return _result(number, "skip", "Open WebUI issues no token with this JWT_EXPIRES_IN (check 1)")
    return None


def seconds_in_words(seconds: float) -> str:
    """`5400 s (1 hour 30 minutes)`; short spans need no words."""
    shown = f"{seconds:.0f}" if seconds == int(seconds) else f"{seconds:.3f}".rstrip("0")
    return f"{shown} s ({durations.in_words(seconds)})" if abs(seconds) >= 60 else f"{shown} s"


def _fresh(setup: Setup, second: int) -> Check:
    reading = setup.lifetime
    if setup.key.empty_rule:
        try:
            create_token(session_data(_at(second)), None, "", _at(second))
            problem = "PyJWT signs with it"
        except jwt.PyJWTError as exc:
            problem = f"PyJWT refuses it too ({type(exc).__name__}: {exc})"
        return _result(1, "fail", "the deployment's key is empty, so Open WebUI refuses to start and issues no "
                       f"token; {problem}. The other checks use a throwaway key", setup.key.empty_rule)
    if setup.key.stops:
        return _result(1, "fail", f"Open WebUI does not start: no tokens are issued ({setup.key.stops}). The other "
                       "checks use the deployment's key as if it had started", "OW210")
    if reading is None:
        return _result(1, "skip", f"JWT_EXPIRES_IN {setup.unresolved or 'cannot be resolved'}")
    if reading.outcome == "rejected":
        try:
            # What create_session_response does with the value, up to create_token's arithmetic.
            _ = datetime.now(timezone.utc) + durations.parse_duration(reading.raw)  # type: ignore[operator]
            raised = "nothing (unexpected)"
        except (ValueError, OverflowError) as exc:
            raised = f"{type(exc).__name__}({quote(str(exc))})"
        return _result(1, "fail", f"issuing fails as in Open WebUI: JWT_EXPIRES_IN={quote(reading.raw)} raises {raised} "
                       "when a token is created, so every sign-in and sign-up answers HTTP 500", "OW101")
    outcome = _issue_and_verify(setup, _at(second), reading.delta)
    iat, exp = outcome.instants.iat, outcome.instants.exp
    seconds = reading.seconds or 0.0
    if reading.outcome == "never":
        ok = outcome.verdict == ACCEPTED and exp is None
        shape = "no exp claim (Open WebUI adds exp only for a non-zero lifetime)" if exp is None \
            else f"an exp claim {exp} (expected none)"
        return _result(1, "pass" if ok else "fail", f"{outcome.verdict}; {shape}", None, outcome.instants)
    expected = math.floor(seconds)
    measured = None if exp is None or iat is None else exp - iat
    ok = outcome.verdict == ACCEPTED and measured == expected
    detail = f"{outcome.verdict}; exp - iat = {measured} s, expected {seconds_in_words(expected)}"
    rule = None
    if seconds != expected:
        detail += f" (PyJWT truncates exp to whole seconds: {durations.in_words(seconds)} -> {expected} s)"
    if not ok and outcome.verdict != ACCEPTED:
        rule = "OW104" if seconds < 0 else "OW106" if seconds < 1 else None
    return _result(1, "pass" if ok else "fail", detail, rule, outcome.instants)


def _before_expiry(setup: Setup, second: int) -> Check:
    return _around_expiry(2, setup, second, before=True)


def _after_expiry(setup: Setup, second: int) -> Check:
    return _around_expiry(3, setup, second, before=False)


def _around_expiry(number: int, setup: Setup, second: int, *, before: bool) -> Check:
    """A token issued (lifetime -/+ margin) ago: accepted just before expiry, refused just after."""
    skipped = _not_issued(number, setup) or _not_positive(number, setup)
    if skipped:
        return skipped
    reading = setup.lifetime
    assert reading is not None and reading.delta is not None
    seconds = reading.delta.total_seconds()
    if before and seconds < setup.margin:
        return _result(number, "skip", f"the lifetime ({durations.in_words(seconds)}) is shorter than the margin "
                       f"({setup.margin} s)")
    margin = timedelta(seconds=setup.margin)
    age = reading.delta - margin if before else reading.delta + margin
    outcome = _issue_and_verify(setup, _at(second) - age, reading.delta)
    expected, when = (ACCEPTED, "before it expires") if before else ("ExpiredSignatureError", "after it expired")
    detail = f"issued {seconds_in_words(age.total_seconds())} ago, {setup.margin} s {when}: {outcome.verdict}"
    return _result(number, "pass" if outcome.verdict == expected else "fail", detail, None, outcome.instants)


def _not_positive(number: int, setup: Setup) -> Check | None:
    reading = setup.lifetime
    assert reading is not None
    if reading.outcome == "never":
        return _result(number, "skip", "tokens never expire (check 4)")
    if reading.outcome == "negative":
        return _result(number, "skip", "tokens are expired when issued (check 5)")
    return None


def _ten_years(setup: Setup, second: int) -> Check:
    skipped = _not_issued(4, setup)
    if skipped:
        return skipped
    reading = setup.lifetime
    assert reading is not None
    outcome = _issue_and_verify(setup, _at(second) - TEN_YEARS, reading.delta)
    if outcome.verdict != ACCEPTED:
        ok = outcome.verdict == "ExpiredSignatureError"
        return _result(4, "pass" if ok else "fail", f"issued ten years ago: {outcome.verdict}", None, outcome.instants)
    if reading.outcome == "never":
        if setup.allow_no_expiry:
            return _result(4, "pass", "issued ten years ago, no exp claim: accepted, as the policy allows "
                           "(allow-no-expiry)", None, outcome.instants)
        return _result(4, "fail", "issued ten years ago, no exp claim: still accepted; a leaked token works "
                       "until the key is rotated", "OW103", outcome.instants)
    return _result(4, "fail", f"issued ten years ago with a lifetime of {durations.in_words(reading.seconds or 0)}: "
                   "still accepted", "OW105", outcome.instants)


def _not_expired_at_issue(setup: Setup, second: int) -> Check:
    skipped = _not_issued(5, setup)
    if skipped:
        return skipped
    reading = setup.lifetime
    assert reading is not None
    outcome = _issue_and_verify(setup, _at(second), reading.delta)
    if outcome.verdict == ACCEPTED:
        return _result(5, "pass", "issued now: accepted", None, outcome.instants)
    seconds = reading.seconds or 0.0
    expired = outcome.verdict == "ExpiredSignatureError"
    if expired and seconds < 0:
        detail = (f"issued now: {outcome.verdict}; the negative lifetime puts exp {seconds_in_words(-seconds)} before iat, "
                  "so sign-in succeeds and every following request is refused")
        return _result(5, "fail", detail, "OW104", outcome.instants)
    if expired and seconds < 1:
        detail = (f"issued now: {outcome.verdict}; PyJWT truncates exp to whole seconds, so a lifetime of "
                  f"{durations.in_words(seconds)} gives exp = iat: a token issued early in a second is refused at once")
        return _result(5, "fail", detail, "OW106", outcome.instants)
    return _result(5, "fail", f"issued now: {outcome.verdict}", None, outcome.instants)


def _shown(key: str) -> str:
    """Published defaults may be named; a team's own list of burned keys (known-default-keys) may not."""
    from validator.openwebui import keys

    return key if key in keys.known_default_keys() else "<listed in known-default-keys>"


def _forgery(setup: Setup, second: int) -> Check:
    forgers = [(_shown(name), name) for name in setup.public_keys]
    if setup.key.public is not None and setup.key.value not in setup.public_keys:
        forgers.append((f"{_shown(setup.key.public)} (as written in this deployment)", setup.key.value))
    now = _at(second)
    accepted: list[str] = []
    outcome: _Outcome | None = None
    for name, key in forgers:
        # An attacker's admin token: any user id, MFA claimed done, an expiry of their choosing.
        token = create_token(session_data(now, mfa_verified=True), FORGED_LIFETIME, key, now)
        outcome = _verify(setup.server(), token)
        if outcome.verdict == ACCEPTED:
            accepted.append(name)
    instants = outcome.instants if outcome else None
    if accepted:
        detail = (f"a forged admin session token signed with the public key {accepted[0]!r} is accepted: anyone can "
                  "sign in as any user (Open WebUI 0.12 also compares the user's id and session_stamp, which any "
                  "token of that user reveals, even an expired one)")
        return _result(6, "fail", detail, "OW201", instants)
    return _result(6, "pass", f"tokens signed with each of the {len(forgers)} publicly known default keys are "
                   "refused (InvalidSignatureError)", None, instants)


def _algorithm_confusion(setup: Setup, second: int) -> Check:
    now = _at(second)
    claims = {**session_data(now, mfa_verified=True), "exp": now + FORGED_LIFETIME, "jti": str(uuid.uuid4()), "iat": now}
    tries = {
        "alg none, unsigned": jwt.encode(claims, None, algorithm="none"),
        "HS512 with the right key": jwt.encode(claims, setup.key.value, algorithm="HS512"),
    }
    outcomes = {name: _verify(setup.server(), token) for name, token in tries.items()}
    accepted = [name for name, outcome in outcomes.items() if outcome.verdict == ACCEPTED]
    detail = "; ".join(f"{name}: {outcome.verdict}" for name, outcome in outcomes.items())
    if accepted:
        detail += f" (the server accepts algorithms {list(setup.server().algorithms)}, Open WebUI only {ALGORITHM})"
    return _result(7, "fail" if accepted else "pass", detail, None, next(iter(outcomes.values())).instants)


_NAMES = {
    1: ("fresh-token", "a token issued now is accepted, and exp - iat is the lifetime in whole seconds"),
    2: ("before-expiry", "a token issued (lifetime - margin) ago is still accepted"),
    3: ("after-expiry", "a token issued (lifetime + margin) ago is refused with ExpiredSignatureError"),
    4: ("ten-years-old", "a token issued ten years ago is refused (no exp: allowed only by policy)"),
    5: ("not-expired-at-issue", "a token is not already expired when it is issued (negative lifetime)"),
    6: ("forgery", "tokens signed with each publicly known default key are refused"),
    7: ("algorithm-confusion", "an unsigned alg none token and an HS512 token with the right key are refused"),
}
_CHECKS = (_fresh, _before_expiry, _after_expiry, _ten_years, _not_expired_at_issue, _forgery, _algorithm_confusion)
