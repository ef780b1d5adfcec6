"""Which Open WebUI release an image runs, read from its tag.

Open WebUI publishes `v0.6.18` (and `0.6.18` on some mirrors), with variant suffixes such as
`v0.12.4-cuda` or `0.6.5-ollama`; these pin a release. `main`, `latest`, `cuda`, `ollama`,
`dev`, `git-<sha>` and a bare digest follow whatever is pushed next: the release is unknown,
and `--target-version` (the policy's target release) applies. So does it for an image built on
Open WebUI's under another name, whose tags are its owner's.
"""

from __future__ import annotations

import re

from validator.openwebui.detect import is_official_image
from validator.openwebui.versions import Version, format_version

_PINNED = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[A-Za-z0-9][\w.-]*)?$")
# `name:tag@sha256:...` keeps the tag; a registry port (`host:5000/name`) is not a tag.
_TAG = re.compile(r":([\w][\w.-]*)(?:@[\w.+-]+:[0-9a-fA-F]+)?$")


def from_tag(tag: str) -> Version | None:
    """The release a tag pins; None for a floating tag."""
    found = _PINNED.match(tag.strip())
    if found is None:
        return None
    major, minor, patch = found.groups()
    return int(major), int(minor), int(patch or 0)


def tag_of(image: str) -> str | None:
    """The tag of an image reference (after the last `/`); None without one (digest only, or none)."""
    found = _TAG.search(image.rsplit("/", 1)[-1])
    return found.group(1) if found else None


def from_image(image: str | None) -> tuple[Version | None, str]:
    """(release, where it came from) for a container image; release None when not pinned."""
    if not image:
        return None, "no image to read a release from"
    if not is_official_image(image):
        return None, f"image {image} is not Open WebUI's own, so its tag does not name a release"
    tag = tag_of(image.strip())
    if tag is None:
        what = "a digest" if "@" in image else "no tag (latest)"
        return None, f"image {image} has {what}, which does not name a release"
    release = from_tag(tag)
    if release is None:
        return None, f"image tag `{tag}` is floating"
    return release, f"image tag `{tag}` of {image}"


def describe(release: Version | None, source: str, target: Version) -> str:
    """`0.6.18 (image tag ...)` or `0.12.4 (--target-version; image tag `main` is floating)`."""
    if release is not None:
        return f"{format_version(release)} ({source})"
    return f"{format_version(target)} (--target-version; {source})"
