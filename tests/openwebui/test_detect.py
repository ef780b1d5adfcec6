"""Identity: the image decides; only without one do variables that only Open WebUI reads."""

from __future__ import annotations

import pytest

from validator.openwebui.detect import identify, is_marker, is_official_image


@pytest.mark.parametrize("image", [
    "ghcr.io/open-webui/open-webui:main", "open-webui/open-webui@sha256:" + "0" * 64,
    "registry.example.com/mirror/open-webui:0.6.9", "harbor.lan/proxy/ghcr/open-webui/open-webui:v0.6.18-cuda",
])
def test_official_images_and_mirrors(image: str) -> None:
    assert is_official_image(image)
    assert identify(image, []) == f"image {image}"


@pytest.mark.parametrize("image", ["ghcr.io/open-webui/pipelines:main", "ghcr.io/someone/soundscout:1.2",
                                   "node:20", "ghcr.io/example/chat-ui-server:2"])
def test_another_image_is_not_open_webui_whatever_its_variables(image: str) -> None:
    assert identify(image, ["WEBUI_SECRET_KEY", "ENABLE_OLLAMA_API", "JWT_EXPIRES_IN"]) == ""


def test_shared_variable_names_prove_nothing() -> None:
    for name in ("OLLAMA_BASE_URL", "OPENAI_API_KEY", "OPENAI_API_BASE_URL", "JWT_EXPIRES_IN", "ENABLE_SIGNUP"):
        assert not is_marker(name)
    assert identify(None, ["OLLAMA_BASE_URL", "OPENAI_API_KEY", "JWT_EXPIRES_IN"]) == ""


def test_without_an_image_variables_only_open_webui_reads_decide() -> None:
    assert identify(None, ["OLLAMA_BASE_URL", "WEBUI_SECRET_KEY"]) == \
        "no image; it sets WEBUI_SECRET_KEY, which only Open WebUI reads"
    assert identify("${IMAGE}", ["ENABLE_OLLAMA_API"]).startswith("image ${IMAGE} is not resolved here")
    assert identify("registry.corp/our-webui:1", ["WEBUI_URL"]).startswith("image registry.corp/our-webui:1 may be")


def test_every_listed_variable_has_a_reason() -> None:
    from pathlib import Path

    import validator.openwebui.detect as detect

    lines = (Path(detect.__file__).parent / "only_openwebui_variables.txt").read_text().splitlines()
    entries = [line.split(None, 1) for line in lines if line.strip() and not line.startswith("#")]
    assert entries and all(len(entry) == 2 and entry[1].strip() for entry in entries)
