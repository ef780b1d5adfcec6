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
class Finding:
    """What a rule reports. `message` never holds a secret value (see validator.secrets)."""

    code: str
    severity: Severity
    message: str
    location: Location
    variable: str = ""
    # Short SHA-256 prefix of the value, so baselines and fingerprints never need the value itself.
    value_fingerprint: str = ""
    deployments: tuple[str, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.code)
