"""Open WebUI's defaults by release: what an unset JWT_EXPIRES_IN or secret key means."""

from __future__ import annotations

import re

from validator.redaction import quote

Version = tuple[int, int, int]

# The newest release whose behaviour this project has verified (see openwebui-behaviour.md).
LATEST: Version = (0, 12, 4)
# From 0.6.34 an unset JWT_EXPIRES_IN means 4w; before, -1 (never expires).
EXPIRY_DEFAULT_SINCE: Version = (0, 6, 34)
# From 0.9.6 an unset key stops the server; before, it fell back to the public `t0p-s3cr3t`.
NO_KEY_FALLBACK_SINCE: Version = (0, 9, 6)
# From 0.6.14 the image's start.sh reads (or generates) the key in WEBUI_SECRET_KEY_FILE.
KEY_FILE_SINCE: Version = (0, 6, 14)
# Releases that turn a key into a Fernet key at start (a 44-character key is taken as it is):
# OAUTH_SESSION_TOKEN_ENCRYPTION_KEY from 0.6.27, OAUTH_CLIENT_INFO_ENCRYPTION_KEY from 0.6.31, both
# defaulting to WEBUI_SECRET_KEY; valve encryption uses WEBUI_SECRET_KEY itself from 0.10.
OAUTH_SESSION_KEY_SINCE: Version = (0, 6, 27)
OAUTH_CLIENT_INFO_KEY_SINCE: Version = (0, 6, 31)
VALVES_KEY_SINCE: Version = (0, 10, 0)

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(text: str) -> Version:
    """`0.6.5`, `v0.12`, ... ; raises ValueError for anything else."""
    found = _VERSION.match(text.strip())
    if not found:
        raise ValueError(f"not an Open WebUI version: {quote(text)} (expected e.g. 0.12.4)")
    major, minor, patch = found.groups()
    return int(major), int(minor), int(patch or 0)


def format_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


def default_jwt_expires_in(version: Version) -> str:
    return "4w" if version >= EXPIRY_DEFAULT_SINCE else "-1"


def falls_back_to_public_key(version: Version) -> bool:
    return version < NO_KEY_FALLBACK_SINCE
