"""Which deployments run Open WebUI: the image decides; without one, variables only Open WebUI reads.

JWT_EXPIRES_IN alone proves nothing: Node and NestJS apps use the same name with `3600` meaning
seconds, and flagging them is the false alarm that gets a hook uninstalled. OLLAMA_BASE_URL and
OPENAI_API_KEY are read by many chat UIs. So a known image that is not Open WebUI's (a Flask app
that happens to call a variable WEBUI_SECRET_KEY) is not Open WebUI whatever it sets; only a
service without an image (`build:`), with one that cannot be resolved, or with one named after
a web UI (a derived image) is judged by its variables, and only by those listed in
only_openwebui_variables.txt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

# `ghcr.io/open-webui/open-webui:main`, `open-webui/open-webui@sha256:...`, and mirrors that keep
# the name (`registry.example.com/mirror/open-webui:0.6.9`), any tag or digest; not
# `ghcr.io/open-webui/pipelines`.
_OFFICIAL_IMAGE = re.compile(r"^(?:[^/\s]+/)*open-webui(?::[\w][\w.-]*)?(?:@sha256:[0-9a-fA-F]+)?$")
# An image of one's own named after it (`registry.corp/our-webui:1`, `openwebui-sso`): probably
# built FROM Open WebUI's, so its variables decide.
_DERIVED = re.compile(r"web-?ui", re.IGNORECASE)
# Text a templating tool or compose fills in later: the image is not known here.
_UNRESOLVED = re.compile(r"\$|\{\{|\{%|<%")


@lru_cache(maxsize=1)
def _variables() -> tuple[frozenset[str], tuple[str, ...]]:
    """(names, prefixes) from the data file beside this module."""
    with open(os.path.join(os.path.dirname(__file__), "only_openwebui_variables.txt"), encoding="utf-8") as handle:
        entries = [line.split()[0] for line in handle if line.strip() and not line.startswith("#")]
    return (frozenset(entry for entry in entries if not entry.endswith("*")),
            tuple(entry[:-1] for entry in entries if entry.endswith("*")))


def is_official_image(image: str | None) -> bool:
    return bool(image) and _OFFICIAL_IMAGE.match(image.strip()) is not None  # type: ignore[union-attr]


def is_marker(name: str) -> bool:
    names, prefixes = _variables()
    return name in names or name.startswith(prefixes)


def has_marker(names: Iterable[str]) -> bool:
    return any(is_marker(name) for name in names)


def identify(image: str | None, names: Iterable[str], *, official: bool = False) -> str:
    """Why a container with this image and these variable names is Open WebUI; "" when it is not.

    `image` is None when there is none to go by (`build:`, an env file, a kustomize patch);
    `official` when the caller already knows the image is Open WebUI's (`open-webui:${TAG}`)."""
    if official or is_official_image(image):
        return f"image {image}"
    unresolved = bool(image) and _UNRESOLVED.search(image) is not None  # type: ignore[arg-type]
    if image and not unresolved and not _DERIVED.search(image.rsplit("/", 1)[-1]):
        return ""
    markers = sorted({name for name in names if is_marker(name)})
    if not markers:
        return ""
    shown = ", ".join(markers[:3]) + (", ..." if len(markers) > 3 else "")
    why = ("no image" if not image else f"image {image} is not resolved here" if unresolved
           else f"image {image} may be built on Open WebUI's")
    return f"{why}; it sets {shown}, which only Open WebUI reads"
