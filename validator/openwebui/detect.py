"""Which environments are Open WebUI's: by image, or by variables only Open WebUI reads.

JWT_EXPIRES_IN alone proves nothing: Node and NestJS apps use the same name with `3600` meaning
seconds, and flagging them is the false alarm that gets a hook uninstalled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# `ghcr.io/open-webui/open-webui:main`, `open-webui/open-webui@sha256:...`, any registry, tag or
# digest; not `ghcr.io/open-webui/pipelines`.
_OFFICIAL_IMAGE = re.compile(r"^(?:[^/\s]+/)*open-webui/open-webui(?::[\w][\w.-]*)?(?:@sha256:[0-9a-fA-F]+)?$")

# Names that only Open WebUI reads (prefixes end with `_`).
MARKER_NAMES = frozenset({
    "WEBUI_SECRET_KEY", "WEBUI_JWT_SECRET_KEY", "WEBUI_URL", "WEBUI_NAME", "WEBUI_AUTH",
    "WEBUI_AUTH_TRUSTED_EMAIL_HEADER", "WEBUI_SESSION_COOKIE_SECURE", "WEBUI_SESSION_COOKIE_SAME_SITE",
    "OLLAMA_BASE_URL", "OLLAMA_BASE_URLS", "ENABLE_OLLAMA_API", "USE_OLLAMA_DOCKER",
    "OPENAI_API_BASE_URL", "OPENAI_API_BASE_URLS", "ENABLE_OPENAI_API",
    "ENABLE_SIGNUP", "ENABLE_LOGIN_FORM", "DEFAULT_USER_ROLE", "DEFAULT_MODELS", "ENABLE_PERSISTENT_CONFIG",
    "ENABLE_ADMIN_EXPORT", "ENABLE_ADMIN_CHAT_ACCESS", "ENABLE_COMMUNITY_SHARING", "ENABLE_RAG_WEB_SEARCH",
    "ENABLE_WEB_SEARCH", "ENABLE_IMAGE_GENERATION", "RAG_EMBEDDING_MODEL", "RAG_EMBEDDING_ENGINE",
    "ENABLE_OAUTH_SIGNUP", "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", "ENABLE_API_KEY", "ENABLE_CHANNELS",
})
MARKER_PREFIXES = ("WEBUI_", "ENABLE_OLLAMA_", "ENABLE_OPENAI_API", "OPEN_WEBUI_")


def is_official_image(image: str | None) -> bool:
    return bool(image) and _OFFICIAL_IMAGE.match(image.strip()) is not None  # type: ignore[union-attr]


def is_marker(name: str) -> bool:
    return name in MARKER_NAMES or name.startswith(MARKER_PREFIXES)


def has_marker(names: Iterable[str]) -> bool:
    return any(is_marker(name) for name in names)
