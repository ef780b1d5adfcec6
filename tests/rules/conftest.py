"""Build a Subject from plain values, the way a source would, to test rules one by one."""

from __future__ import annotations

import pytest

from validator.location import Location
from validator.settings.policy import Policy
from validator.rules.base import Subject
from validator.schema import AuthEnvironment
from validator.sources.model import Deployment, Setting


def make_subject(values: dict[str, str | None], *, kind: str = "env-file", official_image: bool = False,
                 replicas: int | None = None, policy: Policy | None = None, template: bool = False,
                 path: str = "prod.env", literal: bool = True) -> Subject:
    settings = {
        name: Setting(name, value, Location(path, line, 5, line, 5 + len(value or "")), literal=literal,
                      unresolved="" if value is not None else "${X} has no value")
        for line, (name, value) in enumerate(values.items(), start=1)
    }
    deployment = Deployment(
        name=f"service 'webui' in {path}" if kind == "compose-service" else f"env file {path}",
        kind=kind, location=Location(path, 1, 1), settings=settings, official_image=official_image,
        replicas=replicas, openwebui=True, template=template)  # type: ignore[arg-type]
    policy = policy or Policy()
    env = AuthEnvironment.from_settings(settings, official_image=official_image, target_version=policy.version)
    return Subject(deployment, env, policy)


@pytest.fixture
def subject():
    return make_subject
