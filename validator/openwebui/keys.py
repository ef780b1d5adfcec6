"""Secret keys everyone knows: Open WebUI's old fallback and the placeholders tutorials print."""

from __future__ import annotations

import os
from functools import lru_cache

# Open WebUI's fallback key before 0.9.6, used when nothing generated one.
OLD_FALLBACK_KEY = "t0p-s3cr3t"


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
