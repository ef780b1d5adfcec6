"""The team's policy: limits the rules compare against. Defaults here; a config file may change them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from validator.contract import Check, Constrain, Describe, kebab
from validator.openwebui import durations, versions
from validator.redaction import quote


def _lifetime(value: str) -> str:
    reading = durations.explain(value)
    if reading.outcome != "lifetime" or reading.meaningful_ignored:
        raise ValueError(f"{quote(value)} is not a positive Open WebUI duration such as 4w, 12h or 30m")
    return value


def _version(value: str) -> str:
    versions.parse_version(value)
    return value


Lifetime = Annotated[str, Check(_lifetime)]


@dataclass(frozen=True)
class Policy:
    """Limits for JWT lifetimes and keys. Durations use Open WebUI's own syntax."""

    # A plain dataclass (validator.contract): values from a configuration file are validated by
    # validator.settings.config; the defaults are valid as written.
    __pydantic_config__ = {"extra": "forbid", "alias_generator": kebab}

    max_jwt_expiry: Annotated[Lifetime, Describe("OW105 above this lifetime.")] = "4w"
    min_jwt_expiry: Annotated[Lifetime, Describe("OW106 below this lifetime.")] = "1m"
    min_secret_key_length: Annotated[int, Constrain(ge=1), Describe(
        "OW203 below this many bytes (RFC 7518 3.2: 32 for HS256).")] = 32
    # Strict: pydantic would take "yes", "off" or 0 for a bool, and a typo must not turn a check off.
    allow_no_expiry: Annotated[bool, Constrain(strict=True), Describe("Accept tokens that never expire (no OW103).")] = False
    known_default_keys: Annotated[tuple[str, ...], Describe("More key values to treat as public (OW201).")] = ()
    target_version: Annotated[str, Check(_version), Describe(
        "The Open WebUI release deployed; changes what unset variables mean.")] = versions.format_version(versions.LATEST)

    @cached_property
    def max_seconds(self) -> float:
        return durations.explain(self.max_jwt_expiry).seconds or 0.0

    @cached_property
    def min_seconds(self) -> float:
        return durations.explain(self.min_jwt_expiry).seconds or 0.0

    @cached_property
    def version(self) -> versions.Version:
        return versions.parse_version(self.target_version)
