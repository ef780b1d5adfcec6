"""Helm values for the open-webui chart (open-webui/helm-charts): the Open WebUI container's environment.

The chart's workload template writes a few variables of its own (never the key or the
lifetime), then `extraEnvVars` (a list of env entries, or a map it renders in key order with
each plain value through `quote`), then `commonEnvVars` (a list), and `extraEnvFrom` as
`envFrom`; the kubelet then resolves them as for any container (validator.sources.kubernetes.podenv). The
chart sets no WEBUI_SECRET_KEY, runs `image.repository` (default ghcr.io/open-webui/open-webui),
and `replicaCount` pods (default 1), up to `autoscaling.maxReplicas` when autoscaling is on.

A `values-prod.yaml` beside a `values.yaml` is taken as an override installed with
`-f values.yaml -f values-prod.yaml`: Helm merges maps key by key and replaces anything else,
so each override is one release, and a `values.yaml` with overrides is not a release of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui import release
from validator.openwebui.detect import has_marker, is_official_image
from validator.openwebui.versions import Version
from validator.sources import discover, goyaml
from validator.sources.files import SourceError, Workspace
from validator.sources.kubernetes import podenv
from validator.sources.kubernetes.objects import Linked
from validator.sources.kubernetes.pairing import Index
from validator.sources.kubernetes.podenv import EnvFromItem, EnvItem
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.yamlfile import load_documents, mapping_entries, mapping_get, node_location, scalar_text

CHART = "open-webui"
KEY = "WEBUI_SECRET_KEY"
DEFAULT_IMAGE = "ghcr.io/open-webui/open-webui"
BASE_NAMES = ("values.yaml", "values.yml")
_OTHER_CHART = "/"  # cannot be a values key
# What the official chart's Chart.yaml names in `home` or `sources`; a chart called open-webui
# naming neither is someone's own, whose templates decide what the container gets.
_OFFICIAL_CHART_URLS = ("github.com/open-webui/helm-charts", "openwebui.com", "github.com/open-webui/open-webui")
# Keys of this chart's values; the second set only this chart has (the ollama chart has `ollama`
# too, but its own image).
_CHART_KEYS = frozenset({"extraEnvVars", "commonEnvVars", "extraEnvFrom", "replicaCount", "ollama", "pipelines",
                         "ollamaUrls", "openaiBaseApiUrl", "openaiBaseApiUrls"})
_OWN_KEYS = frozenset({"ollama", "pipelines", "ollamaUrls", "ollamaUrlsFromExtraEnv", "openaiBaseApiUrl",
                       "openaiBaseApiUrls", "enableOpenaiApi", "openaiApiKey"})


@dataclass(frozen=True, slots=True)
class Layer:
    """One file's values for the chart: its top level (key "") or its `<key>:` part (umbrella chart)."""

    path: str
    values: yaml.MappingNode
    key: str


def read(ws: Workspace, path: str, root: yaml.Node) -> ParsedFile | None:
    """The release a values file of the open-webui chart deploys; None when it is not such a file."""
    if not discover.is_helm_values_name(path):
        return None
    private = _private_chart(ws, path)
    if private is not None:
        return ParsedFile(path, "helm-values", findings=[private], openwebui=True)
    base_path = _base_beside(path)
    base = _layer(ws, base_path, _root(ws, base_path), None) if base_path is not None else None
    own = _layer(ws, path, root, base.key if base is not None else None)
    if own is None:
        return None
    context = tuple(discover.yaml_files_beside(path))
    if base is None and any(discover.is_helm_values_name(other) for other in context):
        # A values.yaml under overrides: its values are checked through each override's release.
        return ParsedFile(path, "helm-values", openwebui=True, context=context)
    layers = [own] if base is None else [base, own]
    return ParsedFile(path, "helm-values", pending=[chart_release(layers, app_version=_app_version(ws, path, own.key))],
                      openwebui=True, context=context)


def _private_chart(ws: Workspace, path: str) -> Finding | None:
    """OW209 for the values of a chart called open-webui that is not the official one: its own
    templates render the environment, and reading them with the official chart's would guess."""
    chart_path = discover.chart_file_beside(path)
    chart = _root(ws, chart_path) if chart_path is not None else None
    if chart is None or scalar_text(mapping_get(chart, "name")) != CHART:
        return None
    urls = [scalar_text(mapping_get(chart, "home")) or ""]
    sources = mapping_get(chart, "sources")
    urls += [scalar_text(item) or "" for item in (sources.value if isinstance(sources, yaml.SequenceNode) else [])]
    if any(official in url for url in urls for official in _OFFICIAL_CHART_URLS):
        return None
    return Finding("OW209", Severity.INFO, (
        f"{chart_path} is a chart named open-webui, but not the official one (its home and sources do not name "
        "github.com/open-webui/helm-charts): its own templates decide the container's environment, so the values "
        "in this file are not checked"), Location(path))


def _app_version(ws: Workspace, path: str, key: str) -> tuple[str, str] | None:
    """(appVersion, file) of the open-webui chart these values are for: the Chart.yaml beside, or for
    an umbrella chart the vendored `charts/open-webui/Chart.yaml` or the `charts/open-webui-X.tgz`
    that `helm dependency update` downloads; the chart runs it when image.tag is empty."""
    chart_path = discover.chart_file_beside(path)
    if chart_path is not None and key != "":
        charts = os.path.join(os.path.dirname(chart_path), "charts")
        vendored = os.path.join(charts, CHART, "Chart.yaml")
        if not os.path.isfile(vendored):
            return _packaged_app_version(charts)
        chart_path = discover.normalise(vendored)
    chart = _root(ws, chart_path) if chart_path is not None else None
    version = scalar_text(mapping_get(chart, "appVersion")) if chart is not None else None
    return (version, chart_path) if version and chart_path else None


def _packaged_app_version(charts: str) -> tuple[str, str] | None:
    """appVersion from `open-webui/Chart.yaml` inside the newest `charts/open-webui-*.tgz` (read, never
    extracted)."""
    import glob
    import tarfile

    packages = sorted(glob.glob(os.path.join(glob.escape(charts), f"{CHART}-[0-9]*.tgz")))
    if not packages:
        return None
    try:
        with tarfile.open(packages[-1], "r:gz") as archive:
            member = archive.extractfile(f"{CHART}/Chart.yaml")
            text = member.read(1 << 16).decode("utf-8") if member is not None else ""
        documents = load_documents(text, packages[-1])
    except (OSError, KeyError, tarfile.TarError, UnicodeDecodeError, SourceError):
        return None
    version = scalar_text(mapping_get(documents[0], "appVersion")) if documents else None
    return (version, f"{discover.normalise(packages[-1])}!{CHART}/Chart.yaml") if version else None


def _base_beside(path: str) -> str | None:
    """The `values.yaml` an override is layered on; None for values.yaml itself or when there is none."""
    if os.path.basename(path) in BASE_NAMES:
        return None
    for name in BASE_NAMES:
        candidate = os.path.join(os.path.dirname(path), name)
        if os.path.isfile(candidate):
            return discover.normalise(candidate)
    return None


def _root(ws: Workspace, path: str) -> yaml.Node | None:
    try:
        documents = ws.parsed("yaml", path, load_documents)
    except SourceError:
        return None
    return documents[0] if len(documents) == 1 else None


def _layer(ws: Workspace, path: str, root: yaml.Node | None, key: str | None) -> Layer | None:
    """The chart's values in a file. An override keeps them where its base does (`key`); otherwise
    the file (or a Chart.yaml beside it) must show it is this chart's."""
    if not isinstance(root, yaml.MappingNode):
        return None
    key = _chart_key(ws, path, root) if key is None else key
    values = root if key == "" else mapping_get(root, key) if key is not None else None
    return Layer(path, values, key) if isinstance(values, yaml.MappingNode) and key is not None else None


def _chart_key(ws: Workspace, path: str, root: yaml.MappingNode) -> str | None:
    """Where a file keeps this chart's values: "" at the top level, a key for an umbrella chart's
    dependency, None when the file is not for this chart."""
    chart = _chart_beside(ws, path)
    if chart is not None:
        return None if chart == _OTHER_CHART else chart
    nested = mapping_get(root, CHART)
    if isinstance(nested, yaml.MappingNode) and _keys(nested) & _CHART_KEYS:
        return CHART
    keys = _keys(root)
    if not keys & _CHART_KEYS:
        return None
    repository = _repository(root)
    if has_marker(_env_names(root)) or (repository is not None and is_official_image(repository)):
        return ""
    return "" if repository is None and keys & _OWN_KEYS else None


def _chart_beside(ws: Workspace, path: str) -> str | None:
    """"" when the Chart.yaml beside is this chart, its values key when that chart depends on it
    (alias or name), _OTHER_CHART when it is another chart, None when there is no Chart.yaml."""
    chart_path = discover.chart_file_beside(path)
    if chart_path is None:
        return None
    chart = _root(ws, chart_path)
    if scalar_text(mapping_get(chart, "name")) == CHART:
        return ""
    dependencies = mapping_get(chart, "dependencies")
    for dependency in dependencies.value if isinstance(dependencies, yaml.SequenceNode) else []:
        if scalar_text(mapping_get(dependency, "name")) == CHART:
            return scalar_text(mapping_get(dependency, "alias")) or CHART
    return _OTHER_CHART


def _keys(node: yaml.Node) -> set[str]:
    return {name for name, _, _ in mapping_entries(node)}


def _repository(values: yaml.Node) -> str | None:
    return scalar_text(mapping_get(mapping_get(values, "image"), "repository"))


def _env_names(values: yaml.Node) -> list[str]:
    names = [name for name, _, _ in mapping_entries(mapping_get(values, "extraEnvVars"))]
    for field_name in ("extraEnvVars", "commonEnvVars"):
        node = mapping_get(values, field_name)
        if isinstance(node, yaml.SequenceNode):
            names += [scalar_text(mapping_get(item, "name")) or "" for item in node.value]
    return names


def _get(layers: list[Layer], *keys: str) -> tuple[str, yaml.Node] | None:
    """(file, node) of the value Helm ends up with: the last layer that sets it; null unsets it."""
    for layer in reversed(layers):
        node: yaml.Node | None = layer.values
        for key in keys:
            node = mapping_get(node, key)
        if node is not None:
            return None if goyaml.is_null(node) else (layer.path, node)
    return None


def release_of(tag: str | None, tag_path: str, app_version: tuple[str, str] | None) -> tuple[Version | None, str]:
    """The release the chart runs: `image.tag`, else the chart's appVersion (its default tag)."""
    if tag:
        pinned = release.from_tag(tag)
        return pinned, (f"image.tag `{tag}` in {tag_path}" if pinned else f"image.tag `{tag}` in {tag_path} is floating")
    if app_version is not None:
        pinned = release.from_tag(app_version[0])
        return pinned, f"appVersion `{app_version[0]}` of {app_version[1]} (image.tag is empty)"
    return None, "image.tag is empty and the chart's appVersion is not in the files"


def chart_release(layers: list[Layer], *, app_version: tuple[str, str] | None = None, name: str | None = None,
             location: Location | None = None, unseen: str = "") -> Release:
    """The release these values layers install; GitOps objects (validator.sources.gitops) name it
    and point at it themselves, and say what values come from objects not in the files (`unseen`)."""
    own = layers[-1]
    replica_count = _get(layers, "replicaCount")
    common = _get(layers, "commonEnvVars")
    env_from = _get(layers, "extraEnvFrom")
    namespace = _get(layers, "namespaceOverride")
    repository = _get(layers, "image", "repository")
    tag = _get(layers, "image", "tag")
    tag_text = (scalar_text(tag[1]) or "").strip() if tag else ""
    image = (scalar_text(repository[1]) if repository else None) or DEFAULT_IMAGE
    pinned, source = release_of(tag_text, tag[0] if tag else "", app_version)
    if not is_official_image(image):
        pinned, source = None, f"image.repository {image} is not Open WebUI's own, so its tag does not name a release"
    return Release(
        name=name or f"open-webui chart release with values {' and '.join(layer.path for layer in layers)}",
        path=own.path,
        layers=tuple(layer.path for layer in layers),
        env=_extra_env(layers) + (podenv.read_env(common[1], common[0]) if common else []),
        env_from=podenv.read_env_from(env_from[1], env_from[0]) if env_from else [],
        # A tag filled in later (`{{ .Values.version }}`, an ApplicationSet parameter) names no image yet.
        image=f"{image}:{tag_text}" if tag_text and not podenv.is_template(tag[1]) else image,  # type: ignore[index]
        replicas=_replicas(layers, replica_count),
        namespace=scalar_text(namespace[1]) if namespace else None,
        # The release is the last file's: point there, at its replicaCount if it sets one.
        location=location or node_location(mapping_get(own.values, "replicaCount") or own.values, own.path),
        release=pinned,
        release_source=source,
        unseen=unseen,
    )


def _replicas(layers: list[Layer], replica_count: tuple[str, yaml.Node] | None) -> int | None:
    """replicaCount (default 1), or autoscaling.maxReplicas when the chart's autoscaler is on."""
    counts = [whole_number(replica_count[1]) if replica_count else 1]
    enabled = _get(layers, "autoscaling", "enabled")
    maximum = _get(layers, "autoscaling", "maxReplicas")
    if enabled and scalar_text(enabled[1]) in goyaml.TRUE and maximum:
        counts.append(whole_number(maximum[1]))
    known = [count for count in counts if count is not None]
    return max(known) if known else None


def whole_number(node: yaml.Node) -> int | None:
    """A count as Helm reads a number (`2`, `2.0`, `"2"`); None for anything else."""
    number = goyaml.number(scalar_text(node) or "")
    return int(number) if number is not None and number.is_integer() else None


def _extra_env(layers: list[Layer]) -> list[EnvItem]:
    """`extraEnvVars` as Helm merges it and the chart's `open-webui.env` renders it: a list as is;
    a map (merged key by key across files) in key order, `NAME: {valueFrom: ...}` as an entry and
    `NAME: value` through `quote`."""
    merged: dict[str, tuple[str, yaml.Node, yaml.Node]] | None = None
    listed: tuple[str, yaml.Node] | None = None
    for layer in layers:
        node = mapping_get(layer.values, "extraEnvVars")
        if node is None:
            continue
        if isinstance(node, yaml.MappingNode):
            merged = {} if merged is None else merged
            listed = None
            # A null keeps its key: the chart's default extraEnvVars has none to delete, and
            # `quote` renders null as an empty value.
            merged.update((name, (layer.path, key, value)) for name, key, value in mapping_entries(node))
        else:
            merged, listed = None, (layer.path, node)
    if listed is not None:
        return podenv.read_env(listed[1], listed[0])
    return [_map_entry(name, *merged[name]) for name in sorted(merged)] if merged else []


def _map_entry(name: str, path: str, key: yaml.Node, value: yaml.Node) -> EnvItem:
    key_location = node_location(key, path)
    if podenv.is_template(value):
        return EnvItem(name, key_location, None, node_location(value, path), template=True)
    if isinstance(value, yaml.MappingNode):
        return podenv.env_item(name, key_location, value, path)
    text = goyaml.quoted(value) if isinstance(value, yaml.ScalarNode) else ""
    return EnvItem(name, key_location, text, node_location(value, path))


@dataclass(slots=True)
class Release:
    name: str
    path: str
    # The values files merged, base first: the deployment takes settings from each.
    layers: tuple[str, ...]
    env: list[EnvItem]
    env_from: list[EnvFromItem]
    image: str
    replicas: int | None
    # `namespaceOverride`; None when the namespace is chosen at install time, and a referenced
    # Secret is then looked for in any namespace.
    namespace: str | None
    location: Location
    release: Version | None = None
    release_source: str = ""
    # Why values may come from somewhere not in the files (Flux `valuesFrom`); "" when none can.
    unseen: str = ""
    # Why it is Open WebUI (validator.sources.otherchart); "" for the open-webui chart itself.
    because: str = ""

    def build(self, index: Index) -> Linked:
        environment = podenv.resolve(self.env, self.env_from, index.finder(self.path, self.namespace), self.path)
        if self.unseen and KEY not in environment.settings:
            environment.settings[KEY] = Setting(KEY, None, self.location, False, self.unseen, self.path)
        uses = dict.fromkeys((*self.layers, *environment.uses))
        deployments = [Deployment(
            name=self.name,
            kind="helm-release",
            location=self.location,
            settings=environment.settings,
            image=self.image,
            replicas=self.replicas,
            official_image=is_official_image(self.image),
            openwebui=True,
            because=self.because or f"the open-webui chart, running {self.image}",
            release=self.release,
            release_source=self.release_source,
            uses=tuple(uses),
        )]
        findings: list[Finding] = podenv.duplicates(
            self.env, "the chart's open-webui container (extraEnvVars, then commonEnvVars)")
        return deployments, findings, [path for path in uses if path != self.path]
