"""The team's policy: limits the rules compare against. Defaults here; a config file may change them."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from validator.openwebui import durations, versions


def _lifetime(value: str) -> str:
    reading = durations.explain(value)
    if reading.outcome != "lifetime" or reading.meaningful_ignored:
        raise ValueError(f"{value!r} is not a positive Open WebUI duration such as 4w, 12h or 30m")
    return value


def _version(value: str) -> str:
    versions.parse_version(value)
    return value


Lifetime = Annotated[str, AfterValidator(_lifetime)]


class Policy(BaseModel):
    """Limits for JWT lifetimes and keys. Durations use Open WebUI's own syntax."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    max_jwt_expiry: Lifetime = Field("4w", alias="max-jwt-expiry", description="OW105 above this lifetime.")
    min_jwt_expiry: Lifetime = Field("1m", alias="min-jwt-expiry", description="OW106 below this lifetime.")
    min_secret_key_length: int = Field(32, ge=1, alias="min-secret-key-length",
                                       description="OW203 below this many bytes (RFC 7518 3.2: 32 for HS256).")
    allow_no_expiry: bool = Field(False, alias="allow-no-expiry", description="Accept tokens that never expire (no OW103).")
    known_default_keys: tuple[str, ...] = Field((), alias="known-default-keys",
                                                description="More key values to treat as public (OW201).")
    target_version: Annotated[str, AfterValidator(_version)] = Field(
        versions.format_version(versions.LATEST), alias="target-version",
        description="The Open WebUI release deployed; changes what unset variables mean.")

    @cached_property
    def max_seconds(self) -> float:
        return durations.explain(self.max_jwt_expiry).seconds or 0.0

    @cached_property
    def min_seconds(self) -> float:
        return durations.explain(self.min_jwt_expiry).seconds or 0.0

    @cached_property
    def version(self) -> versions.Version:
        return versions.parse_version(self.target_version)
