"""The objects workloads refer to: Secrets and ConfigMaps (their keys as located settings) and autoscalers.

Plain data, below every other module of the package: manifests and kustomize builds make them,
pod environments and pairing read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from validator.findings import Finding
from validator.sources.model import Deployment, Setting

DEFAULT_NAMESPACE = "default"
ObjectKind = Literal["Secret", "ConfigMap"]


@dataclass(slots=True)
class Resource:
    """A Secret or ConfigMap: its keys as settings named by key, located at their values."""

    kind: ObjectKind
    name: str
    namespace: str
    path: str
    entries: dict[str, Setting]


@dataclass(frozen=True, slots=True)
class Autoscaler:
    """A HorizontalPodAutoscaler: up to `max_replicas` pods of the workload it targets."""

    namespace: str
    target_kind: str
    target_name: str
    max_replicas: int


# (kind, name) -> the object, or why it cannot be found among the files checked.
Find = Callable[[ObjectKind, str], "Resource | str"]
# What a workload, a build or a Helm release becomes: its deployments, findings, and the other
# files they take settings from.
Linked = tuple[list[Deployment], list[Finding], list[str]]
