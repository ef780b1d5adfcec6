"""Open WebUI's Fernet keys: a 44-character key is used as it is, and Fernet may refuse it.

`models/oauth_sessions.py`, `utils/oauth.py` and `utils/valves.py` all do the same: a key of any
length but 44 is hashed with SHA-256 into a valid key; a key of exactly 44 characters is encoded
(UTF-8) and handed to `Fernet(key)`, which decodes it with `base64.urlsafe_b64decode` (lenient: `+`
and `/` pass, characters outside the alphabet are dropped) and raises `ValueError: Fernet key must be
32 url-safe base64-encoded bytes.` unless that gives exactly 32 bytes. The OAuth ones run at import,
so the server stops at start.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

# The only length Open WebUI does not hash first (`len(key) != 44`, in characters).
FERNET_KEY_LENGTH = 44
FERNET_KEY_BYTES = 32


@lru_cache(maxsize=4096)
def refusal(value: str) -> str | None:
    """Why Fernet refuses `value` as Open WebUI passes it, or None when it is accepted or hashed first.

    The reason describes the decoding, never the value. Memoised: one run sees the same key in
    many deployments, and the value is all that decides.
    """
    if len(value) != FERNET_KEY_LENGTH:
        return None
    try:
        decoded = base64.urlsafe_b64decode(value.encode("utf-8", "surrogatepass"))
    except (binascii.Error, ValueError):
        return "is not URL-safe base64"
    if len(decoded) != FERNET_KEY_BYTES:
        return f"decodes to {len(decoded)} bytes, not {FERNET_KEY_BYTES}"
    return None
