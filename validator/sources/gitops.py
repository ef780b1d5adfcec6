"""The open-webui chart installed by a GitOps tool: its values as Argo CD, Flux or Fleet carry them.

- Argo CD `Application` (and the `template` of an `ApplicationSet`): each of `spec.source` /
  `spec.sources` whose `chart` is open-webui. Values are layered as Argo CD passes them to Helm:
  `helm.values` (a YAML string: its positions are mapped back into this file), then
  `helm.valuesObject`, then `helm.parameters` (`--set name=value`).
- Flux `HelmRelease`: `spec.chart.spec.chart: open-webui`, values in `spec.values` over those of
  `valuesFrom` (a Secret's or ConfigMap's `valuesKey`, or one value at `targetPath`). A `valuesFrom`
  object not among the files is read from the cluster by Flux, so a key missing here may come from
  there: OW209, never OW205.
- Fleet `fleet.yaml`: `helm.chart` open-webui (or a repo of the chart), values in `helm.values`.

The values then go through the chart's own rendering (validator.sources.helm), as a values file
does; the values of any other chart are searched for Open WebUI's image (validator.sources.otherchart). `targetRevision` and `version` are chart versions, not Open WebUI releases: the release
comes from `image.tag` when the values set it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.sources import helm, otherchart
from validator.sources.kubernetes.objects import DEFAULT_NAMESPACE, Linked, ObjectKind
from validator.sources.kubernetes.pairing import Index
from validator.sources.model import ParsedFile, Setting
from validator.sources.files import SourceError
from validator.sources.yamlfile import load_documents, mapping_get, node_location, scalar_text

_MAP_TAG, _SEQ_TAG, _STR_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
# `--set` keys: `a.b`, `list[0].name`, `a\.b` (an escaped dot is part of the name).
# Helm's own limit on a `--set` list index.
_MAX_SET_INDEX = 65536
_SET_PART = re.compile(r"((?:\\.|[^.\[\\])+)((?:\[\d+\])*)")


class _Pending(Protocol):
    """What pairing.link builds once every file is read: a chart's release, or a Flux release."""

    def build(self, index: Index) -> Linked: ...


def read(node: yaml.Node, kind: str, path: str, findings: list[Finding]) -> list[_Pending]:
    """The open-webui chart releases an Argo CD or Flux object installs; [] for any other chart."""
    name = scalar_text(mapping_get(mapping_get(node, "metadata"), "name")) or "(unnamed)"
    spec = mapping_get(node, "spec")
    if kind == "HelmRelease":
        namespace = scalar_text(mapping_get(mapping_get(node, "metadata"), "namespace")) or DEFAULT_NAMESPACE
        return _flux(spec, f"Flux HelmRelease '{name}'", path, namespace)
    if kind == "ApplicationSet":
        spec = mapping_get(mapping_get(spec, "template"), "spec")
    label = f"Argo CD {kind} '{name}'"
    sources = [mapping_get(spec, "source")]
    listed = mapping_get(spec, "sources")
    sources += listed.value if isinstance(listed, yaml.SequenceNode) else []
    return [release for source in sources if source is not None
            for release in _argo(source, label, path, findings)]


def read_fleet(path: str, root: yaml.Node) -> ParsedFile | None:
    """A Fleet bundle's `fleet.yaml` that installs the open-webui chart; None otherwise."""
    options = mapping_get(root, "helm")
    if options is None or not (_is_chart(options) or "open-webui" in (scalar_text(mapping_get(options, "repo")) or "")):
        return None
    layers = _object_layer(options, "values", path)
    pending = helm.chart_release(layers or [_empty(options, path)], name=f"Fleet bundle {path}",
                            location=node_location(_anchor(options, "values"), path))
    return ParsedFile(path, "fleet", pending=[pending], openwebui=True)


def _is_chart(source: yaml.Node) -> bool:
    """`chart: open-webui` (a Helm repository or OCI), or a Git path to the chart's directory."""
    chart = scalar_text(mapping_get(source, "chart")) or ""
    if chart.rstrip("/").rsplit("/", 1)[-1] == helm.CHART:
        return True
    chart_path = (scalar_text(mapping_get(source, "path")) or "").rstrip("/")
    return chart_path.rsplit("/", 1)[-1] == helm.CHART and "open-webui" in (scalar_text(mapping_get(source, "repoURL")) or "")


def _argo(source: yaml.Node, label: str, path: str, findings: list[Finding]) -> list[_Pending]:
    options = mapping_get(source, "helm")
    if not _is_chart(source):
        chart = scalar_text(mapping_get(source, "chart")) or scalar_text(mapping_get(source, "path")) or "?"
        return [release for layer in (*_string_layer(options, path, findings), *_object_layer(options, "valuesObject", path))
                for release in otherchart.releases(layer.values, path, f"values of chart {chart} in {label}")]
    layers = [*_string_layer(options, path, findings), *_object_layer(options, "valuesObject", path),
              *_parameters_layer(options, path)]
    anchor = _anchor(options, "valuesObject", "values", "parameters") if options is not None else None
    location = node_location(anchor if anchor is not None else mapping_get(source, "chart") or source, path)
    return [helm.chart_release(layers or [_empty(source, path)], name=f"{label} (chart open-webui) in {path}",
                          location=location)]


def _flux(spec: yaml.Node | None, label: str, path: str, namespace: str) -> list[_Pending]:
    chart = mapping_get(mapping_get(mapping_get(spec, "chart"), "spec"), "chart")
    if (scalar_text(chart) or "") != helm.CHART:
        values = mapping_get(spec, "values")
        return otherchart.releases(values, path, f"values of chart {scalar_text(chart) or '?'} in {label}") \
            if isinstance(values, yaml.MappingNode) else []
    values_from = mapping_get(spec, "valuesFrom")
    sources = [_ValuesFrom.read(item, path) for item in
               (values_from.value if isinstance(values_from, yaml.SequenceNode) else [])]
    location = node_location(_anchor(spec, "values", "valuesFrom") or chart, path)  # type: ignore[arg-type]
    return [_FluxRelease(_object_layer(spec, "values", path) or [_empty(chart, path)],  # type: ignore[arg-type]
                         [source for source in sources if source is not None], namespace,
                         f"{label} (chart open-webui) in {path}", location)]


@dataclass(frozen=True, slots=True)
class _ValuesFrom:
    """One `valuesFrom` entry: a key of a Secret or ConfigMap holding values YAML (or one value at `target`)."""

    kind: ObjectKind
    name: str
    key: str
    target: str
    optional: bool
    at: Location

    @classmethod
    def read(cls, item: yaml.Node, path: str) -> _ValuesFrom | None:
        kind, name = scalar_text(mapping_get(item, "kind")), scalar_text(mapping_get(item, "name"))
        if kind not in ("Secret", "ConfigMap") or not name:
            return None
        return cls(kind, name, scalar_text(mapping_get(item, "valuesKey")) or "values.yaml",  # type: ignore[arg-type]
                   scalar_text(mapping_get(item, "targetPath")) or "",
                   (scalar_text(mapping_get(item, "optional")) or "").lower() == "true", node_location(item, path))


@dataclass(slots=True)
class _FluxRelease:
    """A HelmRelease whose `valuesFrom` objects are known once every file is read. Flux merges them
    in order, then `spec.values` over them; one not among the files makes the key OW209."""

    layers: list[helm.Layer]
    values_from: list[_ValuesFrom]
    namespace: str
    name: str
    location: Location

    def build(self, index: Index) -> Linked:
        layers: list[helm.Layer] = []
        unseen: list[str] = []
        read: list[str] = []
        # Values set at a `targetPath`, as placed in a layer of another file -> (where the value is
        # written, or why it is not known).
        planted: dict[Location, tuple[Location, str]] = {}
        # Files of the Secrets read: a value there is not written in a committed manifest (no OW207).
        secret_files: set[str] = set()
        find = index.finder(self.location.path, self.namespace)
        for source in self.values_from:
            found = find(source.kind, source.name)
            resource = None if isinstance(found, str) else found
            entry = resource.entries.get(source.key) if resource is not None else None
            missing = f"key '{source.key}' of {source.kind} '{source.name}'"
            reason = (f"Flux sets it from {missing} (valuesFrom), which is not among the files checked"
                      if entry is None or entry.value is None else "")
            if reason and source.optional:
                continue
            if entry is not None and not reason:
                read.append(resource.path)  # type: ignore[union-attr]
                if source.kind == "Secret":
                    secret_files.add(resource.path)  # type: ignore[union-attr]
            if source.target:  # one value, set into what the earlier sources gave (Flux merges in order)
                where = entry.location if entry is not None and not reason else source.at
                if not layers:
                    layers.append(helm.Layer(where.path, yaml.MappingNode(_MAP_TAG, [], *_marks(where)), ""))
                _set(layers[-1].values, _set_path(source.target),
                     yaml.ScalarNode(_STR_TAG, "" if reason else entry.value, *_marks(where)))  # type: ignore[union-attr]
                planted[replace(where, path=layers[-1].path)] = (where, reason)
            elif reason:
                unseen.append(missing)
            else:
                layers += _setting_layer(entry)  # type: ignore[arg-type]
        why = (f"it is not in spec.values and may come through valuesFrom from {', '.join(unseen)}, which Flux "
               "reads from the cluster and is not among the files checked") if unseen else ""
        release = helm.chart_release([*layers, *self.layers], name=self.name, location=self.location, unseen=why)
        deployments, findings, uses = release.build(index)
        for deployment in deployments:
            for name, setting in deployment.settings.items():
                if setting.location in planted:
                    where, reason = planted[setting.location]
                    setting = replace(setting, location=where) if not reason else \
                        replace(setting, value=None, location=where, literal=False, unresolved=reason)
                if setting.location.path in secret_files:
                    setting = replace(setting, literal=False)
                deployment.settings[name] = setting
        return deployments, findings, list(dict.fromkeys((*uses, *read)))


def _setting_layer(entry: Setting) -> list[helm.Layer]:
    """The values YAML a Secret or ConfigMap key holds, located in the file that defines it."""
    path, where = entry.location.path, entry.location
    try:
        documents = load_documents(entry.value or "", path)
    except SourceError:
        return []
    root = documents[0] if len(documents) == 1 else None
    if not isinstance(root, yaml.MappingNode):
        return []
    block = entry.literal and _character(path, where.line - 1, where.column - 1) in ("|", ">")
    _move(root, _shifter(path, where.line - 1, where.column - 1, "|" if block else "", "\n" in (entry.value or "")))
    return [helm.Layer(path, root, "")]


def _marks(where: Location) -> tuple[yaml.Mark, yaml.Mark]:
    return (yaml.Mark(where.path, 0, where.line - 1, where.column - 1, None, None),
            yaml.Mark(where.path, 0, where.end_line - 1, where.end_column - 1, None, None))


def _character(path: str, line: int, column: int) -> str:
    lines = _lines(path)
    return lines[line][column:column + 1] if line < len(lines) else ""


def _anchor(node: yaml.Node | None, *keys: str) -> yaml.Node | None:
    """The first of `keys` present in `node`, as its key node: where to add what is missing."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key in keys:
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node
    return None


def _empty(at: yaml.Node, path: str) -> helm.Layer:
    """No values at all: the chart's defaults."""
    return helm.Layer(path, yaml.MappingNode(_MAP_TAG, [], at.start_mark, at.end_mark), "")


def _object_layer(options: yaml.Node | None, key: str, path: str) -> list[helm.Layer]:
    values = mapping_get(options, key)
    return [helm.Layer(path, values, "")] if isinstance(values, yaml.MappingNode) else []


def _string_layer(options: yaml.Node | None, path: str, findings: list[Finding]) -> list[helm.Layer]:
    """`helm.values: |` parsed as YAML, each node moved to where its text is in this file."""
    node = mapping_get(options, "values")
    if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
        return []
    try:
        documents = load_documents(node.value, path)
    except SourceError as exc:
        where = exc.finding.location
        line, column = _shift(node, path)(where.line - 1, where.column - 1)
        findings.append(Finding("OW001", Severity.ERROR, f"{exc.finding.message} in helm.values: Argo CD cannot "
                                "render the chart", Location(path, line + 1, column + 1)))
        return []
    root = documents[0] if len(documents) == 1 else None
    if not isinstance(root, yaml.MappingNode):
        return []
    _move(root, _shift(node, path))
    return [helm.Layer(path, root, "")]


def _shift(node: yaml.ScalarNode, path: str):  # type: ignore[no-untyped-def]
    start = node.start_mark
    return _shifter(path, start.line, start.column, node.style or "", "\n" in node.value)


def _shifter(path: str, line0: int, column0: int, style: str, multiline: bool):  # type: ignore[no-untyped-def]
    """(line, column) in a string written at (line0, column0) -> (line, column) in the file, all
    0-based. A block scalar's lines start on the line after its `|` and are indented alike; a
    one-line scalar starts after its quote; any other shape maps to the scalar's start."""
    if style in ("|", ">"):
        indent = _block_indent(path, line0 + 1)
        if indent is not None:
            return lambda line, column: (line0 + 1 + line, indent + column)
    elif not multiline:
        first = column0 + (1 if style in ("'", '"') else 0)
        return lambda line, column: (line0, first + column)
    return lambda line, column: (line0, column0)


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError:
        return []


def _block_indent(path: str, first_line: int) -> int | None:
    """The indentation of a block scalar's content: that of its first non-blank line."""
    for line in _lines(path)[first_line:]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return None


def _move(root: yaml.Node, shift) -> None:  # type: ignore[no-untyped-def]
    """Give every node of the parsed string its position in the file (aliases are moved once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for attribute in ("start_mark", "end_mark"):
            mark = getattr(node, attribute)
            line, column = shift(mark.line, mark.column)
            setattr(node, attribute, yaml.Mark(mark.name, mark.index, line, column, None, None))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _parameters_layer(options: yaml.Node | None, path: str) -> list[helm.Layer]:
    """`helm.parameters` as the values tree `--set` builds (`extraEnvVars[0].value`, `image.tag`)."""
    parameters = mapping_get(options, "parameters")
    if not isinstance(parameters, yaml.SequenceNode) or not parameters.value:
        return []
    root = yaml.MappingNode(_MAP_TAG, [], parameters.start_mark, parameters.end_mark)
    for item in parameters.value:
        name, value = scalar_text(mapping_get(item, "name")), mapping_get(item, "value")
        if name and isinstance(value, yaml.ScalarNode):
            _set(root, _set_path(name), yaml.ScalarNode(_STR_TAG, value.value, value.start_mark, value.end_mark))
    return [helm.Layer(path, root, "")]


def _set_path(name: str) -> list[str | int]:
    steps: list[str | int] = []
    for part, indexes in _SET_PART.findall(name):
        steps.append(part.replace("\\.", "."))
        steps += [int(index) for index in re.findall(r"\d+", indexes)]
    return steps


def _set(root: yaml.Node, steps: list[str | int], value: yaml.Node) -> None:
    node = root
    for number, step in enumerate(steps):
        last = number == len(steps) - 1
        following = None if last else steps[number + 1]
        fresh = value if last else (yaml.SequenceNode(_SEQ_TAG, [], value.start_mark, value.end_mark)
                                    if isinstance(following, int) else
                                    yaml.MappingNode(_MAP_TAG, [], value.start_mark, value.end_mark))
        if isinstance(step, int) and step > _MAX_SET_INDEX:
            return  # Helm refuses it too (strvals: index too large)
        if isinstance(step, int) and isinstance(node, yaml.SequenceNode):
            while len(node.value) <= step:
                node.value.append(yaml.MappingNode(_MAP_TAG, [], value.start_mark, value.end_mark))
            if last or not isinstance(node.value[step], type(fresh)):
                node.value[step] = fresh
            node = node.value[step]
        elif isinstance(step, str) and isinstance(node, yaml.MappingNode):
            existing = next((child for key, child in node.value if key.value == step), None)
            if existing is None or last or not isinstance(existing, type(fresh)):
                node.value = [(key, child) for key, child in node.value if key.value != step]
                node.value.append((yaml.ScalarNode(_STR_TAG, step, value.start_mark, value.end_mark), fresh))
                existing = fresh
            node = existing
        else:
            return
