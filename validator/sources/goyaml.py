"""Values as Helm holds and prints them: go-yaml v2 scalars, JSON numbers, Go's `%v`.

Helm reads values files with go-yaml v2 (YAML 1.1 booleans such as `yes` and `off`) and passes
them through JSON, so every number becomes a float64; the open-webui chart then writes a
map-style `extraEnvVars` value with `quote`, which prints it with Go's `%v`. A value Open WebUI
receives can therefore differ from the text written: `2419200` arrives as `2.4192e+06`.
"""

from __future__ import annotations

import re
import math
from decimal import Decimal

import yaml

TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"})
FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"})
NULL = frozenset({"", "~", "null", "Null", "NULL"})
_OCTAL = re.compile(r"[-+]?0[0-7]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def is_plain(node: yaml.Node | None) -> bool:
    """An unquoted scalar (libyaml reports its style as "", the Python parser as None)."""
    return isinstance(node, yaml.ScalarNode) and not node.style


def is_null(node: yaml.Node | None) -> bool:
    return is_plain(node) and node.value in NULL  # type: ignore[union-attr]


def quoted(node: yaml.ScalarNode) -> str:
    """What `{{ $value | quote }}` writes for a scalar: numbers through float64 and `%v`,
    booleans as `true`/`false`, null as nothing; quoted and block scalars as written."""
    text = node.value
    if not is_plain(node):
        return text
    if text in NULL:
        return ""
    if text in TRUE or text in FALSE:
        return "true" if text in TRUE else "false"
    value = number(text)
    return text if value is None else go_float(value)


def number(text: str) -> float | None:
    """A plain scalar as go-yaml v2 reads a number (`0x1F`, `0755` octal, `1_000`, `1e6`), else None."""
    plain = text.replace("_", "")
    try:
        return float(int(plain, 8 if _OCTAL.fullmatch(plain) else 0))
    except (ValueError, OverflowError):  # not an integer, or one too long for Python or a float64
        pass
    return float(plain) if _FLOAT.fullmatch(plain) else None


def go_float(value: float) -> str:
    """Go's `%v` for a float64: the shortest digits, in exponent form from 1e+06 and below 1e-04."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    shown = "".join(map(str, digits))
    point = len(digits) + int(exponent)
    minus = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = shown[0] + (f".{shown[1:]}" if len(shown) > 1 else "")
        return f"{minus}{mantissa}e{'-' if point - 1 < 0 else '+'}{abs(point - 1):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{shown}"
    if point >= len(shown):
        return minus + shown + "0" * (point - len(shown))
    return f"{minus}{shown[:point]}.{shown[point:]}"
