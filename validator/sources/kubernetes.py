"""Kubernetes manifests: each container's environment, with the Secrets and ConfigMaps of any file.

A file is read on its own into the objects it defines (Secrets, ConfigMaps, autoscalers) and
pending workloads. `link` runs once every file of the run is read and turns each workload
container into a Deployment, resolving `secretKeyRef`, `configMapKeyRef` and `envFrom` against
the objects of all files (same name and namespace; no namespace is `default`), as
`kubectl apply -f dir/` would create them together.

When one object is defined in several directories (a kustomize base with a Secret per overlay),
the workload is checked once per directory, so each overlay's key is checked and compared.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui.detect import has_marker, identify, is_official_image
from validator.sources import discover, podenv
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.podenv import EnvFromItem, EnvItem, Find, ObjectKind
from validator.sources.yamlfile import (
    mapping_entries,
    mapping_get,
    node_location,
    scalar_text,
    small_count,
)

DEFAULT_NAMESPACE = "default"
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
Linked = tuple[list[Deployment], list[Finding], list[str]]


class Pending(Protocol):
    """Something that becomes deployments once the objects of every file are known."""

    def build(self, index: Index) -> Linked: ...


def is_manifest(root: yaml.Node) -> bool:
    """A Kubernetes object: a mapping with `apiVersion` and `kind`."""
    return isinstance(root, yaml.MappingNode) and bool(scalar_text(mapping_get(root, "kind"))) \
        and bool(scalar_text(mapping_get(root, "apiVersion")))


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

    def build(self, index: Index) -> Linked:
        refs = [ref for container in self.containers for ref in podenv.references(container.env, container.env_from)]
        replicas = index.replicas(self)
        deployments: list[Deployment] = []
        findings: list[Finding] = []
        uses: dict[str, None] = {}
        reported: set[int] = set()
        for variant, find in index.variants(refs, self.namespace):
            for number, container in enumerate(self.containers):
                image = container.image if container.has_image else index.patched_image(self, container.name)
                deployment = self._deployment(container, find, variant, replicas, image)
                uses.update(dict.fromkeys(deployment.uses))
                deployments.append(deployment)
                if deployment.openwebui and number not in reported:  # another app's duplicates are its business
                    reported.add(number)
                    scope = f"container '{container.name}' of {self.label}"
                    findings.extend(podenv.duplicates(container.env, scope))
        return deployments, findings, [path for path in uses if path != self.path]

    def _deployment(self, container: Container, find: Find, variant: str, replicas: int | None,
                    image: str | None) -> Deployment:
        environment = podenv.resolve(container.env, container.env_from, find, self.path)
        official = is_official_image(image)
        # An init container running its own command (the chart's `copy-app-data`) is not Open WebUI.
        because = "" if official and container.init and container.own_command else identify(image, environment.names)
        patch = self.patch or not container.has_image
        return Deployment(
            name=f"{self.label} container '{container.name}' ({self.path}{variant})",
            kind="k8s-patch" if patch else "k8s-workload",
            location=container.location,
            settings=environment.settings,
            image=image,
            replicas=replicas,
            official_image=official,
            openwebui=bool(because),
            because=because,
            uses=tuple(environment.uses),
        )


class Index:
    """Secrets, ConfigMaps and autoscalers of every file in the run, by name and namespace."""

    def __init__(self, files: Iterable[ParsedFile]) -> None:
        # (kind, name) -> (namespace, directory) -> the last definition there
        self._objects: dict[tuple[str, str], dict[tuple[str, str], Resource]] = {}
        self._max_replicas: dict[tuple[str, str, str], int] = {}
        # (kind, name) -> container name -> image, of complete workloads (what a patch is merged onto)
        self._images: dict[tuple[str, str], dict[str, str | None]] = {}
        for result in files:
            for pending in result.pending:
                if isinstance(pending, Workload) and not pending.patch:
                    images = self._images.setdefault((pending.kind, pending.name), {})
                    images.update((container.name, container.image) for container in pending.containers)
            for resource in result.resources:
                if isinstance(resource, Autoscaler):
                    key = (resource.namespace, resource.target_kind, resource.target_name)
                    self._max_replicas[key] = max(self._max_replicas.get(key, 0), resource.max_replicas)
                else:
                    place = (resource.namespace, os.path.dirname(resource.path))
                    self._objects.setdefault((resource.kind, resource.name), {})[place] = resource

    def replicas(self, workload: Workload) -> int | None:
        """Pods the workload can run: spec.replicas, or more when an autoscaler may scale it up."""
        scaled = self._max_replicas.get((workload.namespace, workload.kind, workload.name))
        counts = [count for count in (workload.replicas, scaled) if count is not None]
        return max(counts) if counts else None

    def patched_image(self, patch: Workload, container: str) -> str | None:
        """The image of the container a kustomize patch changes (namespaces are the overlay's to set)."""
        return self._images.get((patch.kind, patch.name), {}).get(container)

    def candidates(self, kind: str, name: str, namespace: str | None) -> list[Resource]:
        """Definitions of an object, one per directory; any namespace when `namespace` is None."""
        places = self._objects.get((kind, name), {})
        return [resource for (ns, _directory), resource in places.items() if namespace is None or ns == namespace]

    def variants(self, refs: Iterable[tuple[ObjectKind, str]], namespace: str | None) -> list[tuple[str, Find]]:
        """(label, find) per directory when a referenced object is defined in several; else one."""
        choices = {ref: self.candidates(ref[0], ref[1], namespace) for ref in dict.fromkeys(refs)}
        ambiguous = {ref: found for ref, found in choices.items() if len(found) > 1}
        if not ambiguous:
            return [("", self._finder(choices, namespace, {}, ""))]
        directories = sorted({os.path.dirname(resource.path) for found in ambiguous.values() for resource in found})
        variants = []
        for directory in directories:
            picked = {ref: next((r for r in found if os.path.dirname(r.path) == directory), None)
                      for ref, found in ambiguous.items()}
            label = ", ".join(f"{r.kind} '{r.name}' from {r.path}" for r in picked.values() if r is not None)
            variants.append((f", {label}", self._finder(choices, namespace, picked, directory)))
        return variants

    def _finder(self, choices: dict[tuple[ObjectKind, str], list[Resource]], namespace: str | None,
                picked: dict[tuple[ObjectKind, str], Resource | None], directory: str) -> Find:
        def find(kind: ObjectKind, name: str) -> Resource | str:
            ref = (kind, name)
            if ref in picked:
                chosen = picked[ref]
                if chosen is not None:
                    return chosen
                return f"{kind} '{name}', which is defined in several directories but not in {directory or '.'}"
            found = choices[ref] if ref in choices else self.candidates(kind, name, namespace)
            if found:
                return found[-1]
            elsewhere = sorted({resource.namespace for resource in self.candidates(kind, name, None)})
            if elsewhere:
                return (f"{kind} '{name}' in namespace '{namespace}', which the files define only in namespace "
                        f"{', '.join(repr(ns) for ns in elsewhere)} (no namespace means '{DEFAULT_NAMESPACE}')")
            where = f" in namespace '{namespace}'" if namespace not in (None, DEFAULT_NAMESPACE) else ""
            return f"{kind} '{name}'{where}, which is not among the files checked"

        return find


def link(files: list[ParsedFile]) -> None:
    """Turn every pending workload into deployments, now that all objects are known."""
    index = Index(files)
    for result in files:
        pending, result.pending = result.pending, []
        for item in pending:
            deployments, findings, uses = item.build(index)
            result.deployments.extend(deployments)
            result.findings.extend(finding for finding in findings if finding not in result.findings)
            result.uses = tuple(dict.fromkeys((*result.uses, *uses)))


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
    pending: list[Pending] = field(default_factory=list)
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
        count = _count(mapping_get(spec, "maxReplicas"))
        if kind and name and count is not None:
            self.resources.append(Autoscaler(namespace, kind, name, count))

    def _workload(self, node: yaml.Node, kind: str, name: str, namespace: str | None) -> Workload:
        pod = node
        for step in POD_SPEC[kind]:
            pod = mapping_get(pod, step)  # type: ignore[assignment]
        containers = [self._container(item, init)
                      for field_name, init in (("initContainers", True), ("containers", False))
                      for item in _sequence(mapping_get(pod, field_name)) if isinstance(item, yaml.MappingNode)]
        spec = mapping_get(node, "spec")
        replicas: int | None = 1
        if kind == "DaemonSet":
            replicas = None
        elif kind in _REPLICATED and mapping_get(spec, "replicas") is not None:
            replicas = _count(mapping_get(spec, "replicas"))
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


def _sequence(node: yaml.Node | None) -> list[yaml.Node]:
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _count(node: yaml.Node | None) -> int | None:
    text = (scalar_text(node) or "").strip()
    return small_count(text)
