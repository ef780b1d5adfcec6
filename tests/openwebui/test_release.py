"""The release an image pins, read from its tag; floating tags leave it to --target-version."""

from __future__ import annotations

import pytest

from validator.openwebui.release import from_image, from_tag


@pytest.mark.parametrize(("tag", "release"), [
    ("v0.6.18", (0, 6, 18)), ("0.6.18", (0, 6, 18)), ("v0.12.4-cuda", (0, 12, 4)), ("0.6.5-ollama", (0, 6, 5)),
    ("v0.5", (0, 5, 0)), ("main", None), ("latest", None), ("cuda", None), ("ollama", None), ("dev", None),
    ("git-1a2b3c4", None), ("main-cuda", None), ("v0.6.18rc1", None),
])
def test_pinned_and_floating_tags(tag: str, release: tuple[int, int, int] | None) -> None:
    assert from_tag(tag) == release


@pytest.mark.parametrize(("image", "release"), [
    ("ghcr.io/open-webui/open-webui:v0.6.18", (0, 6, 18)),
    ("registry.example.com/mirror/open-webui:0.6.9", (0, 6, 9)),
    ("registry.example.com:5000/open-webui/open-webui:0.5.4", (0, 5, 4)),
    ("ghcr.io/open-webui/open-webui:v0.6.18@sha256:" + "a" * 64, (0, 6, 18)),
    ("ghcr.io/open-webui/open-webui@sha256:" + "a" * 64, None),
    ("ghcr.io/open-webui/open-webui", None),
    ("registry.example.com:5000/open-webui/open-webui", None),
    ("ghcr.io/open-webui/open-webui:main", None),
    # Another image's tags are its owner's: they name no Open WebUI release.
    ("registry.corp/our-webui:0.6.5", None),
    ("ghcr.io/open-webui/pipelines:0.6.5", None),
])
def test_release_of_an_image(image: str, release: tuple[int, int, int] | None) -> None:
    found, source = from_image(image)
    assert found == release
    assert source


def test_where_a_release_comes_from_is_said() -> None:
    assert from_image("ghcr.io/open-webui/open-webui:v0.6.18")[1] == \
        "image tag `v0.6.18` of ghcr.io/open-webui/open-webui:v0.6.18"
    assert from_image("ghcr.io/open-webui/open-webui:main")[1] == "image tag `main` is floating"
