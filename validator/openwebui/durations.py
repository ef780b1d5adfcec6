"""Open WebUI's `parse_duration`, reproduced exactly, and an explanation of what it made of a value.

Open WebUI (every release from 0.3 to 0.12.4, `open_webui/utils/misc.py`) reads JWT_EXPIRES_IN with
an *unanchored* `re.findall`, so text around and between number-unit pairs is silently dropped:
`1mo` is one minute. The explanation keeps what was read and what was ignored, so messages can say
what Open WebUI will really do.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal

# Open WebUI's pattern, verbatim. `\d` is Unicode-aware here exactly as it is in Open WebUI.
PATTERN = re.compile(r"(-?\d+(\.\d+)?)(ms|s|m|h|d|w)")
# The same matches in linear time. PATTERN tried at every position of a run of n digits with no
# unit after it scans to the run's end each time: O(n²), 34 s for 20,000 digits. A match that
# fails from the first digit of a run fails from every later one (same end, no unit), and one that
# succeeds consumes the run, so a match never has to start after a digit: the lookbehind skips
# those starts without changing a single match (tests/openwebui/test_durations.py compares them).
_LINEAR = re.compile(r"(-?(?<!\d)\d+(\.\d+)?)(ms|s|m|h|d|w)")
# What the Admin Panel accepts (`open_webui/routers/auths.py`, used with re.match).
ADMIN_PANEL_PATTERN = re.compile(r"^(-1|0|(-?\d+(\.\d+)?)(ms|s|m|h|d|w))$")
NO_EXPIRY_STRINGS = ("-1", "0")

_UNIT_KEYWORD = {"ms": "milliseconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(duration: str) -> timedelta | None:
    """Open WebUI's function: None means no expiry; raises ValueError (or OverflowError) when rejected."""
    if duration in NO_EXPIRY_STRINGS:
        return None
    matches = _LINEAR.findall(duration)
    if not matches:
        raise ValueError("Invalid duration string")
    total = timedelta()
    for number, _, unit in matches:
        total += timedelta(**{_UNIT_KEYWORD[unit]: float(number)})
    return total


Outcome = Literal["rejected", "never", "negative", "lifetime"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the value: [start, end) in characters."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Reading:
    """What Open WebUI makes of one JWT_EXPIRES_IN value."""

    raw: str
    outcome: Outcome
    delta: timedelta | None
    # The number-unit pairs Open WebUI added up, and the text between them that it ignored.
    matched: tuple[Span, ...]
    ignored: tuple[Span, ...]
    # Why it is rejected or never expires, in words.
    reason: str
    admin_panel_savable: bool

    @property
    def seconds(self) -> float | None:
        return None if self.delta is None else self.delta.total_seconds()

    @property
    def meaningful_ignored(self) -> tuple[Span, ...]:
        """Ignored text that changes the meaning: anything but whitespace between the pairs."""
        return tuple(span for span in self.ignored if span.text.strip())


@lru_cache(maxsize=4096)
def explain(raw: str) -> Reading:
    """What Open WebUI makes of a value; once per distinct value in a run (a pure function of it)."""
    savable = ADMIN_PANEL_PATTERN.match(raw) is not None
    if raw in NO_EXPIRY_STRINGS:
        return Reading(raw, "never", None, (), (), f"`{raw}` is Open WebUI's special value for no expiry", savable)
    matched: list[Span] = []
    ignored: list[Span] = []
    position = 0
    for match in _LINEAR.finditer(raw):
        if match.start() > position:
            ignored.append(Span(position, match.start(), raw[position : match.start()]))
        matched.append(Span(match.start(), match.end(), match.group(0)))
        position = match.end()
    if position < len(raw):
        ignored.append(Span(position, len(raw), raw[position:]))
    if not matched:
        reason = "it is empty" if raw == "" else "it has no number followed by a unit: ms, s, m, h, d or w"
        return Reading(raw, "rejected", None, (), tuple(ignored), reason, savable)
    try:
        delta = parse_duration(raw)
        assert delta is not None
        # create_token adds the delta to the current time; PyJWT then needs a representable date.
        _ = datetime.now(timezone.utc) + delta
    except OverflowError:
        return Reading(raw, "rejected", None, tuple(matched), tuple(ignored),
                       "the lifetime is too large to add to the current date (OverflowError)", savable)
    if not delta:
        return Reading(raw, "never", delta, tuple(matched), tuple(ignored),
                       "the total is zero, and a zero lifetime means the token gets no `exp` claim", savable)
    outcome: Outcome = "negative" if delta < timedelta(0) else "lifetime"
    return Reading(raw, outcome, delta, tuple(matched), tuple(ignored), "", savable)


_WORD_UNITS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


_PIECES_SHOWN = 5


def ignored_parts(reading: Reading) -> str:
    """The ignored parts of a value, quoted for a message; not shown when the value holds a secret
    (`JWT_EXPIRES_IN=4w WEBUI_SECRET_KEY=...` pasted on one line)."""
    from validator.redaction import holds_secret, quote

    if holds_secret(reading.raw):
        return "the rest of the value (not shown: it holds a secret)"
    pieces = reading.meaningful_ignored  # a long value can have thousands: a few, with a count
    shown = ", ".join(quote(span.text) for span in pieces[:_PIECES_SHOWN])
    return shown + (f" and {len(pieces) - _PIECES_SHOWN} more" if len(pieces) > _PIECES_SHOWN else "")


def in_words(seconds: float) -> str:
    """`5400` -> `1 hour 30 minutes`; sub-second and fractional remainders are kept exact."""
    if seconds < 0:
        return "minus " + in_words(-seconds)
    if seconds < 1:
        millis = round(seconds * 1000, 3)
        return f"{millis:g} millisecond" + ("" if millis == 1 else "s")
    whole = int(seconds)
    parts = []
    for name, size in _WORD_UNITS:
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count} {name}" + ("" if count == 1 else "s"))
    fraction = seconds - int(seconds)
    if fraction:
        # Keep microseconds: rounding to whole ms printed `1 second 1000 ms` or `1 second 0 ms`.
        parts.append(f"{round(fraction * 1000, 3):g} ms")
    return " ".join(parts)


def canonical(seconds: float) -> str:
    """The shortest single-unit value the Admin Panel can also save: `5400` -> `90m` (finite seconds only)."""
    if seconds != int(seconds) or seconds == 0:
        # Fractional ms are kept (`0.5ms`): rounding to whole ms turned 500 µs into `0ms`, i.e. never.
        millis = f"{round(seconds * 1000, 3):f}".rstrip("0").rstrip(".")
        return f"{millis}ms"
    whole = int(seconds)
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{whole}s"


_UNIT_FIXES = {
    "H": "h", "D": "d", "W": "w", "S": "s", "MS": "ms", "Ms": "ms",
    "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "day": "d", "days": "d", "week": "w", "weeks": "w",
}
_LONG_UNITS = {"M": 4, "mo": 4, "month": 4, "months": 4, "y": 52, "Y": 52, "yr": 52, "year": 52, "years": 52}
_NUMBER_AND_WORD = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def suggest(raw: str) -> str | None:
    """A value Open WebUI reads the way the author meant, or None when there is no safe guess."""
    found = _NUMBER_AND_WORD.match(raw)
    if not found:
        return None
    number, word = found.groups()
    if not word:
        # A bare number is seconds everywhere else (the old docs said so too).
        seconds = float(number)
        return canonical(seconds) if 0 < seconds < math.inf else None
    if word in _UNIT_FIXES:
        return f"{number}{_UNIT_FIXES[word]}"
    if word in _LONG_UNITS and float(number).is_integer():
        weeks = int(float(number)) * _LONG_UNITS[word]
        return f"{weeks}w"
    if word in ("ms", "s", "m", "h", "d", "w"):
        return f"{number}{word}"
    return None


def fix(raw: str) -> tuple[str, bool] | None:
    """(the value to write instead, whether the author's intent is certain), or None when no fix is:
    a misspelt unit (`1H`, `7days`) or a space (`30 d`) is certain; a bare number (`3600`) guesses
    seconds; months and years (`1mo`) have no exact length and get no fix."""
    found = _NUMBER_AND_WORD.match(raw)
    if not found:
        return None
    number, word = found.groups()
    if not word:
        return (f"{number}s", False) if float(number) > 0 and raw.strip() == number else None
    if word in _UNIT_FIXES:
        return f"{number}{_UNIT_FIXES[word]}", True
    if word in ("ms", "s", "m", "h", "d", "w") and raw != f"{number}{word}":
        return f"{number}{word}", True
    return None


def truncated_lifetime(delta: timedelta) -> int:
    """`exp - iat` of a token issued now, in whole seconds, as PyJWT writes them (both truncated)."""
    now = datetime.now(timezone.utc)
    return math.floor((now + delta).timestamp()) - math.floor(now.timestamp())
