"""The position-aware JSON parser: values, exact positions, and errors located where they are."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.location import Location
from validator.sources import jsonscan
from validator.sources.files import SourceError


def value_of(node: jsonscan.Node) -> object:
    """The node as json.loads would give it, to compare both parsers."""
    if node.kind == "object":
        return {key: value_of(child) for key, child in node.children}
    if node.kind == "array":
        return [value_of(child) for _, child in node.children]
    return node.value


def test_compact_export_value_located_inside_the_quotes() -> None:
    text = '{"ui.enable_signup":true,"auth.jwt_expiry":"1mo","n":null}'
    root = jsonscan.parse(text, "config.json")
    node = root.get("auth.jwt_expiry")
    assert node is not None and node.value == "1mo"
    assert jsonscan.location(text, "config.json", node) == Location("config.json", 1, 45, 1, 48)


def test_nested_pretty_printed_positions_count_characters() -> None:
    text = '{\n  "name": "é€",\n  "auth": {\n    "jwt_expiry": 3600\n  }\n}\n'
    root = jsonscan.parse(text, "x.json")
    auth = root.get("auth")
    assert auth is not None and auth.kind == "object"
    number = auth.get("jwt_expiry")
    assert number is not None and (number.kind, number.value) == ("number", 3600)
    assert jsonscan.location(text, "x.json", number) == Location("x.json", 4, 19, 4, 23)
    name = root.get("name")
    assert name is not None and jsonscan.location(text, "x.json", name) == Location("x.json", 2, 12, 2, 14)


def test_escapes_decoded_and_location_spans_the_written_text() -> None:
    text = '{"auth.jwt_expiry": "4\\u0077"}'
    node = jsonscan.parse(text, "e.json").get("auth.jwt_expiry")
    assert node is not None and node.value == "4w"
    assert jsonscan.location(text, "e.json", node) == Location("e.json", 1, 22, 1, 29)


def test_duplicate_keys_last_wins_like_json_loads() -> None:
    text = '{"k": "first", "k": "second"}'
    root = jsonscan.parse(text, "d.json")
    assert [key for key, _ in root.children] == ["k", "k"]
    node = root.get("k")
    assert node is not None and node.value == json.loads(text)["k"] == "second"


def test_literals_numbers_and_empty_containers() -> None:
    root = jsonscan.parse('{"a": [], "b": {}, "c": [true, false, null, -1.5e2, 0]}', "l.json")
    assert value_of(root) == {"a": [], "b": {}, "c": [True, False, None, -150.0, 0]}
    assert root.get("missing") is None


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{"a": 1,}', 1, 9, "expected a key in double quotes"),
        ('{"a" 1}', 1, 6, "expected ':' after the key"),
        ('{"a": 1 "b": 2}', 1, 9, "expected ',' or '}'"),
        ('[1 2]', 1, 4, "expected ',' or ']'"),
        ('{"a": "unterminated}', 1, 7, "unterminated string"),
        ('{\n  "a": NaN\n}', 2, 8, "expected a value"),
        ('{"a": 1} trailing', 1, 10, "unexpected text after the JSON document"),
        ('', 1, 1, "unexpected end of file"),
        ('{"a": 01}', 1, 8, "expected ',' or '}'"),
    ],
)
def test_syntax_errors_are_ow001_at_their_position(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        jsonscan.parse(text, "bad.json")
    finding = raised.value.finding
    assert (finding.code, finding.location.line, finding.location.column) == ("OW001", line, column)
    assert finding.message.startswith("invalid JSON: ") and message in finding.message


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    text = "[" * 5000 + "]" * 5000
    with pytest.raises(SourceError) as raised:
        jsonscan.parse(text, "deep.json")
    assert f"nested more than {jsonscan.MAX_DEPTH} levels deep" in raised.value.finding.message
    assert raised.value.finding.location.column == jsonscan.MAX_DEPTH + 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(json_values, st.booleans())
def test_agrees_with_json_loads(value: object, indent: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=False)
    assert value_of(jsonscan.parse(text, "h.json")) == json.loads(text)
