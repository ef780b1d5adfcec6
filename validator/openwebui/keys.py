"""Secret keys everyone knows: Open WebUI's old fallback and the placeholders tutorials print."""

from __future__ import annotations

import os
import re
from functools import lru_cache

# Open WebUI's fallback key before 0.9.6, used when nothing generated one.
OLD_FALLBACK_KEY = "t0p-s3cr3t"
# Longer values are not compared with the placeholder families.
_MAX_PLACEHOLDER_LENGTH = 256


@lru_cache(maxsize=1)
def known_default_keys() -> tuple[str, ...]:
    # Beside this module in every install (wheel, editable, sdist); importlib.resources would cost
    # more to import than the whole read.
    with open(os.path.join(os.path.dirname(__file__), "default_keys.txt"), encoding="utf-8") as handle:
        text = handle.read()
    return tuple(line for line in (raw.strip() for raw in text.splitlines()) if line and not line.startswith("#"))


def is_known_default(value: str, extra: tuple[str, ...] = ()) -> bool:
    """Exact or case-insensitive match, ignoring surrounding whitespace: `ChangeMe` is still public."""
    return matching_default(value, extra) is not None


def matching_default(value: str, extra: tuple[str, ...] = ()) -> str | None:
    """The listed public key `value` is a variant of (as listed, so it may be named), or None."""
    folded = value.strip().casefold()
    return next((key for key in (*known_default_keys(), *extra) if folded == key.casefold()), None)


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(how OW201 names the family, one pattern for all its expressions), from placeholder_families.txt."""
    with open(os.path.join(os.path.dirname(__file__), "placeholder_families.txt"), encoding="utf-8") as handle:
        text = handle.read()
    listed = "(?:" + "|".join(re.escape(key) for key in sorted(
        (key for key in known_default_keys() if len(key) >= 6), key=len, reverse=True)) + ")"
    families: list[tuple[str, list[str]]] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            families.append((line.partition("] ")[2], []))
        else:
            families[-1][1].append(line.replace("{listed}", listed))
    return tuple((words, re.compile("|".join(f"(?:{expression})" for expression in expressions), re.IGNORECASE))
                 for words, expressions in families)


@lru_cache(maxsize=4096)
def placeholder_family(value: str) -> str | None:
    """How to name the placeholder family `value` belongs to (never the value), or None.

    Memoised: the same key is checked for every deployment that uses it.
    """
    stripped = value.strip()
    if len(stripped) > _MAX_PLACEHOLDER_LENGTH:
        return None  # no placeholder is this long, and hostile input must not cost quadratic time
    return next((words for words, pattern in _families() if pattern.search(stripped)), None)
