"""kustomize: each `kustomization.yaml` as `kustomize build` sees it, so a workload meets its overlay's objects.

A kustomization is read on its own (`read`: its fields, generator values with their positions,
its patches) and built once every file is read (`Builds`): `resources` (files, and directories
holding a kustomization, recursively), `components`, then `secretGenerator`/`configMapGenerator`
(`literals`, `envs`, `files`; `behavior: merge|replace` changes an object of the same name), then
`patches` (strategic merge and JSON 6902, as far as they touch a container's `env`, `envFrom`,
`image` or the `replicas`), then `replicas` and `images`, then `namespace` and
`namePrefix`/`nameSuffix`.
Renamed objects keep the names references may call them by, so a reference follows a prefix, a
suffix or a generator's hash suffix as kustomize rewrites it. The hash suffix shown is a hash of
the generator's name and keys, not kustomize's hash of the values: a function of a secret key
never leaves the process.

A build that no other build includes (an overlay) is a deployment of its own, named after its
directory; a base used only by overlays is not checked on its own. Values keep the place they are
written (a generator's `literals` line, the env file line, the Secret's value), and findings there
name every overlay that uses them. Remote resources (URLs) are not fetched: OW209 says so.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.sources import discover
from validator.sources.files import SourceError, Workspace
from validator.sources.kubernetes import podenv
from validator.sources.kubernetes.manifests import POD_SPEC, Workload, count, read_manifests, sequence
from validator.sources.kubernetes.objects import DEFAULT_NAMESPACE, Autoscaler, Find, Linked, ObjectKind, Resource
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.yamlfile import load_documents, mapping_get, node_location, scalar_text

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)", re.IGNORECASE)
_GENERATORS: dict[str, ObjectKind] = {"secretGenerator": "Secret", "configMapGenerator": "ConfigMap"}
_HASH_DIGITS = 10
Deploy = Callable[[Workload, Find, "int | None", "list[str | None]", str], Linked]


def in_directory(directory: str) -> str | None:
    """The kustomization file of a directory, if it has one."""
    for name in discover.KUSTOMIZATION_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    return None


@dataclass(frozen=True, slots=True)
class Image:
    """An `images:` entry: containers running `name` (any tag or digest) run this instead."""

    name: str
    new_name: str | None
    new_tag: str | None
    digest: str | None

    def rewrite(self, image: str) -> str | None:
        """The rewritten image, or None when this entry is about another image."""
        name, tag = split_image(image)
        if name != self.name:
            return None
        name = self.new_name or name
        if self.digest:
            return f"{name}@{self.digest}"
        if self.new_tag:
            return f"{name}:{self.new_tag}"
        return name + tag


def split_image(image: str) -> tuple[str, str]:
    """(name, ':tag' or '@digest' as written); a registry's `:port` is part of the name."""
    at = image.find("@")
    if at >= 0:
        return image[:at], image[at:]
    colon = image.rfind(":")
    if colon > image.rfind("/"):
        return image[:colon], image[colon:]
    return image, ""


@dataclass(slots=True)
class Generator:
    kind: ObjectKind
    name: str
    namespace: str | None
    behavior: str
    entries: dict[str, Setting]
    hashed: bool


@dataclass(slots=True)
class Patch:
    """A strategic-merge patch (`workloads`) or JSON 6902 operations (`operations`) on its targets."""

    target_kind: str | None
    target_name: str | None
    workloads: list[tuple[Workload, int | None]] = field(default_factory=list)
    # (op, path, value node), the value written in `path`
    operations: list[tuple[str, str, yaml.Node | None]] = field(default_factory=list)
    path: str = ""


@dataclass(slots=True)
class Kustomization:
    path: str
    resources: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    namespace: str | None = None
    prefix: str = ""
    suffix: str = ""
    images: list[Image] = field(default_factory=list)
    replicas: dict[str, int] = field(default_factory=dict)
    patches: list[Patch] = field(default_factory=list)
    generators: list[Generator] = field(default_factory=list)
    # Files read for this kustomization: generator sources and patches.
    reads: list[str] = field(default_factory=list)

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)


def read(ws: Workspace, path: str, root: yaml.Node) -> ParsedFile:
    """A kustomization's fields, its generators' values and its patches; built later by `Builds`."""
    reader = _Reader(ws, path)
    kustomization = reader.kustomization(root)
    context = [*(entry for entry in kustomization.resources if not os.path.isdir(entry)),
               *(found for entry in (*kustomization.resources, *kustomization.components)
                 if os.path.isdir(entry) and (found := in_directory(entry)) is not None)]
    return ParsedFile(path, "kustomization", findings=reader.findings, pending=[kustomization],
                      uses=tuple(dict.fromkeys(kustomization.reads)), context=tuple(dict.fromkeys(context)))


@dataclass(slots=True)
class _Reader:
    ws: Workspace
    path: str
    findings: list[Finding] = field(default_factory=list)

    def kustomization(self, root: yaml.Node) -> Kustomization:
        result = Kustomization(self.path)
        result.resources = self._paths(root, "resources") + self._paths(root, "bases")
        result.components = self._paths(root, "components")
        result.namespace = scalar_text(mapping_get(root, "namespace")) or None
        result.prefix = scalar_text(mapping_get(root, "namePrefix")) or ""
        result.suffix = scalar_text(mapping_get(root, "nameSuffix")) or ""
        for entry in sequence(mapping_get(root, "images")):
            name = scalar_text(mapping_get(entry, "name"))
            if name:
                result.images.append(Image(name, scalar_text(mapping_get(entry, "newName")),
                                           scalar_text(mapping_get(entry, "newTag")),
                                           scalar_text(mapping_get(entry, "digest"))))
        for entry in sequence(mapping_get(root, "replicas")):
            name, replicas = scalar_text(mapping_get(entry, "name")), count(mapping_get(entry, "count"))
            if name and replicas is not None:
                result.replicas[name] = replicas
        for field_name in ("patches", "patchesStrategicMerge", "patchesJson6902"):
            for entry in sequence(mapping_get(root, field_name)):
                patch = self._patch(entry)
                if patch is not None:
                    result.patches.append(patch)
                    if patch.path != self.path:
                        result.reads.append(patch.path)
        for field_name, kind in _GENERATORS.items():
            for entry in sequence(mapping_get(root, field_name)):
                generator = self._generator(kind, entry, result.reads)
                if generator is not None:
                    result.generators.append(generator)
        return result

    def _paths(self, root: yaml.Node, field_name: str) -> list[str]:
        paths = []
        for entry in sequence(mapping_get(root, field_name)):
            text = scalar_text(entry)
            if not text:
                continue
            if _REMOTE.match(text):
                self.findings.append(Finding(
                    "OW209", Severity.INFO, f"{field_name} entry '{text}' is remote: kustomize fetches it at build "
                    "time, so the objects it adds are not checked", node_location(entry, self.path)))
                continue
            joined = self.local(text)
            if not os.path.exists(joined):
                self.findings.append(Finding(
                    "OW001", Severity.ERROR, f"{field_name} entry '{text}' does not exist: `kustomize build` fails",
                    node_location(entry, self.path)))
                continue
            paths.append(joined)
        return paths

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)

    def local(self, relative: str) -> str:
        """A path the kustomization names, from its directory; a NUL (no file has one) names none."""
        return os.path.normpath(os.path.join(self.directory, relative.replace("\0", "\ufffd")))

    def _documents(self, entry: yaml.Node) -> tuple[str, list[yaml.Node]] | None:
        """The patch's documents and the file they are written in: a `path`, or inline text."""
        if isinstance(entry, yaml.ScalarNode):  # patchesStrategicMerge: a path or an inline patch
            inline = "\n" in entry.value or ":" in entry.value
            path_node, text_node = (None, entry) if inline else (entry, None)
        else:
            path_node, text_node = mapping_get(entry, "path"), mapping_get(entry, "patch")
        try:
            if path_node is not None and scalar_text(path_node):
                path = self.local(scalar_text(path_node) or "")
                return path, self.ws.parsed("yaml", path, load_documents)
            if isinstance(text_node, yaml.ScalarNode):
                # Blank lines before the text keep the lines of the inline patch those of this file.
                padding = "\n" * (text_node.start_mark.line + (1 if text_node.style in ("|", ">") else 0))
                return self.path, load_documents(padding + text_node.value, self.path)
        except SourceError as exc:
            self.findings.append(exc.finding)
        return None

    def _patch(self, entry: yaml.Node) -> Patch | None:
        found = self._documents(entry)
        if found is None or not found[1]:
            return None
        path, documents = found
        target = mapping_get(entry, "target") if isinstance(entry, yaml.MappingNode) else None
        patch = Patch(scalar_text(mapping_get(target, "kind")), scalar_text(mapping_get(target, "name")), path=path)
        if isinstance(documents[0], yaml.SequenceNode):
            for operation in documents[0].value:
                op, where = scalar_text(mapping_get(operation, "op")), scalar_text(mapping_get(operation, "path"))
                if op and where:
                    patch.operations.append((op, where, mapping_get(operation, "value")))
            return patch
        parsed = read_manifests(path, documents)
        for workload, document in zip(parsed.pending, [d for d in documents if _kind(d) in POD_SPEC]):
            patch.workloads.append((workload, count(mapping_get(mapping_get(document, "spec"), "replicas"))))
        return patch

    def _generator(self, kind: ObjectKind, entry: yaml.Node, reads: list[str]) -> Generator | None:
        name = scalar_text(mapping_get(entry, "name"))
        if not name:
            return None
        entries: dict[str, Setting] = {}
        for source in (*sequence(mapping_get(entry, "envs")), mapping_get(entry, "env")):
            env_path = scalar_text(source)
            if env_path:
                entries.update(self._env_file(self.local(env_path), source, reads))
        for source in sequence(mapping_get(entry, "files")):
            entries.update(self._file(scalar_text(source) or "", source, reads))
        for literal in sequence(mapping_get(entry, "literals")):
            setting = self._literal(literal)
            if setting is not None:
                entries[setting.name] = setting
        options = mapping_get(entry, "options")
        disabled = (scalar_text(mapping_get(options, "disableNameSuffixHash")) or "").lower() == "true"
        return Generator(kind, name, scalar_text(mapping_get(entry, "namespace")),
                         scalar_text(mapping_get(entry, "behavior")) or "create", entries, not disabled)

    def _literal(self, node: yaml.Node) -> Setting | None:
        """`KEY=value`: located at the value, where the key is written in this file."""
        text = scalar_text(node)
        if not isinstance(node, yaml.ScalarNode) or not text or "=" not in text:
            return None
        key, value = text.split("=", 1)
        start = node_location(node, self.path)
        quoted = 1 if node.style in ("'", '"') else 0
        where = Location.span(self.path, start.line, start.column + quoted + len(key) + 1, value)
        return Setting(key, _unquoted(value), where, True, "", self.path)

    def _env_file(self, path: str, node: yaml.Node, reads: list[str]) -> dict[str, Setting]:
        from validator.sources.dotenv import parse_dotenv

        try:
            parsed = self.ws.parsed("dotenv", path, parse_dotenv)
        except SourceError as exc:
            self.findings.append(replace(exc.finding, location=node_location(node, self.path))
                                 if exc.finding.location.path != path else exc.finding)
            return {}
        reads.append(path)
        self.findings.extend(parsed.findings)
        return {name: replace(setting, via=self.path) for name, setting in parsed.resolve().items()}

    def _file(self, text: str, node: yaml.Node, reads: list[str]) -> dict[str, Setting]:
        key, _, relative = text.rpartition("=")
        path = self.local(relative)
        try:
            value = self.ws.text(path)
        except SourceError as exc:
            self.findings.append(replace(exc.finding, location=node_location(node, self.path)))
            return {}
        reads.append(path)
        name = key or os.path.basename(path)
        return {name: Setting(name, value, Location(path), True, "", self.path)}


@dataclass(slots=True)
class _Object:
    """An object in a build: the names references may call it by, and whether a hash suffix follows."""

    resource: Resource
    names: frozenset[str]
    hashed: bool = False


@dataclass(slots=True)
class _Built:
    objects: list[_Object] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    autoscalers: list[Autoscaler] = field(default_factory=list)
    files: dict[str, None] = field(default_factory=dict)

    def copy(self) -> _Built:
        """What an including build changes: workloads and their containers are copied, objects are
        replaced when renamed, so a base built once serves every overlay."""
        return _Built(list(self.objects), [_copy(workload) for workload in self.workloads], list(self.autoscalers),
                      dict(self.files))


class Builds:
    """Every kustomization of the run, built once each, and the files they take their objects from."""

    def __init__(self, files: list[ParsedFile]) -> None:
        self._by_directory = {item.directory: item for result in files for item in result.pending
                              if isinstance(item, Kustomization)}
        self._claimed: set[str] = set()
        self._included: set[str] = set()
        for kustomization in self._by_directory.values():
            for entry in (*kustomization.resources, *kustomization.components):
                (self._included if entry in self._by_directory else self._claimed).add(entry)
            self._claimed.update(patch.path for patch in kustomization.patches)
        # What each listed file defines, taken now: link empties `pending` as it goes.
        self._files = {result.path: (list(result.resources), [item for item in result.pending
                                                              if isinstance(item, Workload)])
                       for result in files if result.path in self._claimed}
        self._built: dict[str, _Built] = {}

    def claims(self, path: str) -> bool:
        """Is this file's content built with a kustomization (a resource or a patch of one)?"""
        return path in self._claimed

    def outside(self, files: list[ParsedFile]) -> list[ParsedFile]:
        return [result for result in files if result.path not in self._claimed]

    def deployments(self, kustomization: Kustomization, deploy: Deploy) -> Linked:
        """The deployments of an overlay (a build no other includes); nothing for a base."""
        if kustomization.directory in self._included:
            return [], [], []
        built = self._build(kustomization, ())
        where = f"kustomize build {kustomization.directory or '.'}"
        deployments: list[Deployment] = []
        findings: list[Finding] = []
        scaled = {(a.namespace, a.target_kind, a.target_name): a.max_replicas for a in built.autoscalers}
        table = _table(built.objects)
        for workload in built.workloads:
            find = _finder(table, workload.namespace, where)
            pods = workload.pods(scaled.get((workload.namespace, workload.kind, workload.name)))
            made, found, _ = deploy(workload, find, pods, [c.image for c in workload.containers], where)
            for deployment in made:
                deployment.uses = tuple(dict.fromkeys((*deployment.uses, *built.files)))
            deployments += made
            findings += found
        return deployments, findings, list(built.files)

    def _build(self, kustomization: Kustomization, stack: tuple[str, ...], start: _Built | None = None) -> _Built:
        key = kustomization.directory
        if start is None and key in self._built:
            return self._built[key]
        built = start if start is not None else _Built()
        built.files[kustomization.path] = None
        built.files.update(dict.fromkeys(kustomization.reads))
        for entry in kustomization.resources:
            self._add(built, entry, (*stack, key))
        for entry in kustomization.components:
            component = self._by_directory.get(entry)
            if component is not None and entry not in stack:
                built = self._build(component, (*stack, key), built)
        for generator in kustomization.generators:
            _generate(built, generator, kustomization)
        for patch in kustomization.patches:
            _apply(built, patch)
        _transform(built, kustomization)
        if start is None:
            self._built[key] = built
        return built

    def _add(self, built: _Built, entry: str, stack: tuple[str, ...]) -> None:
        nested = self._by_directory.get(entry)
        if nested is not None:
            if entry not in stack:
                base = self._build(nested, stack).copy()
                built.objects += base.objects
                built.workloads += base.workloads
                built.autoscalers += base.autoscalers
                built.files.update(base.files)
            return
        defined = self._files.get(entry)
        if defined is None:
            return
        built.files[entry] = None
        resources, workloads = defined
        for resource in resources:
            if isinstance(resource, Autoscaler):
                built.autoscalers.append(resource)
            else:
                built.objects.append(_Object(resource, frozenset({resource.name})))
        built.workloads += [_copy(workload) for workload in workloads]


def _generate(built: _Built, generator: Generator, kustomization: Kustomization) -> None:
    namespace = generator.namespace or DEFAULT_NAMESPACE
    if generator.behavior in ("merge", "replace"):
        for number, item in enumerate(built.objects):
            if item.resource.kind == generator.kind and generator.name in item.names:
                entries = generator.entries if generator.behavior == "replace" \
                    else {**item.resource.entries, **generator.entries}
                built.objects[number] = _Object(replace(item.resource, entries=entries), item.names,
                                                item.hashed or generator.hashed)
                return
    resource = Resource(generator.kind, generator.name, namespace, kustomization.path, dict(generator.entries))
    built.objects.append(_Object(resource, frozenset({generator.name}), generator.hashed))


def _targets(built: _Built, kind: str | None, name: str | None) -> list[Workload]:
    return [workload for workload in built.workloads
            if (kind is None or workload.kind == kind) and (name is None or _matches(name, workload.name))]


def _matches(pattern: str, name: str) -> bool:
    """kustomize's target names are regular expressions matched against the whole name."""
    try:
        return re.fullmatch(pattern, name) is not None
    except re.error:
        return pattern == name


def _apply(built: _Built, patch: Patch) -> None:
    for partial, replicas in patch.workloads:
        for workload in _targets(built, patch.target_kind or partial.kind,
                                 patch.target_name if patch.target_kind or patch.target_name else partial.name):
            _merge(workload, partial, replicas)
    if patch.operations:
        for workload in _targets(built, patch.target_kind, patch.target_name):
            for op, where, value in patch.operations:
                _operate(workload, op, where, value, patch.path)


def _merge(workload: Workload, partial: Workload, replicas: int | None) -> None:
    """A strategic merge: containers by name, `env` entries by name, `envFrom` replaced, `image` set."""
    if replicas is not None:
        workload.replicas = replicas
    by_name = {container.name: number for number, container in enumerate(workload.containers)}
    for container in partial.containers:
        number = by_name.get(container.name)
        if number is None:
            workload.containers.append(container)
            continue
        base = workload.containers[number]
        patched = {item.name: item for item in container.env}
        env = [patched.pop(item.name, item) for item in base.env] + list(patched.values())
        workload.containers[number] = replace(
            base, env=env, env_from=container.env_from or base.env_from,
            image=container.image if container.has_image else base.image,
            has_image=base.has_image or container.has_image)


_CONTAINER_PATH = re.compile(r"^/containers/(\d+)(?:/(env|envFrom|image)(?:/(\d+|-))?)?$")


def _operate(workload: Workload, op: str, where: str, value: yaml.Node | None, path: str) -> None:
    """One JSON 6902 operation on `replicas`, or on a container's `image`, `env` or `envFrom`."""
    if where == "/spec/replicas":
        workload.replicas = count(value) if op in ("add", "replace") else None
        return
    pod = "/" + "/".join(POD_SPEC.get(workload.kind, ()))
    if not where.startswith(pod):
        return
    match = _CONTAINER_PATH.match(where[len(pod):])
    if match is None or int(match.group(1)) >= len(workload.containers):
        return
    number, part, position = int(match.group(1)), match.group(2), match.group(3)
    container = workload.containers[number]
    if part == "image":
        image = scalar_text(value) if op in ("add", "replace") else None
        workload.containers[number] = replace(container, image=image, has_image=image is not None)
    elif part == "env":
        listed = list(container.env)
        items = podenv.read_env(yaml.SequenceNode("tag:yaml.org,2002:seq", [value]), path) if value is not None else []
        _edit(listed, op, position, items, podenv.read_env(value, path) if position is None else None)
        workload.containers[number] = replace(container, env=listed)
    elif part == "envFrom":
        listed_from = list(container.env_from)
        items_from = podenv.read_env_from(yaml.SequenceNode("tag:yaml.org,2002:seq", [value]), path) \
            if value is not None else []
        _edit(listed_from, op, position, items_from, podenv.read_env_from(value, path) if position is None else None)
        workload.containers[number] = replace(container, env_from=listed_from)


def _edit(listed: list, op: str, position: str | None, items: list, whole: list | None) -> None:  # type: ignore[type-arg]
    """Add, replace or remove one list element (`-` appends), or the whole list."""
    if position is None:
        listed[:] = whole if op in ("add", "replace") and whole is not None else []
        return
    at = len(listed) if position == "-" else int(position)
    if op == "remove" and at < len(listed):
        del listed[at]
    elif op == "replace" and at < len(listed) and items:
        listed[at] = items[0]
    elif op == "add" and at <= len(listed):
        listed[at:at] = items


def _transform(built: _Built, kustomization: Kustomization) -> None:
    """`replicas` and `images` (by the names as they are before this kustomization renames them), then
    `namespace` and `namePrefix`/`nameSuffix`."""
    for workload in built.workloads:
        workload.replicas = kustomization.replicas.get(workload.name, workload.replicas)
        for number, container in enumerate(workload.containers):
            rewritten = next((image for entry in kustomization.images
                              if container.image and (image := entry.rewrite(container.image)) is not None), None)
            if rewritten is not None:
                workload.containers[number] = replace(container, image=rewritten)
    namespace, prefix, suffix = kustomization.namespace, kustomization.prefix, kustomization.suffix
    if not (namespace or prefix or suffix):
        return
    for number, item in enumerate(built.objects):
        resource = item.resource
        name = prefix + resource.name + suffix
        built.objects[number] = _Object(replace(resource, name=name, namespace=namespace or resource.namespace),
                                        item.names | {name}, item.hashed)
    for workload in built.workloads:
        workload.name = prefix + workload.name + suffix
        if namespace:
            workload.namespace, workload.explicit_namespace = namespace, True
    built.autoscalers = [replace(a, namespace=namespace or a.namespace, target_name=prefix + a.target_name + suffix)
                         for a in built.autoscalers]


def _table(objects: list[_Object]) -> dict[tuple[str, str, str], Resource]:
    """A build's objects by (kind, any name they had, namespace), as they are in the end."""
    table: dict[tuple[str, str, str], Resource] = {}
    for item in objects:
        shown = _hashed(item) if item.hashed else item.resource
        for name in item.names:
            table[(item.resource.kind, name, item.resource.namespace)] = shown
    return table


def _finder(table: dict[tuple[str, str, str], Resource], namespace: str, where: str) -> Find:
    """References of a workload in a build: objects of that build, in its namespace, by any name they had."""

    def find(kind: ObjectKind, name: str) -> Resource | str:
        found = table.get((kind, name, namespace))
        if found is not None:
            return found
        return f"{kind} '{name}' in namespace '{namespace}', which `{where}` does not produce"

    return find


def _hashed(item: _Object) -> Resource:
    """The name with a suffix made from the generator's name and keys (kustomize hashes the values)."""
    digest = hashlib.sha256("\0".join([item.resource.name, *sorted(item.resource.entries)]).encode()).hexdigest()
    return replace(item.resource, name=f"{item.resource.name}-{digest[:_HASH_DIGITS]}")


def _copy(workload: Workload) -> Workload:
    return replace(workload, containers=[replace(container) for container in workload.containers])


def _kind(node: yaml.Node) -> str | None:
    return scalar_text(mapping_get(node, "kind"))


def _unquoted(value: str) -> str:
    """kustomize strips one pair of matching quotes around a literal's value."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value

