"""The validator's prediction beside what a release's own code does, value by value.

For each JWT_EXPIRES_IN value (the deployments' and the ones Open WebUI's behaviour turns on), the
release's `parse_duration` and `create_token` (validator.harness.openwebui_code) issue a token and
real PyJWT decodes it with the release's algorithm; the outcome (rejected, no expiry, expired at
issue, a lifetime) and `exp - iat` must be what validator.openwebui.durations predicts. A
difference means the validator misreads that release: the check fails.
"""

from __future__ import annotations

import math
import time

import jwt

from validator.harness.model import CodeCheck
from validator.harness.openwebui_code import ReleaseCode
from validator.harness.tokens import quiet_key_warnings
from validator.openwebui import durations

# The values behind each fact of openwebui-behaviour.md (the table observed on a real server).
BEHAVIOUR_VALUES = ("4w", "12h", "1h30m", "1.5h", " 2h ", "1mo", "7days", "1h garbage", "3600", "30 d", "1H", "",
                    "-1", "0", "-1 ", "0s", "-5m", "500ms")


def run(code: ReleaseCode, values: list[tuple[str, str]]) -> list[CodeCheck]:
    """`values` are (value, where it comes from); each distinct value is checked once."""
    seen: dict[str, str] = {}
    for value, source in [*values, *((value, "openwebui-behaviour.md") for value in BEHAVIOUR_VALUES)]:
        seen.setdefault(value, source)
    with quiet_key_warnings():
        return [_check(code, value, source) for value, source in seen.items()]


# ("rejected" | "never" | "lifetime" | "expired", exp - iat in whole seconds)
Outcome = tuple[str, int | None]


def _check(code: ReleaseCode, value: str, source: str) -> CodeCheck:
    predicted = _predicted(durations.explain(value))
    actual = _actual(code, value)
    if actual not in predicted:  # a second boundary between create_token's two clock reads: once more
        actual = _actual(code, value)
    return CodeCheck(value=value, source=source, release=_words(actual),
                     predicted=" or ".join(_words(outcome) for outcome in predicted),
                     status="pass" if actual in predicted else "fail")


def _predicted(reading: durations.Reading) -> list[Outcome]:
    """The outcomes the validator allows: PyJWT truncates `exp` and `iat` to whole seconds, so a
    fractional lifetime gives either whole second around it, depending on when in the second it ran."""
    if reading.outcome == "rejected":
        return [("rejected", None)]
    if reading.outcome == "never":
        return [("never", None)]
    assert reading.delta is not None
    seconds = reading.delta.total_seconds()
    whole = math.floor(seconds)
    spans = [whole] if seconds == whole else [whole, whole + 1]
    return [("expired" if span <= 0 else "lifetime", span) for span in spans]


def _words(outcome: Outcome) -> str:
    kind, span = outcome
    if kind == "rejected":
        return "rejected (no token is issued)"
    if kind == "never":
        return "no exp claim"
    return f"exp - iat = {span} s" + (", expired when issued" if kind == "expired" else "")


def _actual(code: ReleaseCode, value: str) -> Outcome:
    """What the release does with `value`: its parse_duration, its create_token, then PyJWT's decode."""
    try:
        delta = code.parse_duration(value)
        before = math.floor(time.time())
        token = code.create_token({"id": "crosscheck"}, delta)
    except (ValueError, OverflowError):
        return ("rejected", None)
    claims = jwt.decode(token, options={"verify_signature": False})
    if "exp" not in claims:
        return ("never", None)
    span = int(claims["exp"]) - int(claims.get("iat", before))  # releases before 0.12 write no iat
    try:
        jwt.decode(token, code.key, algorithms=[code.algorithm])
    except jwt.ExpiredSignatureError:
        return ("expired", span)
    return ("lifetime", span)
