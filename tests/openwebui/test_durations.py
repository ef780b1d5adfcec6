"""JWT_EXPIRES_IN: our reading must be exactly Open WebUI's (../shared/openwebui-behaviour.md).

The table covers every example value of the shared document; the property tests compare
`parse_duration` and `explain()` with a straight transcription of Open WebUI's function, kept here
on purpose so that a change to `durations.py` cannot silently change both sides.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from validator.openwebui import durations as reading_module
from validator.openwebui.durations import (
    ADMIN_PANEL_PATTERN,
    canonical,
    explain,
    in_words,
    parse_duration,
    suggest,
    truncated_lifetime,
)


# --- Open WebUI's function, transcribed from open_webui/utils/misc.py (0.3 to 0.12.4) -----------
def owui_parse_duration(duration: str) -> Optional[timedelta]:
    if duration == "-1" or duration == "0":
        return None

    pattern = r"(-?\d+(\.\d+)?)(ms|s|m|h|d|w)"
    matches = re.findall(pattern, duration)

    if not matches:
        raise ValueError("Invalid duration string")

    total_duration = timedelta()

    for number, _, unit in matches:
        number = float(number)
        if unit == "ms":
            total_duration += timedelta(milliseconds=number)
        elif unit == "s":
            total_duration += timedelta(seconds=number)
        elif unit == "m":
            total_duration += timedelta(minutes=number)
        elif unit == "h":
            total_duration += timedelta(hours=number)
        elif unit == "d":
            total_duration += timedelta(days=number)
        elif unit == "w":
            total_duration += timedelta(weeks=number)

    return total_duration


# The Admin Panel's check (open_webui/routers/auths.py), as the document states it.
OWUI_ADMIN_PANEL = r"^(-1|0|(-?\d+(\.\d+)?)(ms|s|m|h|d|w))$"


# --- Every example of the shared document ------------------------------------------------------
# raw, outcome, seconds, ignored texts in order, admin_panel_savable
DOCUMENT_EXAMPLES: list[tuple[str, str, float | None, tuple[str, ...], bool]] = [
    # no unit: HTTP 500 for every user
    ("3600", "rejected", None, ("3600",), False),
    # space between number and unit
    ("30 d", "rejected", None, ("30 d",), False),
    # units are case-sensitive; y and M are not units
    ("1H", "rejected", None, ("1H",), False),
    ("1D", "rejected", None, ("1D",), False),
    ("1W", "rejected", None, ("1W",), False),
    ("1y", "rejected", None, ("1y",), False),
    ("1M", "rejected", None, ("1M",), False),
    # set but empty is rejected, not "unset"
    ("", "rejected", None, (), False),
    # unanchored: the rest is silently dropped
    ("1mo", "lifetime", 60.0, ("o",), False),
    ("1month", "lifetime", 60.0, ("onth",), False),
    ("7days", "lifetime", 7 * 86400.0, ("ays",), False),
    ("1h garbage", "lifetime", 3600.0, (" garbage",), False),
    # compound and fractional values
    ("1h30m", "lifetime", 5400.0, (), False),
    ("1.5h", "lifetime", 5400.0, (), True),
    # only the exact strings -1 and 0 mean no expiry
    ("-1", "never", None, (), True),
    ("0", "never", None, (), True),
    ("-1 ", "rejected", None, ("-1 ",), False),
    (" 0", "rejected", None, (" 0",), False),
    # a zero total is falsy in create_token: no `exp` claim
    ("0s", "never", 0.0, (), True),
    ("0h", "never", 0.0, (), True),
    ("0m0s", "never", 0.0, (), False),
    # negative: expired when issued
    ("-5m", "negative", -300.0, (), True),
    # sub-second
    ("500ms", "lifetime", 0.5, (), True),
    # observed table and defaults
    (" 2h ", "lifetime", 7200.0, (" ", " "), False),
    ("4w", "lifetime", 2419200.0, (), True),
    ("2h", "lifetime", 7200.0, (), True),
]


@pytest.mark.parametrize(("raw", "outcome", "seconds", "ignored", "savable"), DOCUMENT_EXAMPLES,
                         ids=[repr(row[0]) for row in DOCUMENT_EXAMPLES])
def test_document_example(raw: str, outcome: str, seconds: float | None, ignored: tuple[str, ...],
                          savable: bool) -> None:
    reading = explain(raw)
    assert reading.raw == raw
    assert reading.outcome == outcome
    assert reading.seconds == seconds
    assert tuple(span.text for span in reading.ignored) == ignored
    assert reading.admin_panel_savable is savable
    # Rejected and never-expiring values always say why.
    assert bool(reading.reason) == (outcome in ("rejected", "never"))


@pytest.mark.parametrize(("raw", "outcome", "seconds", "ignored", "savable"), DOCUMENT_EXAMPLES,
                         ids=[repr(row[0]) for row in DOCUMENT_EXAMPLES])
def test_document_example_parse_duration(raw: str, outcome: str, seconds: float | None,
                                         ignored: tuple[str, ...], savable: bool) -> None:
    if outcome == "rejected":
        with pytest.raises(ValueError):
            parse_duration(raw)
    elif seconds is None:
        assert parse_duration(raw) is None
    else:
        assert parse_duration(raw) == timedelta(seconds=seconds)


def test_ignored_spans_positions_and_meaning() -> None:
    reading = explain("1h garbage")
    assert [(s.start, s.end, s.text) for s in reading.matched] == [(0, 2, "1h")]
    assert [(s.start, s.end, s.text) for s in reading.ignored] == [(2, 10, " garbage")]
    assert [s.text for s in reading.meaningful_ignored] == [" garbage"]
    # Whitespace around the value changes nothing.
    assert explain(" 2h ").meaningful_ignored == ()
    assert [s.text for s in explain("1mo").meaningful_ignored] == ["o"]
    assert [s.text for s in explain("1h30m").matched] == ["1h", "30m"]


def test_empty_and_unitless_reasons_differ() -> None:
    assert "empty" in explain("").reason
    assert "unit" in explain("3600").reason


def test_overflow_is_rejected() -> None:
    # timedelta itself overflows, and so does now + delta near the limits.
    assert explain("99999999999w").outcome == "rejected"
    assert explain("-99999999w").outcome == "rejected"
    assert explain("9" * 400 + "s").outcome == "rejected"
    with pytest.raises(OverflowError):
        owui_parse_duration("99999999999w")


def test_unicode_digits_are_digits_like_in_open_webui() -> None:
    assert explain("٣h").seconds == 3 * 3600.0
    assert explain("٣.٥m").seconds == 210.0
    # Superscripts are not \d.
    assert explain("²h").outcome == "rejected"


# --- Property: same as Open WebUI on anything --------------------------------------------------
UNICODE_DIGITS = ["٣", "١", "۵", "१", "０", "𝟗"]
PIECES = (
    list("0123456789") + UNICODE_DIGITS
    + ["-", "+", ".", " ", "\t", "\n", "²", "e", "x", "_", ",", "é"]
    + list("msMhHdDwWontyS")
)
digit_strings = st.text(alphabet=list("0123456789") + UNICODE_DIGITS, min_size=1, max_size=20)
number_unit = st.builds(
    lambda sign, whole, fraction, space, unit: f"{sign}{whole}{fraction}{space}{unit}",
    st.sampled_from(["", "", "-", "+"]),
    digit_strings,
    st.one_of(st.just(""), digit_strings.map(lambda d: "." + d), st.just(".")),
    st.sampled_from(["", "", "", " "]),
    st.sampled_from(["ms", "s", "m", "h", "d", "w", "M", "H", "mo", "month", "days", "y", "W", ""]),
)
built_values = st.lists(st.one_of(st.sampled_from(PIECES), number_unit), max_size=8).map("".join)
durations = st.one_of(
    built_values,
    st.text(),
    st.sampled_from([row[0] for row in DOCUMENT_EXAMPLES]),
    st.sampled_from(["-1", "0", "-1\n", "0\n", "1h\n", "-0s", "99999999999w", "-99999999w"]),
)

PROPERTY_SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _owui(raw: str) -> tuple[Optional[timedelta], type[BaseException] | None]:
    try:
        return owui_parse_duration(raw), None
    except (ValueError, OverflowError) as error:
        return None, type(error)


@PROPERTY_SETTINGS
@given(durations)
@example("1e5s")
@example("٣.٥m")
@example("9" * 400 + "s")
def test_parse_duration_matches_open_webui(raw: str) -> None:
    expected, expected_error = _owui(raw)
    try:
        actual, actual_error = parse_duration(raw), None
    except (ValueError, OverflowError) as error:
        actual, actual_error = None, type(error)
    assert actual_error is expected_error
    assert actual == expected
    if expected_error is None and expected is not None:
        assert type(actual) is timedelta


@PROPERTY_SETTINGS
@given(durations)
@example("99999999999w")
@example("-99999999w")
@example("0m0s")
@example("-0s")
def test_explain_matches_open_webui(raw: str) -> None:
    expected, error = _owui(raw)
    add_overflows = False
    if error is None and expected:
        try:
            datetime.now(timezone.utc) + expected  # create_token's `exp`
        except OverflowError:
            add_overflows = True
    reading = explain(raw)

    assert (reading.outcome == "rejected") == (error is not None or add_overflows)
    if reading.outcome == "rejected":
        assert reading.delta is None and reading.seconds is None
        return
    assert (reading.outcome == "never") == (expected is None or expected == timedelta(0))
    assert reading.delta == expected
    if expected is not None:
        assert reading.seconds == expected.total_seconds()
    if expected is not None and expected < timedelta(0):
        assert reading.outcome == "negative"
    elif expected:
        assert reading.outcome == "lifetime"
        assert reading.seconds == expected.total_seconds() > 0


@PROPERTY_SETTINGS
@given(durations)
def test_explain_admin_panel_savable(raw: str) -> None:
    assert explain(raw).admin_panel_savable == (re.match(OWUI_ADMIN_PANEL, raw) is not None)


@PROPERTY_SETTINGS
@given(durations)
def test_spans_reassemble_the_value(raw: str) -> None:
    reading = explain(raw)
    if raw in ("-1", "0"):
        # The special strings are never run through the pattern: nothing matched, nothing ignored.
        assert reading.matched == () and reading.ignored == ()
        return
    spans = sorted((*reading.matched, *reading.ignored), key=lambda span: span.start)
    assert "".join(span.text for span in spans) == raw
    position = 0
    for span in spans:
        assert span.start == position < span.end
        assert raw[span.start:span.end] == span.text
        position = span.end
    assert position == len(raw)
    matched_texts = [span.text for span in reading.matched]
    assert matched_texts == ["".join(match[0] + match[2]) for match in re.findall(
        r"(-?\d+(\.\d+)?)(ms|s|m|h|d|w)", raw)]
    # Ignored text holds no number-unit pair: Open WebUI read everything it could.
    for span in reading.ignored:
        assert re.search(r"(-?\d+(\.\d+)?)(ms|s|m|h|d|w)", span.text) is None
    # Two ignored spans are never adjacent (one ignored span between matches).
    kinds = ["m" if span in reading.matched else "i" for span in spans]
    assert "ii" not in "".join(kinds)


# --- in_words, canonical, suggest, truncated_lifetime -------------------------------------------
@pytest.mark.parametrize(("seconds", "words"), [
    (5400, "1 hour 30 minutes"),
    (60, "1 minute"),
    (7200, "2 hours"),
    (2419200, "4 weeks"),
    (604800, "1 week"),
    (90061, "1 day 1 hour 1 minute 1 second"),
    (0.5, "500 milliseconds"),
    (0.001, "1 millisecond"),
    (0.0005, "0.5 milliseconds"),
    (-300, "minus 5 minutes"),
    (1.5, "1 second 500 ms"),
    (1.9996, "1 second 999.6 ms"),
    (1.0004, "1 second 0.4 ms"),
])
def test_in_words(seconds: float, words: str) -> None:
    assert in_words(seconds) == words


@pytest.mark.parametrize(("seconds", "value"), [
    (3600, "1h"),
    (5400, "90m"),
    (86400, "1d"),
    (604800, "1w"),
    (2419200, "4w"),
    (61, "61s"),
    (-300, "-5m"),
    (1.5, "1500ms"),
    (0.5, "500ms"),
    (0.0005, "0.5ms"),
])
def test_canonical(seconds: float, value: str) -> None:
    assert canonical(seconds) == value
    assert ADMIN_PANEL_PATTERN.match(value)
    assert owui_parse_duration(value) == timedelta(seconds=seconds)


@settings(max_examples=300, deadline=None)
@given(st.timedeltas(min_value=timedelta(days=-3650), max_value=timedelta(days=3650)))
def test_canonical_round_trips_through_open_webui(delta: timedelta) -> None:
    value = canonical(delta.total_seconds())
    assert re.match(OWUI_ADMIN_PANEL, value)
    assert owui_parse_duration(value) == delta


@pytest.mark.parametrize(("raw", "suggestion"), [
    ("3600", "1h"),
    ("1H", "1h"),
    ("1D", "1d"),
    ("1W", "1w"),
    ("30 d", "30d"),
    ("1y", "52w"),
    ("1M", "4w"),
    ("1mo", "4w"),
    ("1month", "4w"),
    ("7days", "7d"),
    (" 2h ", "2h"),
    ("1.5H", "1.5h"),
    ("2 hours", "2h"),
    ("", None),
    ("1h garbage", None),
    ("-1 ", None),
    (" 0", None),
    ("1.5y", None),
    ("soon", None),
])
def test_suggest(raw: str, suggestion: str | None) -> None:
    assert suggest(raw) == suggestion
    if suggestion is not None:
        reading = explain(suggestion)
        assert reading.outcome == "lifetime"
        assert reading.admin_panel_savable
        assert reading.meaningful_ignored == ()


def test_truncated_lifetime() -> None:
    assert truncated_lifetime(timedelta(milliseconds=500)) in (0, 1)
    assert truncated_lifetime(timedelta(hours=1)) == 3600
    assert truncated_lifetime(timedelta(minutes=-5)) == -300
    assert truncated_lifetime(timedelta(seconds=1.5)) in (1, 2)
    assert truncated_lifetime(timedelta(0)) == 0


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789٣.-mshdwx ", max_size=40))
def test_the_linear_pattern_finds_exactly_open_webuis_matches(text: str) -> None:
    """durations reads with an equivalent of Open WebUI's pattern that skips starts after a digit."""
    linear = [(m.span(), m.groups()) for m in reading_module._LINEAR.finditer(text)]
    assert linear == [(m.span(), m.groups()) for m in reading_module.PATTERN.finditer(text)]


def test_a_long_digit_run_without_a_unit_is_read_in_linear_time() -> None:
    import time

    started = time.perf_counter()
    reading = reading_module.explain("1" * 200_000 + "x")  # Open WebUI's own pattern: minutes
    assert reading.outcome == "rejected" and time.perf_counter() - started < 5


def test_each_distinct_lifetime_is_read_once_per_run(tmp_path, monkeypatch) -> None:
    """40 env files with 3 distinct JWT_EXPIRES_IN values: three readings."""
    from validator import engine
    from validator.openwebui import durations

    seen: list[str] = []
    monkeypatch.setattr(durations, "parse_duration", lambda raw, parse=durations.parse_duration: seen.append(raw)
                        or parse(raw))
    durations.explain.cache_clear()
    lifetimes = ["12h", "1mo", "3600"]
    for number in range(40):
        key = f"{number:02d}f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9"
        (tmp_path / f"team-{number:02d}.env").write_text(f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN={lifetimes[number % 3]}\n")
    engine.check([str(tmp_path)])
    assert "12h" in seen and "1mo" in seen and len(seen) == len(set(seen))  # each once, not 40 times
