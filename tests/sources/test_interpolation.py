"""Compose interpolation: every operator, nesting, unresolved reasons, and the `whole` marker."""

from __future__ import annotations

import sys
import time

import pytest

from validator.sources.interpolation import Interpolated, has_references, interpolate

ENV = {"FOO": "first", "BAR": "", "lower": "low"}
SECRET = "hunter2-Sup3rSecretKeyValue"


def lookup(name: str) -> str | None:
    return ENV.get(name)


def value(text: str) -> str | None:
    return interpolate(text, lookup).value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("$${FOO}", "${FOO}"),
        ("a$$b", "a$b"),
        ("$$$FOO", "$first"),
        ("$FOO", "first"),
        ("${FOO}", "first"),
        ("$lower", "low"),
        ("x${FOO}y", "xfirsty"),
        ("$FOO-bar", "first-bar"),
        ("$FOO.bar", "first.bar"),
        ("a $ string", "a $ string"),
        ("^REGEX$", "^REGEX$"),
        ("$}", "$}"),
        ("$", "$"),
        ("$1", "$1"),
        ("{FOO}", "{FOO}"),
        ("}", "}"),
    ],
)
def test_plain_references_and_literal_dollars(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok ${missing:-def}", "ok def"),
        ("ok ${BAR:-def}", "ok def"),
        ("ok ${FOO:-def}", "ok first"),
        ("ok ${missing-def}", "ok def"),
        ("ok ${BAR-def}", "ok "),
        ("ok ${FOO-def}", "ok first"),
        ("ok ${missing:+alt}", "ok "),
        ("ok ${BAR:+alt}", "ok "),
        ("ok ${FOO:+alt}", "ok alt"),
        ("ok ${missing+alt}", "ok "),
        ("ok ${BAR+alt}", "ok alt"),
        ("ok ${FOO+alt}", "ok alt"),
        ("ok ${FOO:?err}", "ok first"),
        ("ok ${FOO?err}", "ok first"),
        ("ok ${BAR?err}", "ok "),
        ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
        ("${missing-myerror?msg}", "myerror?msg"),
        ("${FOO?bar-baz}", "first"),
        ("${BAR:-}", ""),
        ("${BAR-}", ""),
        ("${missing:-a b  c}", "a b  c"),
        ("${missing:-{x}}", "{x}"),
        ("${missing:-$${x}}", "${x}"),
        ("${missing:-$$}", "$"),
    ],
)
def test_operators(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize("text", ["${missing:-}", "${missing-}", "x${missing:-}y"])
def test_an_empty_default_without_a_value_comes_from_the_deploying_environment(text: str) -> None:
    result = interpolate(text, lookup)
    assert result.value is None
    assert result.unresolved == "${missing} has an empty default and comes from the environment that runs compose"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok ${missing-$FOO}", "ok first"),
        ("ok ${missing-${FOO}}", "ok first"),
        ("ok ${missing-${FOO} ${FOO}}", "ok first first"),
        ("ok ${BAR:-$FOO}", "ok first"),
        ("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"),
        ("+ok ${missing:-${BAR-defaultValue}}", "+ok "),
        ("${A:-${B:-x}}", "x"),
        ("${A:-${B:-${FOO}}}-${C:-z}", "first-z"),
        ("${A:-pre ${B:-${C:-deep}} post}", "pre deep post"),
    ],
)
def test_nested_defaults(text: str, expected: str) -> None:
    assert value(text) == expected


def test_unset_reference_is_unresolved_with_reason() -> None:
    assert interpolate("key=${WEBUI_SECRET_KEY}", lookup) == Interpolated(
        None, "${WEBUI_SECRET_KEY} has no value here and no default", ("WEBUI_SECRET_KEY",)
    )
    assert interpolate("$WEBUI_SECRET_KEY", lookup).unresolved == "${WEBUI_SECRET_KEY} has no value here and no default"


def test_empty_value_is_a_value() -> None:
    assert interpolate("${BAR}", lookup) == Interpolated("", "", ("BAR",), "BAR")


@pytest.mark.parametrize("text", ["${MISSING:?set it}", "${MISSING?set it}", "${BAR:?}", "x${MISSING?}"])
def test_required_is_unresolved(text: str) -> None:
    name = "BAR" if "BAR" in text else "MISSING"
    result = interpolate(text, lookup)
    assert result.value is None
    assert result.unresolved == f"${{{name}}} is required at deploy time and has no value here"


def test_unresolved_inside_unused_default_does_not_matter() -> None:
    assert interpolate("${FOO:-${MISSING}}", lookup) == Interpolated("first", "", ("FOO", "MISSING"), "FOO")


def test_unresolved_inside_used_default_propagates() -> None:
    result = interpolate("${A:-x${MISSING}y}", lookup)
    assert result == Interpolated(None, "${MISSING} has no value here and no default", ("A", "MISSING"))


def test_first_reason_wins() -> None:
    assert interpolate("${ONE}${TWO}", lookup).unresolved == "${ONE} has no value here and no default"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("${", "unterminated ${"),
        ("abc ${FOO", "unterminated ${ for FOO: no closing }"),
        ("${FOO:-x", "unterminated ${ for FOO: no closing }"),
        ("${A:-${B:-x}", "unterminated ${ for A: no closing }"),
        ("${A:-{x}", "unterminated ${ for A: no closing }"),
        ("${}", "invalid interpolation: ${ must be followed by a variable name"),
        ("${ FOO}", "invalid interpolation: ${ must be followed by a variable name"),
        ("${1X}", "invalid interpolation: ${ must be followed by a variable name"),
        ("${FOO }", "invalid interpolation after ${FOO: expected }, :-, -, :?, ?, :+ or +"),
        ("${FOO!}", "invalid interpolation after ${FOO: expected }, :-, -, :?, ?, :+ or +"),
        ("${FOO:x}", "invalid interpolation after ${FOO: expected }, :-, -, :?, ?, :+ or +"),
    ],
)
def test_syntax_errors_are_unresolved(text: str, reason: str) -> None:
    result = interpolate(text, lookup)
    assert (result.value, result.unresolved, result.whole) == (None, reason, None)


def test_references_in_order_without_duplicates() -> None:
    result = interpolate("$B ${A:-${C}} $B $$D ${E+x}", lookup)
    assert result.references == ("B", "A", "C", "E")


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("${FOO}", "FOO"),
        ("$FOO", "FOO"),
        ("${FOO:-d}", "FOO"),
        ("${FOO-d}", "FOO"),
        ("${FOO:?e}", "FOO"),
        ("${FOO?e}", "FOO"),
        ("${BAR-d}", "BAR"),
        ("${BAR:-d}", None),  # the default, not the variable, gives the value
        ("${missing:-${FOO}}", None),
        ("${FOO:+alt}", None),
        ("${FOO+alt}", None),
        ("x${FOO}", None),
        ("${FOO}x", None),
        ("${FOO}${FOO}", None),
        ("$FOO$FOO", None),
        ("${MISSING}", None),
        ("plain", None),
    ],
)
def test_whole(text: str, whole: str | None) -> None:
    assert interpolate(text, lookup).whole == whole


def test_lookup_is_the_only_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONLY_IN_OS_ENVIRON", "leaked")
    asked: list[str] = []

    def recording(name: str) -> str | None:
        asked.append(name)
        return None

    result = interpolate("${ONLY_IN_OS_ENVIRON}", recording)
    assert result.value is None
    assert asked == ["ONLY_IN_OS_ENVIRON"]


def test_500_deep_nested_default_is_fast() -> None:
    depth = 500
    text = "${V:-" * depth + "bottom" + "}" * depth
    started = time.perf_counter()
    result = interpolate(text, lookup)
    elapsed = time.perf_counter() - started
    assert result.value == "bottom"
    assert result.references == ("V",)
    assert elapsed < 0.25


def test_nesting_beyond_the_recursion_limit() -> None:
    depth = sys.getrecursionlimit() * 5
    names = [f"V{i}" for i in range(depth)]
    text = "".join(f"${{{name}:-" for name in names) + "x" + "}" * depth
    result = interpolate(text, lookup)
    assert result.value == "x"
    assert len(result.references) == depth


def test_long_default_under_deep_nesting_stays_linear() -> None:
    depth, size = 2000, 1_000_000
    text = "${V:-" * depth + "y" * size + "}" * depth
    started = time.perf_counter()
    result = interpolate(text, lookup)
    assert time.perf_counter() - started < 0.5
    assert result.value == "y" * size


def test_secret_values_never_appear_in_reasons() -> None:
    def secret_lookup(name: str) -> str | None:
        return SECRET if name == "WEBUI_SECRET_KEY" else None

    for text in ("${WEBUI_SECRET_KEY}${MISSING}", "${WEBUI_SECRET_KEY:+x}${OTHER:?}", "$WEBUI_SECRET_KEY ${X"):
        result = interpolate(text, secret_lookup)
        assert result.value is None
        assert result.unresolved
        assert SECRET not in result.unresolved


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", False),
        ("a$$b", False),
        ("$$$$", False),
        ("a $ b", False),
        ("$", False),
        ("$FOO", True),
        ("${FOO}", True),
        ("${", True),
        ("$$$FOO", True),
        ("x$$y$_z", True),
    ],
)
def test_has_references(text: str, expected: bool) -> None:
    assert has_references(text) is expected
