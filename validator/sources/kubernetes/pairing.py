"""Which Secrets and ConfigMaps each workload's references resolve to, and the deployments that makes.

`link` runs once every file of the run is read and turns each workload container into a
Deployment, resolving `secretKeyRef`, `configMapKeyRef` and `envFrom` against the objects of all
files (same name and namespace; no namespace is `default`), as `kubectl apply -f dir/` would
create them together.

When one object is defined in several directories (a kustomize base with a Secret per overlay),
the workload is checked once per directory, so each overlay's key is checked and compared.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from validator.findings import Finding
from validator.openwebui.detect import has_marker, is_official_image
from validator.sources.kubernetes import podenv
from validator.sources.kubernetes.manifests import Container, Workload
from validator.sources.kubernetes.objects import DEFAULT_NAMESPACE, Autoscaler, Find, ObjectKind, Resource
from validator.sources.model import Deployment, ParsedFile

Linked = tuple[list[Deployment], list[Finding], list[str]]


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
            deployments, findings, uses = build(item, index) if isinstance(item, Workload) else item.build(index)
            result.deployments.extend(deployments)
            result.findings.extend(finding for finding in findings if finding not in result.findings)
            result.uses = tuple(dict.fromkeys((*result.uses, *uses)))


def build(workload: Workload, index: Index) -> Linked:
    """The deployments of each container of a workload, with the objects its references resolve to."""
    refs = [ref for container in workload.containers for ref in podenv.references(container.env, container.env_from)]
    replicas = index.replicas(workload)
    deployments: list[Deployment] = []
    findings: list[Finding] = []
    uses: dict[str, None] = {}
    reported: set[int] = set()
    for variant, find in index.variants(refs, workload.namespace):
        for number, container in enumerate(workload.containers):
            image = container.image if container.has_image else index.patched_image(workload, container.name)
            deployment = _deployment(workload, container, find, variant, replicas, image)
            uses.update(dict.fromkeys(deployment.uses))
            deployments.append(deployment)
            if deployment.openwebui and number not in reported:  # another app's duplicates are its business
                reported.add(number)
                scope = f"container '{container.name}' of {workload.label}"
                findings.extend(podenv.duplicates(container.env, scope))
    return deployments, findings, [path for path in uses if path != workload.path]

def _deployment(workload: Workload, container: Container, find: Find, variant: str, replicas: int | None,
                image: str | None) -> Deployment:
    environment = podenv.resolve(container.env, container.env_from, find, workload.path)
    official = is_official_image(image)
    runs_openwebui = official and not (container.init and container.own_command)
    patch = workload.patch or not container.has_image
    return Deployment(
        name=f"{workload.label} container '{container.name}' ({workload.path}{variant})",
        kind="k8s-patch" if patch else "k8s-workload",
        location=container.location,
        settings=environment.settings,
        image=image,
        replicas=replicas,
        official_image=official,
        openwebui=runs_openwebui or has_marker(environment.names),
        uses=tuple(environment.uses),
    )
