"""The Open WebUI auth environment: located values in, what Open WebUI will do out.

The JSON Schema exported from `AuthEnvironment` (schemas/openwebui-auth-env.schema.json) describes
the values a deployment may set, so other tools can check them; the model itself keeps where each
value is written, and derives the effective key and lifetime the way Open WebUI does.
Regenerate the schema with `python -m validator.generate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from validator.contract import Internal, JsonSchema
from validator.openwebui import durations, keys, versions
from validator.sources.model import Setting

# Values Open WebUI reads exactly as written: `-1`, `0`, or number-unit pairs with nothing but
# whitespace around them. Anything else is rejected (OW101) or partly ignored (OW102).
ACCEPTED_JWT_EXPIRES_IN = r"^(-1|0|\s*(-?[0-9]+(\.[0-9]+)?(ms|s|m|h|d|w)\s*)+)$"
MIN_KEY_LENGTH = 32
# A key of exactly 44 characters is used as a Fernet key as it is: base64 of 32 bytes, so 43
# characters and one `=` (validator.openwebui.fernet has Fernet's exact, more lenient decoding).
_FERNET_WHEN_44: dict[str, object] = {"if": {"minLength": 44, "maxLength": 44},
                                      "then": {"pattern": "^[A-Za-z0-9_+/-]{43}=$"}}


def _boolean_schema() -> dict[str, object]:
    return {
        "type": "string",
        "description": "Open WebUI reads value.lower() == 'true': only 'true' in any case is true; "
        "'1', 'yes' and 'on' are false. Unset means true.",
    }


def _jwt_schema() -> dict[str, object]:
    return {
        "type": "string",
        "pattern": ACCEPTED_JWT_EXPIRES_IN,
        "description": "Token lifetime as number-unit pairs (ms, s, m, h, d, w), e.g. 4w, 12h, 1h30m; "
        "-1 or 0 for no expiry. Units are case-sensitive; a bare number such as 3600 is rejected.",
        "examples": ["4w", "12h", "1h30m"],
    }


def _key_schema() -> dict[str, object]:
    return {
        "type": "string",
        "minLength": MIN_KEY_LENGTH,
        "not": {"enum": list(keys.known_default_keys())},
        **_FERNET_WHEN_44,
        "description": "HS256 signing key for session tokens: at least 32 bytes of randomness "
        "(e.g. `openssl rand -hex 32`), never a published default or placeholder. Exactly 44 characters "
        "must be URL-safe base64 of 32 bytes (a Fernet key), or Open WebUI 0.6.27+ stops at start.",
    }


def _fernet_schema() -> dict[str, object]:
    return {
        "type": "string",
        **_FERNET_WHEN_44,
        "description": "Encryption key for OAuth tokens (defaults to WEBUI_SECRET_KEY). A value of exactly "
        "44 characters is used as a Fernet key as it is and must be URL-safe base64 of 32 bytes "
        "(`openssl rand -base64 32`), or Open WebUI stops at start; any other length is hashed first.",
    }


def _key_file_schema() -> dict[str, object]:
    return {"type": "string", "description": "Official image (0.6.14+): with no key in the environment, start.sh "
            "reads the key from this file, or generates it there; on the data volume (/app/backend/data/...) it "
            "survives recreates."}


def _alias_schema() -> dict[str, object]:
    return {**_key_schema(), "deprecated": True,
            "description": "Deprecated alias, read only when WEBUI_SECRET_KEY is unset."}


KeyState = Literal["set", "unresolved", "empty", "generated", "missing"]


@dataclass(frozen=True, slots=True)
class EffectiveKey:
    """Which key Open WebUI signs with, and how it got there."""

    state: KeyState
    # The setting the key is read from (for "set", "unresolved" and "empty").
    setting: Setting | None
    # "generated": WEBUI_SECRET_KEY_FILE, when start.sh generates (or reads) the key there.
    key_file: Setting | None = None


# Where the official image keeps its data volume: a key file there survives recreates.
DATA_VOLUME = "/app/backend/data/"
# start.sh's own key file, outside the volume (the default of WEBUI_SECRET_KEY_FILE).
DEFAULT_KEY_FILE = "/app/backend/.webui_secret_key"


@dataclass(frozen=True, slots=True)
class FernetUse:
    """One place Open WebUI turns a key into a Fernet key, and the setting its value comes from."""

    variable: str  # the variable Open WebUI reads (OAUTH_..., or WEBUI_SECRET_KEY for valves)
    setting: Setting  # where the value is written (WEBUI_SECRET_KEY when an OAuth key defaults to it)
    at_start: bool  # True: read at import, a refusal stops the server; False: only when valves are encrypted


def _value_schema(schema: dict[str, object]) -> None:
    """The exported schema describes the values as an env mapping: strings, no defaults."""
    for prop in schema.get("properties", {}).values():  # type: ignore[union-attr]
        prop.pop("default", None)
    schema["additionalProperties"] = {"type": "string"}


@dataclass(frozen=True)
class AuthEnvironment:
    """The variables that decide how Open WebUI signs and expires session tokens and what it encrypts with the key."""

    # A plain dataclass, built for every deployment of every run; pydantic reads this only to export
    # the schema (validator.contract).
    __pydantic_config__ = {"title": "Open WebUI auth environment", "json_schema_extra": _value_schema}

    JWT_EXPIRES_IN: Annotated[Setting | None, JsonSchema(_jwt_schema)] = None
    WEBUI_SECRET_KEY: Annotated[Setting | None, JsonSchema(_key_schema)] = None
    WEBUI_JWT_SECRET_KEY: Annotated[Setting | None, JsonSchema(_alias_schema)] = None
    WEBUI_AUTH: Annotated[Setting | None, JsonSchema(_boolean_schema)] = None
    ENABLE_PERSISTENT_CONFIG: Annotated[Setting | None, JsonSchema(_boolean_schema)] = None
    OAUTH_SESSION_TOKEN_ENCRYPTION_KEY: Annotated[Setting | None, JsonSchema(_fernet_schema)] = None
    OAUTH_CLIENT_INFO_ENCRYPTION_KEY: Annotated[Setting | None, JsonSchema(_fernet_schema)] = None
    WEBUI_SECRET_KEY_FILE: Annotated[Setting | None, JsonSchema(_key_file_schema)] = None

    # How the deployment starts, which decides what an empty or missing key means.
    official_image: Annotated[bool, Internal()] = False
    target_version: Annotated[versions.Version, Internal()] = versions.LATEST

    @classmethod
    def from_settings(cls, settings: dict[str, Setting], *, official_image: bool = False,
                      target_version: versions.Version = versions.LATEST) -> AuthEnvironment:
        known = {name: settings[name] for name in cls.variable_names() if name in settings}
        return cls(**known, official_image=official_image, target_version=target_version)

    @staticmethod
    def variable_names() -> tuple[str, ...]:
        return ("JWT_EXPIRES_IN", "WEBUI_SECRET_KEY", "WEBUI_JWT_SECRET_KEY", "WEBUI_AUTH", "ENABLE_PERSISTENT_CONFIG",
                "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY", "OAUTH_CLIENT_INFO_ENCRYPTION_KEY", "WEBUI_SECRET_KEY_FILE")

    @staticmethod
    def _flag(setting: Setting | None) -> bool | None:
        """Open WebUI's `os.getenv(NAME, 'True').lower() == 'true'`; None when unknowable."""
        if setting is None:
            return True
        if setting.value is None:
            return None
        return setting.value.lower() == "true"

    @property
    def auth_enabled(self) -> bool | None:
        return self._flag(self.WEBUI_AUTH)

    @property
    def persistent_config(self) -> bool | None:
        return self._flag(self.ENABLE_PERSISTENT_CONFIG)

    @property
    def expiry_text(self) -> str | None:
        """The JWT_EXPIRES_IN string Open WebUI parses (its default when unset); None if unknowable."""
        if self.JWT_EXPIRES_IN is None:
            return versions.default_jwt_expires_in(self.target_version)
        return self.JWT_EXPIRES_IN.value

    @cached_property
    def lifetime(self) -> durations.Reading | None:
        text = self.expiry_text
        return None if text is None else durations.explain(text)

    @cached_property
    def key(self) -> EffectiveKey:
        primary, alias = self.WEBUI_SECRET_KEY, self.WEBUI_JWT_SECRET_KEY
        if self.official_image:
            # The image sets WEBUI_SECRET_KEY="" and start.sh passes it on, so the alias is never
            # read; start.sh generates a key only when both are empty or unset.
            if primary is not None and primary.value != "":
                return EffectiveKey("unresolved" if primary.value is None else "set", primary)
            if alias is not None and alias.value != "":
                # The alias stops start.sh from generating a key, and the server gets "" (OW206).
                return EffectiveKey("empty", alias)
            return self._generated(primary)
        chosen = primary if primary is not None else alias
        if chosen is None:
            return EffectiveKey("missing", None)
        if chosen.value is None:
            return EffectiveKey("unresolved", chosen)
        if chosen.value == "":
            return EffectiveKey("empty", chosen)
        return EffectiveKey("set", chosen)

    def _generated(self, empty: Setting | None) -> EffectiveKey:
        """start.sh makes the key: in WEBUI_SECRET_KEY_FILE (0.6.14+) when it is set, else beside the app.

        A file outside the data volume and not start.sh's own default is a mount (`/run/secrets/...`,
        a Kubernetes Secret volume): the key is supplied from outside the files checked.
        """
        path = self.WEBUI_SECRET_KEY_FILE
        if path is None or path.value == "" or self.target_version < versions.KEY_FILE_SINCE:
            return EffectiveKey("generated", empty)
        if path.value is None:
            reason = f"start.sh reads it from WEBUI_SECRET_KEY_FILE, whose path is not known here ({path.unresolved})"
        elif path.value.startswith(DATA_VOLUME) or path.value == DEFAULT_KEY_FILE:
            return EffectiveKey("generated", empty, path)
        else:
            reason = (f"start.sh reads it from WEBUI_SECRET_KEY_FILE {path.value}, a file mounted from outside "
                      "the files checked (a secret)")
        return EffectiveKey("unresolved", Setting("WEBUI_SECRET_KEY", None, path.location, False, reason, path.via))

    @cached_property
    def fernet_uses(self) -> tuple[FernetUse, ...]:
        """Where this release turns a key into a Fernet key, with the value each one reads.

        The OAuth keys are `os.getenv(NAME, WEBUI_SECRET_KEY)`: their own value when set (even
        empty), else the effective key. Only known values are returned.
        """
        effective = self.key.setting if self.key.state == "set" else None
        uses: list[FernetUse] = []
        for name, since in (("OAUTH_SESSION_TOKEN_ENCRYPTION_KEY", versions.OAUTH_SESSION_KEY_SINCE),
                            ("OAUTH_CLIENT_INFO_ENCRYPTION_KEY", versions.OAUTH_CLIENT_INFO_KEY_SINCE)):
            own: Setting | None = getattr(self, name)
            setting = own if own is not None else effective
            if self.target_version >= since and setting is not None and setting.value is not None:
                uses.append(FernetUse(name, setting, at_start=True))
        if self.target_version >= versions.VALVES_KEY_SINCE and effective is not None:
            uses.append(FernetUse("WEBUI_SECRET_KEY", effective, at_start=False))
        return tuple(uses)
