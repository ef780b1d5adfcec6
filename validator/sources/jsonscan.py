"""JSON with positions: every value keeps the offsets where it is written.

`json.loads` returns values without positions, and findings must point at the line and column of
the stored value. This is a small strict parser (RFC 8259, what `JSON.stringify` writes) that
reuses the standard library's C string scanner. Duplicate keys are kept in order; `get` returns the
last, as `json.loads` and `JSON.parse` do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from json import JSONDecodeError
from json.decoder import scanstring
from typing import Literal

from validator.location import Location
from validator.sources.files import SourceError, unreadable

NodeKind = Literal["object", "array", "string", "number", "true", "false", "null"]

# Deeper documents are refused rather than exhausting the stack (an export is about 4 levels deep).
MAX_DEPTH = 200

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS: tuple[tuple[NodeKind, object], ...] = (("true", True), ("false", False), ("null", None))

# Python's int() limit on digits (sys.get_int_max_str_digits), which json.loads meets too.
_MAX_INT_DIGITS = 4300


@dataclass(frozen=True, slots=True)
class Node:
    """One JSON value written at text[start:end]."""

    kind: NodeKind
    start: int
    end: int
    # The decoded value of a string, number, true, false or null; None for objects and arrays.
    value: object = None
    # Objects: (key, value) in the order written; arrays: (None, item).
    children: tuple[tuple[str | None, Node], ...] = field(default=())

    def get(self, key: str) -> Node | None:
        """The value of `key` in an object (the last one, if written twice); None if absent."""
        found = None
        for name, child in self.children:
            if name == key:
                found = child
        return found


def parse(text: str, path: str) -> Node:
    """The document's root value; raises SourceError (OW001) at the position of a syntax error."""
    parser = _Parser(text, path)
    node = parser.value(parser.skip(0), 0)
    end = parser.skip(node.end)
    if end != len(text):
        raise parser.error(end, "unexpected text after the JSON document")
    return node


def location(text: str, path: str, node: Node) -> Location:
    """Where a value is written; a string's location is its content, inside the quotes."""
    start, end = (node.start + 1, node.end - 1) if node.kind == "string" else (node.start, node.end)
    line, column = position(text, start)
    return Location.span(path, line, column, text[start:end])


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def error(self, offset: int, message: str) -> SourceError:
        line, column = position(self.text, offset)
        return unreadable(Location(self.path, line, column), f"invalid JSON: {message}")

    def skip(self, offset: int) -> int:
        return _SPACE.match(self.text, offset).end()  # type: ignore[union-attr]

    def value(self, offset: int, depth: int) -> Node:
        text = self.text
        if offset >= len(text):
            raise self.error(offset, "unexpected end of file, expected a value")
        char = text[offset]
        if char == '"':
            return self.string(offset)
        if char in "{[":
            if depth >= MAX_DEPTH:
                raise self.error(offset, f"nested more than {MAX_DEPTH} levels deep")
            return self.object(offset, depth) if char == "{" else self.array(offset, depth)
        for word, literal in _LITERALS:
            if text.startswith(word, offset):
                return Node(word, offset, offset + len(word), literal)
        number = _NUMBER.match(text, offset)
        if number:
            literal = number.group()
            if any(c in literal for c in ".eE"):
                return Node("number", offset, number.end(), float(literal))
            if len(literal) > _MAX_INT_DIGITS:
                raise self.error(offset, f"an integer of {len(literal)} digits: Python (and so Open WebUI) "
                                 f"reads at most {_MAX_INT_DIGITS}")
            return Node("number", offset, number.end(), int(literal))
        raise self.error(offset, "expected a value (string, number, object, array, true, false or null)")

    def string(self, offset: int) -> Node:
        try:
            decoded, end = scanstring(self.text, offset + 1, True)
        except JSONDecodeError as exc:
            raise self.error(exc.pos, exc.msg.lower()) from None
        return Node("string", offset, end, decoded)

    def object(self, offset: int, depth: int) -> Node:
        entries: list[tuple[str | None, Node]] = []
        at = self.skip(offset + 1)
        if self.text.startswith("}", at):
            return Node("object", offset, at + 1)
        while True:
            if not self.text.startswith('"', at):
                raise self.error(at, "expected a key in double quotes")
            key = self.string(at)
            at = self.skip(key.end)
            if not self.text.startswith(":", at):
                raise self.error(at, "expected ':' after the key")
            item = self.value(self.skip(at + 1), depth + 1)
            entries.append((key.value, item))  # type: ignore[arg-type]
            at = self.skip(item.end)
            if self.text.startswith("}", at):
                return Node("object", offset, at + 1, children=tuple(entries))
            if not self.text.startswith(",", at):
                raise self.error(at, "expected ',' or '}'")
            at = self.skip(at + 1)

    def array(self, offset: int, depth: int) -> Node:
        items: list[tuple[str | None, Node]] = []
        at = self.skip(offset + 1)
        if self.text.startswith("]", at):
            return Node("array", offset, at + 1)
        while True:
            item = self.value(at, depth + 1)
            items.append((None, item))
            at = self.skip(item.end)
            if self.text.startswith("]", at):
                return Node("array", offset, at + 1, children=tuple(items))
            if not self.text.startswith(",", at):
                raise self.error(at, "expected ',' or ']'")
            at = self.skip(at + 1)
