"""Docker compose variable interpolation (compose-go `template` semantics), computed statically.

Values come only from `lookup`, never from os.environ: the machine running the linter is not
the deployment. Anything that depends on a value we cannot see is reported as unresolved, with
a reason that names variables but never quotes a value.

The parser is iterative (an explicit stack of open `${...}`) and linear in the text length, so
defaults nested thousands deep neither hit Python's recursion limit nor go quadratic. What
references bring in is counted against a Budget per file (or container): `V2=${V1}${V1}`,
`V3=${V2}${V2}`, ... doubles at each line, and 449 bytes would expand to 268 MB; past the budget a
value is unresolved, "too large to expand" (OW209).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r":?[-?+]")
_SPECIAL = re.compile(r"[${}]")
# A `$` that starts a reference once `$$` pairs are taken as escapes.
_REFERENCE = re.compile(r"(?<!\$)(?:\$\$)*\$[A-Za-z_{]")

# Characters references may bring into the values of one file (or one container's environment).
MAX_EXPANDED = 1024 * 1024
TOO_LARGE = f"too large to expand: its references bring in over {MAX_EXPANDED} characters"


class Budget:
    """What interpolation may still produce for one file: all its values share it."""

    __slots__ = ("left",)

    def __init__(self, size: int = MAX_EXPANDED) -> None:
        self.left = size

    def spend(self, size: int) -> bool:
        """Take `size` characters; False (and nothing left) when they are not there."""
        self.left -= size
        if self.left < 0:
            self.left = -1
        return self.left >= 0


class Oversized(Exception):
    """A lookup's value was itself too large to expand: the reference is too, whatever else it holds."""


def raise_if_too_large(unresolved: str) -> None:
    """For lookups: a variable left unresolved as too large makes every reference to it so."""
    if unresolved == TOO_LARGE:
        raise Oversized

# The whole text is one reference (`$KEY`, `${KEY}`, `${KEY:-default}`): written on purpose.
_ONE_REFERENCE = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^${}]*)?\})")
DOLLAR_IN_SECRET = "its value contains `$`, which compose reads as interpolation; write `$$` for a literal `$`"

# Parts are strings or nested part lists, flattened once at the end (keeps nesting linear).
_Parts = list["str | _Parts"]


@dataclass(frozen=True, slots=True)
class Interpolated:
    """The result of interpolating one text; `value` is None when it cannot be known here."""

    value: str | None
    unresolved: str = ""
    references: tuple[str, ...] = ()
    # The variable name when the whole text is one reference whose value came from lookup:
    # lets callers point at where that variable is defined rather than at the reference.
    whole: str | None = None


def has_references(text: str) -> bool:
    """True when `text` holds a `$NAME` or `${` (a `$` not escaped as `$$`), i.e. needs a lookup."""
    return "$" in text and _REFERENCE.search(text) is not None


def unresolved_reason(text: str, result: Interpolated, secret: bool) -> str:
    """Why `text` has no value, as a message may say it. For a secret (a key with a `$` from a password
    generator), the "variable name" after the `$` is part of the key: described, never quoted, unless
    the whole text is one reference written on purpose."""
    if not secret or not result.unresolved or _ONE_REFERENCE.fullmatch(text.strip()):
        return result.unresolved
    return DOLLAR_IN_SECRET


class _Frame:
    """One open `${NAME<op>...` whose alternative text is still being read."""

    __slots__ = ("name", "op", "start", "parts", "reason", "braces")

    def __init__(self, name: str, op: str, start: int) -> None:
        self.name = name
        self.op = op
        self.start = start
        self.parts: _Parts = []
        self.reason = ""
        # Plain `{` inside an alternative pairs with a `}` that must not close the reference.
        self.braces = 0


def _choose(op: str, value: str | None) -> str:
    """Which text a reference yields: 'lookup', 'alt', 'empty', 'missing' or 'required'."""
    if op == "":
        return "missing" if value is None else "lookup"
    if op == ":-":
        return "alt" if not value else "lookup"
    if op == "-":
        return "alt" if value is None else "lookup"
    if op == ":?":
        return "required" if not value else "lookup"
    if op == "?":
        return "required" if value is None else "lookup"
    if op == ":+":
        return "alt" if value else ("empty" if value is None else "lookup")
    return "alt" if value is not None else "empty"  # "+"


def _flatten(parts: _Parts) -> str:
    out: list[str] = []
    stack = [iter(parts)]
    while stack:
        for part in stack[-1]:
            if isinstance(part, str):
                out.append(part)
            else:
                stack.append(iter(part))
                break
        else:
            stack.pop()
    return "".join(out)


def interpolate(text: str, lookup: Callable[[str], str | None], budget: Budget | None = None) -> Interpolated:
    """Interpolate `text` as docker compose would; `lookup(name)` returns None for unset and may
    raise Oversized. Values brought in by references are taken from `budget` (a fresh one if None)."""
    if "$" not in text:
        return Interpolated(text)
    try:
        return _interpolate(text, lookup, budget or Budget())
    except Oversized:
        return Interpolated(None, TOO_LARGE, ())


def _interpolate(text: str, lookup: Callable[[str], str | None], budget: Budget) -> Interpolated:
    refs: dict[str, None] = {}
    root = _Frame("", "", 0)
    stack = [root]
    whole: str | None = None
    n = len(text)
    i = 0

    def failed(reason: str) -> Interpolated:
        return Interpolated(None, reason, tuple(refs))

    def resolve(name: str, op: str, alt: _Frame | None, start: int, end: int) -> None:
        nonlocal whole
        value = lookup(name)
        choice = _choose(op, value)
        top = stack[-1]
        if choice == "lookup":
            if not budget.spend(len(value)):  # type: ignore[arg-type]
                raise Oversized
            top.parts.append(value)  # type: ignore[arg-type]
            if start == 0 and end == n and top is root:
                whole = name
        elif choice == "alt" and alt is not None and value is None and op in (":-", "-") and not alt.parts:
            # `${VAR:-}` written with nothing after the operator: the default documents nothing, and
            # compose takes VAR from the environment it runs in.
            if not top.reason:
                top.reason = f"${{{name}}} has an empty default and comes from the environment that runs compose"
        elif choice == "alt" and alt is not None:
            top.parts.append(alt.parts)
            if alt.reason and not top.reason:
                top.reason = alt.reason
        elif choice == "missing" and not top.reason:
            top.reason = f"${{{name}}} has no value here and no default"
        elif choice == "required" and not top.reason:
            top.reason = f"${{{name}}} is required at deploy time and has no value here"

    while i < n:
        top = stack[-1]
        if top is root:
            j = text.find("$", i)
            if j < 0:
                break
        else:
            match = _SPECIAL.search(text, i)
            if match is None:
                break
            j = match.start()
        if j > i:
            top.parts.append(text[i:j])
        char = text[j]
        if char == "{":
            top.braces += 1
            top.parts.append("{")
            i = j + 1
            continue
        if char == "}":
            if top.braces:
                top.braces -= 1
                top.parts.append("}")
            else:
                stack.pop()
                resolve(top.name, top.op, top, top.start, j + 1)
            i = j + 1
            continue
        nxt = text[j + 1] if j + 1 < n else ""
        if nxt == "$":
            top.parts.append("$")
            i = j + 2
        elif nxt == "{":
            name_match = _NAME.match(text, j + 2)
            if name_match is None:
                if j + 2 >= n:
                    return failed("unterminated ${")
                return failed("invalid interpolation: ${ must be followed by a variable name")
            name = name_match.group()
            refs[name] = None
            k = name_match.end()
            if k >= n:
                return failed(f"unterminated ${{ for {name}: no closing }}")
            if text[k] == "}":
                resolve(name, "", None, j, k + 1)
                i = k + 1
                continue
            op_match = _OPERATOR.match(text, k)
            if op_match is None:
                return failed(f"invalid interpolation after ${{{name}: expected }}, :-, -, :?, ?, :+ or +")
            stack.append(_Frame(name, op_match.group(), j))
            i = op_match.end()
        else:
            name_match = _NAME.match(text, j + 1)
            if name_match is None:
                top.parts.append("$")  # a lone `$` stays literal, as compose keeps it
                i = j + 1
                continue
            name = name_match.group()
            refs[name] = None
            resolve(name, "", None, j, name_match.end())
            i = name_match.end()
    if len(stack) > 1:
        return failed(f"unterminated ${{ for {stack[1].name}: no closing }}")
    if i < n:
        root.parts.append(text[i:])
    if root.reason:
        return failed(root.reason)
    return Interpolated(_flatten(root.parts), "", tuple(refs), whole)
