"""Kubernetes manifests: the objects one file defines, read on its own.

A file becomes the Secrets, ConfigMaps and autoscalers it defines and its workloads, pending
until every file of the run is read (validator.sources.kubernetes.pairing.link decides which
objects each workload's references resolve to).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui.detect import has_marker
from validator.sources import discover
from validator.sources.kubernetes import podenv
from validator.sources.kubernetes.objects import DEFAULT_NAMESPACE, Autoscaler, Resource
from validator.sources.kubernetes.podenv import EnvFromItem, EnvItem
from validator.sources.model import ParsedFile, Setting
from validator.sources.yamlfile import mapping_entries, mapping_get, node_location, scalar_text, small_count

_TEMPLATE_SPEC = ("spec", "template", "spec")
POD_SPEC: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": _TEMPLATE_SPEC,
    "StatefulSet": _TEMPLATE_SPEC,
    "DaemonSet": _TEMPLATE_SPEC,
    "ReplicaSet": _TEMPLATE_SPEC,
    "Job": _TEMPLATE_SPEC,
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_REPLICATED = frozenset({"Deployment", "StatefulSet", "ReplicaSet"})
# apps/v1 requires `spec.selector`: a manifest of these kinds without one cannot be applied, so
# it is a kustomize patch (or a fragment) merged onto a full workload elsewhere.
_NEEDS_SELECTOR = _REPLICATED | {"DaemonSet"}
_MAX_LIST_DEPTH = 8
# Objects that install a Helm chart: validator.sources.gitops reads them.
_GITOPS_KINDS = frozenset({"Application", "ApplicationSet", "HelmRelease"})


def is_manifest(root: yaml.Node) -> bool:
    """A Kubernetes object: a mapping with `apiVersion` and `kind`."""
    return isinstance(root, yaml.MappingNode) and bool(scalar_text(mapping_get(root, "kind"))) \
        and bool(scalar_text(mapping_get(root, "apiVersion")))


@dataclass(slots=True)
class Container:
    name: str
    location: Location
    image: str | None
    has_image: bool
    env: list[EnvItem]
    env_from: list[EnvFromItem]
    init: bool
    # An init container that replaces the image's command (the chart's `copy-app-data`) does
    # not run Open WebUI, whatever its image.
    own_command: bool


@dataclass(slots=True)
class Workload:
    kind: str
    name: str
    namespace: str
    explicit_namespace: bool
    path: str
    containers: list[Container]
    # spec.replicas; None when it is a template or the kind has no fixed count (DaemonSet).
    replicas: int | None
    patch: bool

    @property
    def label(self) -> str:
        shown = f"{self.namespace}/{self.name}" if self.explicit_namespace else self.name
        return f"{self.kind} '{shown}'"

    def pods(self, scaled: int | None) -> int | None:
        """Pods it can run: spec.replicas, or more when an autoscaler may scale it up to `scaled`."""
        counts = [number for number in (self.replicas, scaled) if number is not None]
        return max(counts) if counts else None


def read_manifests(path: str, documents: list[yaml.Node]) -> ParsedFile:
    """The objects and workloads of a manifest file (several documents, `kind: List` items)."""
    if discover.is_chart_template(path):
        # A chart's templates are Go templates that sometimes parse as YAML; only values count.
        return ParsedFile(path, "template")
    reader = _Reader(path)
    for document in documents:
        for part in _objects(document, path, reader.findings):
            reader.object(part, 0)
    relevant = bool(reader.resources or reader.pending)
    # A Secret or ConfigMap with Open WebUI's variable names is Open WebUI's, used here or not.
    ours = any(isinstance(r, Resource) and has_marker(r.entries) for r in reader.resources)
    return ParsedFile(path, "kubernetes", findings=reader.findings, openwebui=ours, resources=reader.resources,
                      pending=reader.pending, context=tuple(discover.yaml_files_beside(path)) if relevant else ())


_IDENTITY = ("apiVersion", "kind")


def concatenated(node: yaml.Node) -> bool:
    """A document that writes `kind` or `apiVersion` twice: two objects with no `---` between them."""
    return _second_object(node) is not None


def _second_object(node: yaml.Node) -> int | None:
    """Index in the mapping of the first `apiVersion` or `kind` written a second time, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for index, (key, _value) in enumerate(node.value):
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name in _IDENTITY:
            if name in seen:
                return index
            seen.add(name)
    return None


def _objects(node: yaml.Node, path: str, findings: list[Finding]) -> list[yaml.Node]:
    """The objects of one document: itself, or each part of a document missing a `---`.

    kubectl rejects such a file; PyYAML would keep only the last keys, and a workload would
    silently disappear. The next object starts at the first `apiVersion` or `kind` written again.
    """
    parts: list[yaml.Node] = []
    cut = _second_object(node)
    while cut is not None:
        assert isinstance(node, yaml.MappingNode)
        key = node.value[cut][0]
        first = next(earlier for earlier, _value in node.value[:cut] if earlier.value == key.value)
        line = key.start_mark.line + 1
        findings.append(Finding(
            "OW002", Severity.ERROR,
            f"this document writes `{key.value}` again at line {line} (first at line {first.start_mark.line + 1}): "
            f"a `---` separator is probably missing before line {line}; kubectl rejects the file, so each part "
            "was checked as its own object", node_location(key, path)))
        parts.append(yaml.MappingNode(node.tag, node.value[:cut], node.start_mark, key.start_mark))
        node = yaml.MappingNode(node.tag, node.value[cut:], key.start_mark, node.end_mark)
        cut = _second_object(node)
    parts.append(node)
    return parts


@dataclass(slots=True)
class _Reader:
    path: str
    resources: list[Resource | Autoscaler] = field(default_factory=list)
    pending: list[Any] = field(default_factory=list)  # workloads, and what gitops.read returns
    findings: list[Finding] = field(default_factory=list)

    def object(self, node: yaml.Node, depth: int) -> None:
        kind = scalar_text(mapping_get(node, "kind"))
        if not kind:
            return
        if kind.endswith("List"):
            items = mapping_get(node, "items")
            if isinstance(items, yaml.SequenceNode) and depth < _MAX_LIST_DEPTH:
                for item in items.value:
                    self.object(item, depth + 1)
            return
        metadata = mapping_get(node, "metadata")
        name_node, namespace_node = mapping_get(metadata, "name"), mapping_get(metadata, "namespace")
        if podenv.is_template(name_node) or podenv.is_template(namespace_node):
            return  # an object whose name is filled in later cannot be matched by name
        name = scalar_text(name_node)
        namespace = scalar_text(namespace_node)
        if kind in POD_SPEC:
            shown = name or (scalar_text(mapping_get(metadata, "generateName")) or "") + "*"
            self.pending.append(self._workload(node, kind, shown, namespace))
        elif kind in _GITOPS_KINDS:
            from validator.sources import gitops

            self.pending.extend(gitops.read(node, kind, self.path, self.findings))
        elif name is None:
            return
        elif kind == "Secret":
            entries = self._secret(node, name)
            self.resources.append(Resource("Secret", name, namespace or DEFAULT_NAMESPACE, self.path, entries))
        elif kind == "ConfigMap":
            entries = {key: self._plain(key, value, literal=True) for key, value in _values(mapping_get(node, "data"))}
            self.resources.append(Resource("ConfigMap", name, namespace or DEFAULT_NAMESPACE, self.path, entries))
        elif kind == "HorizontalPodAutoscaler":
            self._autoscaler(node, namespace or DEFAULT_NAMESPACE)

    def _secret(self, node: yaml.Node, name: str) -> dict[str, Setting]:
        """`data` base64-decoded, then `stringData` over it, as the API server merges them."""
        entries = {key: self._decoded(name, key, value) for key, value in _values(mapping_get(node, "data"))}
        for key, value in _values(mapping_get(node, "stringData")):
            entries[key] = self._plain(key, value, literal=False)
        return entries

    def _plain(self, key: str, node: yaml.Node, *, literal: bool) -> Setting:
        location = node_location(node, self.path)
        if podenv.is_template(node):
            return Setting(key, None, location, False, podenv.TEMPLATE, self.path)
        return Setting(key, scalar_text(node) or "", location, literal, "", self.path)

    def _decoded(self, name: str, key: str, node: yaml.Node) -> Setting:
        location = node_location(node, self.path)
        if podenv.is_template(node):
            return Setting(key, None, location, False, podenv.TEMPLATE, self.path)
        text = (scalar_text(node) or "").replace("\n", "").replace("\r", "")  # Go's decoder skips line breaks
        try:
            value = base64.b64decode(text, validate=True).decode("utf-8", "surrogateescape")
        except (binascii.Error, ValueError):
            self.findings.append(Finding(
                "OW001", Severity.ERROR,
                f"Secret '{name}' data {key} is not valid base64: the API server rejects the whole Secret; "
                "encode the value with `base64 -w0`, or write it under stringData", location, variable=key))
            return Setting(key, None, location, False, "its Secret data is not valid base64", self.path)
        return Setting(key, value, location, False, "", self.path)

    def _autoscaler(self, node: yaml.Node, namespace: str) -> None:
        spec = mapping_get(node, "spec")
        target = mapping_get(spec, "scaleTargetRef")
        kind, name = scalar_text(mapping_get(target, "kind")), scalar_text(mapping_get(target, "name"))
        maximum = count(mapping_get(spec, "maxReplicas"))
        if kind and name and maximum is not None:
            self.resources.append(Autoscaler(namespace, kind, name, maximum))

    def _workload(self, node: yaml.Node, kind: str, name: str, namespace: str | None) -> Workload:
        pod = node
        for step in POD_SPEC[kind]:
            pod = mapping_get(pod, step)  # type: ignore[assignment]
        containers = [self._container(item, init)
                      for field_name, init in (("initContainers", True), ("containers", False))
                      for item in sequence(mapping_get(pod, field_name)) if isinstance(item, yaml.MappingNode)]
        spec = mapping_get(node, "spec")
        replicas: int | None = 1
        if kind == "DaemonSet":
            replicas = None
        elif kind in _REPLICATED and mapping_get(spec, "replicas") is not None:
            replicas = count(mapping_get(spec, "replicas"))
        return Workload(kind, name, namespace or DEFAULT_NAMESPACE, namespace is not None, self.path, containers,
                        replicas, kind in _NEEDS_SELECTOR and mapping_get(spec, "selector") is None)

    def _container(self, node: yaml.MappingNode, init: bool) -> Container:
        name_node, image_node = mapping_get(node, "name"), mapping_get(node, "image")
        return Container(
            name=scalar_text(name_node) or "(unnamed)",
            location=node_location(name_node if name_node is not None else node, self.path),
            image=scalar_text(image_node),
            has_image=image_node is not None,
            env=podenv.read_env(mapping_get(node, "env"), self.path),
            env_from=podenv.read_env_from(mapping_get(node, "envFrom"), self.path),
            init=init,
            own_command=mapping_get(node, "command") is not None,
        )


def _values(node: yaml.Node | None) -> list[tuple[str, yaml.Node]]:
    """`data` entries whose value is a string (or a template for one); the API refuses others."""
    return [(key, value) for key, _, value in mapping_entries(node)
            if isinstance(value, yaml.ScalarNode) or podenv.is_template(value)]


def sequence(node: yaml.Node | None) -> list[yaml.Node]:
    """A sequence's items; nothing for anything else."""
    return node.value if isinstance(node, yaml.SequenceNode) else []


def count(node: yaml.Node | None) -> int | None:
    """A replica count written as a non-negative integer; None for anything else."""
    text = (scalar_text(node) or "").strip()
    return small_count(text)
