"""The `owui-validate tokens --format json` report: a stable shape, exported to schemas/.

Regenerate schemas/tokens-report.schema.json with `python -m validator.generate`. No field ever holds
a key or a token: keys appear as length and SHA-256 prefix (validator.secrets.describe).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["pass", "fail", "skip"]
LifetimeOutcome = Literal["lifetime", "never", "negative", "rejected", "unresolved"]
KeyOrigin = Literal["configured", "public-fallback", "throwaway"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Instants(_Model):
    """The instants a check used, in Unix seconds: as written in the token, and when PyJWT decoded it."""

    iat: int | None = Field(None, description="The token's iat claim (whole seconds, as PyJWT writes it).")
    exp: int | None = Field(None, description="The token's exp claim; absent when the token never expires.")
    checked_at: float = Field(description="When jwt.decode ran (the real clock: nothing is patched).")


class Check(_Model):
    """One claim about the deployment, verified with real PyJWT."""

    number: int = Field(ge=1, le=7)
    name: str = Field(description="A stable slug, e.g. `after-expiry`.")
    claim: str = Field(description="What the check verifies.")
    status: Status
    detail: str = Field(description="What happened: the decode outcome and the numbers behind it.")
    rule: str | None = Field(None, description="The finding (OW code) that predicts this failure.")
    instants: Instants | None = None


class Lifetime(_Model):
    """The lifetime Open WebUI gives session tokens in this environment."""

    jwt_expires_in: str | None = Field(description="The value Open WebUI parses (its default when unset); "
                                       "null when it cannot be resolved.")
    source: str = Field(description="Where the value is written, or why it is not known.")
    outcome: LifetimeOutcome
    seconds: float | None = None
    words: str


class Key(_Model):
    """The key the checks sign with. Never the value: its length and fingerprint only."""

    origin: KeyOrigin
    variable: str | None = None
    description: str = Field(description="Length in bytes and the first 8 hex digits of its SHA-256.")
    note: str


class Environment(_Model):
    name: str = Field(description="The deployment, e.g. `service 'open-webui' in compose.yaml`.")
    kind: str
    source: str = Field(description="path:line:column where the deployment is declared.")
    lifetime: Lifetime
    key: Key
    checks: list[Check]
    passed: bool


class CodeCheck(_Model):
    """One JWT_EXPIRES_IN value through a release's own parse_duration and create_token, beside the
    validator's prediction (`tokens --openwebui PATH`)."""

    value: str
    source: str = Field(description="Where the value is written, or openwebui-behaviour.md.")
    release: str = Field(description="What the release's code did: rejected, no exp claim, or exp - iat.")
    predicted: str = Field(description="What the validator predicts (alternatives joined with `or`).")
    status: Literal["pass", "fail"]


class ReleaseCodeReport(_Model):
    origin: str = Field(description="The wheel or package directory the code was read from.")
    version: str | None = Field(description="The release, when the wheel or dist-info names it.")
    algorithm: str = Field(description="The release's ALGORITHM.")
    checks: list[CodeCheck]


class TokensReport(_Model):
    """What `owui-validate tokens` proved about each Open WebUI environment."""

    model_config = ConfigDict(title="owui-validate tokens report")

    margin_seconds: int = Field(ge=1, description="How far before and after expiry tokens were checked.")
    files: list[str]
    environments: list[Environment]
    openwebui_code: ReleaseCodeReport | None = Field(None, description="With --openwebui: each value through "
                                                     "the release's own code, beside the validator's prediction.")
    passed: bool = Field(description="False when any check failed (exit status 1).")
