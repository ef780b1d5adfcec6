"""Which Secrets and ConfigMaps each workload's references resolve to, and the deployments that makes.

`link` runs once every file of the run is read. Kustomizations are built first
(validator.sources.kubernetes.kustomize): a workload in a build sees only the objects of that
build. Outside any kustomization, a reference resolves to the object of that name and namespace
(no namespace is `default`) in the same file, else the same directory (the last one, as
`kubectl apply -f dir/` leaves it), else the same project: the nearest directory above both that
holds one definition alone. Where the nearest such directory holds several, the value is not
guessed: the reference is unresolved (OW209) naming the candidates. A workload is never combined
with an object of an unrelated project, and nothing is done per pair: each lookup walks up the
workload's directories once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from validator.findings import Finding
from validator.openwebui.detect import identify, is_official_image
from validator.sources.kubernetes import kustomize, podenv
from validator.sources.kubernetes.manifests import Container, Workload
from validator.sources.kubernetes.objects import DEFAULT_NAMESPACE, Autoscaler, Find, Linked, ObjectKind, Resource
from validator.sources.model import Deployment, ParsedFile

_SHOWN_CANDIDATES = 4
_ANY = "*"  # no namespace is called that: the key of every definition of a name, whatever its namespace


class Index:
    """Secrets, ConfigMaps and autoscalers of the files outside any kustomization, by name and namespace."""

    def __init__(self, files: Iterable[ParsedFile]) -> None:
        # (kind, name, namespace) -> definitions in path order
        self._objects: dict[tuple[str, str, str], list[Resource]] = {}
        # (kind, name, namespace) -> directory -> definitions at or below it; built when first asked
        self._below: dict[tuple[str, str, str], dict[str, list[Resource]]] = {}
        self._namespaces: dict[tuple[str, str], set[str]] = {}
        self._max_replicas: dict[tuple[str, str, str], int] = {}
        # (kind, name) -> container name -> image, of complete workloads (what a patch is merged onto)
        self._images: dict[tuple[str, str], dict[str, str | None]] = {}
        for result in sorted(files, key=lambda parsed: parsed.path):
            for pending in result.pending:
                if isinstance(pending, Workload) and not pending.patch:
                    images = self._images.setdefault((pending.kind, pending.name), {})
                    images.update((container.name, container.image) for container in pending.containers)
            for resource in result.resources:
                if isinstance(resource, Autoscaler):
                    key = (resource.namespace, resource.target_kind, resource.target_name)
                    self._max_replicas[key] = max(self._max_replicas.get(key, 0), resource.max_replicas)
                else:
                    for namespace in (resource.namespace, _ANY):
                        self._objects.setdefault((resource.kind, resource.name, namespace), []).append(resource)
                    self._namespaces.setdefault((resource.kind, resource.name), set()).add(resource.namespace)

    def replicas(self, workload: Workload) -> int | None:
        """Pods the workload can run: spec.replicas, or more when an autoscaler may scale it up."""
        return workload.pods(self._max_replicas.get((workload.namespace, workload.kind, workload.name)))

    def patched_image(self, patch: Workload, container: str) -> str | None:
        """The image of the container a kustomize patch changes (namespaces are the overlay's to set)."""
        return self._images.get((patch.kind, patch.name), {}).get(container)

    def finder(self, path: str, namespace: str | None) -> Find:
        """How references written in `path` resolve; any namespace when `namespace` is None (a Helm
        release installed into a namespace chosen at install time)."""
        def find(kind: ObjectKind, name: str) -> Resource | str:
            key = (kind, name, _ANY if namespace is None else namespace)
            if key in self._objects:
                return self._nearest(key, path)
            elsewhere = sorted(self._namespaces.get((kind, name), ()))
            if elsewhere:
                return (f"{kind} '{name}' in namespace '{namespace}', which the files define only in namespace "
                        f"{', '.join(repr(ns) for ns in elsewhere)} (no namespace means '{DEFAULT_NAMESPACE}')")
            where = f" in namespace '{namespace}'" if namespace not in (None, DEFAULT_NAMESPACE) else ""
            return f"{kind} '{name}'{where}, which is not among the files checked"

        return find

    def _nearest(self, key: tuple[str, str, str], path: str) -> Resource | str:
        definitions = self._objects[key]
        if len(definitions) == 1:
            return definitions[0]
        same_file = [resource for resource in definitions if resource.path == path]
        if same_file:
            return same_file[-1]
        below = self._below.get(key)
        if below is None:
            below = self._below[key] = _by_directory(definitions)
        directory = os.path.dirname(path)
        here = [resource for resource in below.get(directory, ()) if os.path.dirname(resource.path) == directory]
        if here:
            return here[-1]
        while True:
            held = below.get(directory)
            if held:
                return held[0] if len(held) == 1 else _ambiguous(key[0], key[1], held)
            parent = os.path.dirname(directory)
            if parent == directory:
                return _ambiguous(key[0], key[1], definitions)
            directory = parent


def _by_directory(definitions: list[Resource]) -> dict[str, list[Resource]]:
    """Each directory holding a definition (at any depth), with the definitions under it."""
    below: dict[str, list[Resource]] = {}
    for resource in definitions:
        directory = os.path.dirname(resource.path)
        while True:
            below.setdefault(directory, []).append(resource)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return below


def _ambiguous(kind: str, name: str, candidates: list[Resource]) -> str:
    shown = ", ".join(resource.path for resource in candidates[:_SHOWN_CANDIDATES])
    more = f" and {len(candidates) - _SHOWN_CANDIDATES} more" if len(candidates) > _SHOWN_CANDIDATES else ""
    return (f"{kind} '{name}', which {len(candidates)} places equally near define ({shown}{more}): "
            "check the files that are applied together, or put the object beside the workload")


def link(files: list[ParsedFile], keep: Callable[[str], bool] = lambda path: False) -> None:
    """Build every kustomization, then turn every other pending workload into deployments. Only Open
    WebUI's are kept, and those in files `keep` names (config `assume-openwebui`): a repository of
    rendered bundles has thousands of other containers, whose settings need not outlive this."""
    builds = kustomize.Builds(files)
    index = Index(builds.outside(files))
    for result in files:
        pending, result.pending = result.pending, []
        for item in pending:
            if isinstance(item, kustomize.Kustomization):
                linked = builds.deployments(item, deploy)
            elif isinstance(item, Workload) and builds.claims(result.path):
                continue  # built with the kustomization that lists it
            elif isinstance(item, Workload):
                linked = build(item, index)
            else:
                linked = item.build(index)
            deployments, findings, uses = linked
            result.deployments.extend(d for d in deployments if d.openwebui or keep(d.location.path))
            result.findings.extend(finding for finding in findings if finding not in result.findings)
            result.uses = tuple(dict.fromkeys((*result.uses, *uses)))


def build(workload: Workload, index: Index) -> Linked:
    """The deployments of each container of a workload outside any kustomization."""
    images = [container.image if container.has_image else index.patched_image(workload, container.name)
              for container in workload.containers]
    return deploy(workload, index.finder(workload.path, workload.namespace), index.replicas(workload), images,
                  workload.path)


def deploy(workload: Workload, find: Find, count: int | None, images: list[str | None], where: str) -> Linked:
    """One deployment per container, its references resolved by `find`; `where` names the file or build."""
    deployments: list[Deployment] = []
    findings: list[Finding] = []
    uses: dict[str, None] = {}
    for container, image in zip(workload.containers, images):
        deployment = _deployment(workload, container, find, where, count, image)
        uses.update(dict.fromkeys(deployment.uses))
        deployments.append(deployment)
        if deployment.openwebui:  # another app's duplicates are its business
            scope = f"container '{container.name}' of {workload.label}"
            findings.extend(podenv.duplicates(container.env, scope))
    return deployments, findings, [path for path in uses if path != workload.path]


def _deployment(workload: Workload, container: Container, find: Find, where: str, count: int | None,
                image: str | None) -> Deployment:
    environment = podenv.resolve(container.env, container.env_from, find, workload.path)
    official = is_official_image(image)
    # An init container running its own command (the chart's `copy-app-data`) is not Open WebUI.
    because = "" if official and container.init and container.own_command else identify(image, environment.names)
    patch = workload.patch or not container.has_image
    return Deployment(
        name=f"{workload.label} container '{container.name}' ({where})",
        kind="k8s-patch" if patch else "k8s-workload",
        location=container.location,
        settings=environment.settings,
        image=image,
        replicas=count,
        official_image=official,
        openwebui=bool(because),
        because=because,
        uses=tuple(environment.uses),
    )
