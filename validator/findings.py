"""A finding: one problem, at one place, with the rule that found it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from validator.location import Location


class Severity(enum.IntEnum):
    """Ordered so that `--fail-on` can compare: INFO < WARNING < ERROR."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Fix:
    """How to rewrite the value a finding points at: `location` spans exactly the text `old` (the
    value as written, inside any quotes), which becomes `new`. Safe fixes keep the intent certain
    (`1H` -> `1h`); unsafe ones guess a unit (`3600` -> `3600s`) and run only with --unsafe-fixes."""

    location: Location
    old: str
    new: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports. `message` is short (what Open WebUI will do, and the fix), for one line of
    text output; `explanation` says why, for --explain, JSON and SARIF. Neither ever holds a secret
    value (see validator.secrets)."""

    code: str
    severity: Severity
    message: str
    location: Location
    variable: str = ""
    # Short SHA-256 prefix of the value, so baselines and fingerprints never need the value itself.
    value_fingerprint: str = ""
    deployments: tuple[str, ...] = field(default=())
    explanation: str = ""
    fix: Fix | None = None

    @property
    def full_message(self) -> str:
        """The message and its explanation, for formats read by machines or in a browser."""
        return f"{self.message}. {self.explanation}" if self.explanation else self.message

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.code)
