"""Which JWT lifetime an Open WebUI really uses: its stored setting, its environment, or the default.

After the first start Open WebUI reads `auth.jwt_expiry` from its database and JWT_EXPIRES_IN only
seeds it, unless ENABLE_PERSISTENT_CONFIG is false (openwebui-behaviour.md, observed on 0.12.4).
A stored setting belongs to an environment deployment when the run can tell they are the same
Open WebUI:
- the database or export lies in the same directory tree as the deployment file (one's directory
  contains the other's: `deploy/compose.yaml` and `deploy/data/webui.db`), or
- both were given explicitly on the command line (files, or `--database-url`).
A database wins over an export (an export is a snapshot); among several, the first given or found.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from validator.openwebui import versions
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.storedconfig import VARIABLE

if TYPE_CHECKING:
    from validator.schema import AuthEnvironment

Source = Literal["stored", "environment", "default"]


@dataclass(frozen=True, slots=True)
class EffectiveExpiry:
    """Where the lifetime Open WebUI uses for a deployment comes from."""

    source: Source
    # The string Open WebUI parses; None when it cannot be known (an unresolved `${VAR}`, or a
    # stored value that is not a string, which Open WebUI fails on).
    text: str | None
    # Where that value is written (the database or export for "stored"); None for the default.
    setting: Setting | None = None
    # For "stored": the environment's JWT_EXPIRES_IN that it wins over, if the deployment sets one.
    overrides: Setting | None = None
    # For "stored": the deployment (database or export) the value is read from.
    stored_in: Deployment | None = None


def attach(files: Iterable[ParsedFile], deployments: list[Deployment], given: list[str]) -> None:
    """Give every environment deployment the stored-config deployments of the same Open WebUI."""
    kinds = {result.path: result.kind for result in files}
    stored = sorted((d for d in deployments if d.kind == "stored-config"),
                    key=lambda d: kinds.get(d.location.path) == "export")
    if not stored:
        return
    # As given (a database URL must not be normalised) and normalised, as the walk names files.
    explicit = {form for path in given if not os.path.isdir(path) for form in (path, os.path.normpath(path))}
    for deployment in deployments:
        if deployment.kind != "stored-config":
            deployment.stored = [s for s in stored if _same(deployment, s, explicit, kinds.get(s.location.path))]


def _same(deployment: Deployment, stored: Deployment, explicit: set[str], kind: str | None) -> bool:
    files = {deployment.location.path, *deployment.uses, *(s.location.path for s in deployment.settings.values())}
    if stored.location.path in explicit and files & explicit:
        return True
    # A database URL has no place in the tree: only the command line ties it to a deployment.
    return kind != "postgresql" and _related(os.path.dirname(stored.location.path), os.path.dirname(deployment.location.path))


def _related(first: str, second: str) -> bool:
    first, second = os.path.abspath(first or "."), os.path.abspath(second or ".")
    return os.path.commonpath([first, second]) in (first, second)


def effective_expiry(deployment: Deployment, target_version: versions.Version = versions.LATEST) -> EffectiveExpiry:
    """The lifetime source Open WebUI uses for one deployment of `engine.check(...).deployments`.

    The stored setting wins when one is attached and ENABLE_PERSISTENT_CONFIG is known to be on
    (unset or `true`); an unresolved flag leaves the environment in charge, as OW110 does.
    """
    target_version = deployment.release or target_version  # a pinned release wins over --target-version
    if deployment.kind == "stored-config":
        setting = deployment.settings.get(VARIABLE)
        if setting is not None:
            return EffectiveExpiry("stored", setting.value, setting, stored_in=deployment)
        return EffectiveExpiry("default", versions.default_jwt_expires_in(target_version))
    environment = deployment.settings.get(VARIABLE)
    stored_in = next((s for s in deployment.stored if VARIABLE in s.settings), None)
    if stored_in is not None and _persistent(deployment):
        setting = stored_in.settings[VARIABLE]
        return EffectiveExpiry("stored", setting.value, setting, overrides=environment, stored_in=stored_in)
    if environment is not None:
        return EffectiveExpiry("environment", environment.value, environment)
    return EffectiveExpiry("default", versions.default_jwt_expires_in(target_version))


def _persistent(deployment: Deployment) -> bool:
    from validator.schema import AuthEnvironment

    return AuthEnvironment.from_settings(deployment.settings).persistent_config is True


def environment(deployment: Deployment, target_version: versions.Version = versions.LATEST) -> AuthEnvironment:
    """What Open WebUI runs this deployment with: its settings, with the stored lifetime in place of
    JWT_EXPIRES_IN where Open WebUI lets it win (OW110). The rules read the settings as written."""
    from validator.schema import AuthEnvironment

    settings = deployment.settings
    target_version = deployment.release or target_version  # a pinned release wins over --target-version
    effective = effective_expiry(deployment, target_version)
    if effective.source == "stored" and effective.setting is not None:
        settings = {**settings, VARIABLE: effective.setting}
    return AuthEnvironment.from_settings(settings, official_image=deployment.official_image,
                                         target_version=target_version)
