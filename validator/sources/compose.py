"""Docker compose files: each service's environment as the container receives it, located.

Reproduces what `docker compose` does statically: `env_file` entries in order, then
`environment` over them; `${...}` interpolated from the `.env` beside the compose file (never
from os.environ: the machine running the linter is not the deployment). A value the container
gets through a whole `${VAR}` reference is located where it is written, in `.env`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui.detect import identify, is_official_image
from validator.sources.dotenv import DotenvFile, parse_dotenv
from validator.sources.files import SourceError, Workspace
from validator.redaction import is_secret_name
from validator.sources.interpolation import Budget, interpolate, raise_if_too_large, unresolved_reason
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.yamlfile import (
    duplicate_keys,
    mapping_entries,
    mapping_get,
    node_location,
    scalar_text,
    small_count,
)

SHELL = "taken from the shell environment at deploy time"
_FALSE = frozenset({"false", "no", "n", "off"})
_MAX_EXTENDS = 8
# Env files named like this and absent from the checkout were left out on purpose, whatever git
# says (also outside a work tree): `.env.secrets`, `secrets.env`, `webui.secret`.
_SECRET_FILE_WORD = "secret"


@dataclass(frozen=True, slots=True)
class _Absent:
    """An `env_file` entry whose file is not in the checkout."""

    service: str
    path: str
    written: str
    node: yaml.Node
    required: bool


def is_compose(root: yaml.Node) -> bool:
    """A compose file: the top level is a mapping whose `services` is a mapping."""
    return isinstance(mapping_get(root, "services"), yaml.MappingNode)


def read_compose(ws: Workspace, path: str, root: yaml.Node) -> ParsedFile:
    """One Deployment per service (`x-*` keys under `services` are extensions, not services)."""
    context = _Compose(ws, path)
    services = mapping_get(root, "services")
    deployments = [
        _service(context, name, key, _extended(services, node, 0))  # type: ignore[arg-type]
        for name, key, node in mapping_entries(services)  # type: ignore[arg-type]
        if isinstance(node, yaml.MappingNode) and not name.startswith("x-")
    ]
    if context.absent:
        _absent_env_files(context, deployments)
    return ParsedFile(
        path,
        "compose",
        deployments,
        list(dict.fromkeys(context.findings)),
        uses=tuple(context.uses),
        openwebui=any(deployment.openwebui for deployment in deployments),
    )


@dataclass(slots=True)
class _Compose:
    """Per-file state: the `.env` lookup and env files, each resolved once for all services."""

    ws: Workspace
    path: str
    directory: str = ""
    dotenv_path: str | None = None
    env: dict[str, Setting] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    uses: dict[str, None] = field(default_factory=dict)
    # Env file path -> (its settings, "") or (None, why it cannot be read).
    env_files: dict[str, tuple[dict[str, Setting] | None, str]] = field(default_factory=dict)
    # Deployment name -> its env files that are not in the checkout.
    absent: dict[str, list[_Absent]] = field(default_factory=dict)
    # What interpolation may still bring into this file's values (validator.sources.interpolation).
    budget: Budget = field(default_factory=Budget)

    def __post_init__(self) -> None:
        self.directory = os.path.dirname(self.path)
        dotenv_path = os.path.normpath(os.path.join(self.directory, ".env"))
        if self.ws.exists(dotenv_path):
            self.dotenv_path = dotenv_path
            self.uses[dotenv_path] = None
            parsed = self._parse(dotenv_path)
            if parsed is not None:
                self.env = parsed.resolve(budget=self.budget)

    def lookup(self, name: str) -> str | None:
        setting = self.env.get(name)
        if setting is None:
            return None
        if setting.value is None:
            raise_if_too_large(setting.unresolved)
        return setting.value

    def _parse(self, path: str) -> DotenvFile | None:
        """Parse an env file through the workspace cache; a parse error becomes its finding."""
        try:
            parsed = self.ws.parsed("dotenv", path, parse_dotenv)
        except SourceError as exc:
            self.findings.append(exc.finding)
            return None
        self.findings.extend(parsed.findings)
        return parsed

    def env_file(self, path: str) -> tuple[dict[str, Setting] | None, str]:
        """(settings, "") for a readable env file; (None, why) when it cannot be read."""
        cached = self.env_files.get(path)
        if cached is None:
            cached = self.env_files[path] = self._read_env_file(path)
        return cached

    def _read_env_file(self, path: str) -> tuple[dict[str, Setting] | None, str]:
        try:
            self.ws.text(path)
        except SourceError as exc:
            return None, exc.finding.message
        self.uses[path] = None
        parsed = self._parse(path)
        if parsed is None:
            return {}, ""
        return {name: replace(setting, via=path) for name, setting in parsed.resolve(self.lookup, self.budget).items()}, ""

    def value(self, name: str, text: str, location: Location) -> Setting:
        """A value written in the compose file, interpolated; a whole `${VAR}` points at `.env`."""
        if "$" not in text:
            return Setting(name, text, location, True, "", self.path)
        result = interpolate(text, self.lookup, self.budget)
        literal = not result.references
        if result.value is None:
            reason = unresolved_reason(text, result, is_secret_name(name))
            return Setting(name, None, location, literal, reason, self.path)
        source = self.env.get(result.whole) if result.whole else None
        if source is not None:
            return Setting(name, result.value, source.location, False, "", self.path, location)
        return Setting(name, result.value, location, literal, "", self.path)

    def passed_through(self, name: str, location: Location) -> Setting:
        """`- KEY` / `KEY:` with no value: compose takes it from the shell or from `.env`."""
        source = self.env.get(name)
        if source is not None and source.value is not None:
            return Setting(name, source.value, source.location, False, "", self.path, location)
        return Setting(name, None, location, False, SHELL, self.path)

    def text(self, node: yaml.Node | None) -> str | None:
        """A scalar interpolated; None when absent, null, not a scalar or unresolved."""
        raw = scalar_text(node)
        if raw is None or "$" not in raw:
            return raw
        return interpolate(raw, self.lookup).value


def _extended(services: yaml.MappingNode, node: yaml.MappingNode, depth: int) -> list[yaml.MappingNode]:
    """The service and the services it `extends` in this file, base first (compose merges them: the
    base's env_file and environment first, then the service's over them; other fields replaced)."""
    extends = mapping_get(node, "extends")
    if isinstance(extends, yaml.MappingNode):
        if mapping_get(extends, "file") is not None:
            return [node]  # another file's service: not read here
        extends = mapping_get(extends, "service")
    base = mapping_get(services, scalar_text(extends) or "") if extends is not None else None
    if not isinstance(base, yaml.MappingNode) or base is node or depth >= _MAX_EXTENDS:
        return [node]
    return [*_extended(services, base, depth + 1), node]


def _service(context: _Compose, name: str, key: yaml.Node, nodes: list[yaml.MappingNode]) -> Deployment:
    fields = {field_name: value for node in nodes for field_name, _key, value in mapping_entries(node)}
    image, official = _image(context, fields.get("image"))
    settings: dict[str, Setting] = {}
    used: dict[str, None] = {}
    for env_file in (mapping_get(node, "env_file") for node in nodes):
        for path, file_settings in _env_files(context, name, env_file) if env_file is not None else ():
            used[path] = None
            settings.update(file_settings)
    for environment in (mapping_get(node, "environment") for node in nodes):
        if environment is not None:
            settings.update(_environment(context, name, environment))
    if context.dotenv_path is not None:
        used[context.dotenv_path] = None
    # With `build:`, `image:` only names what is built: unless it is Open WebUI's, variables decide.
    because = identify(None if "build" in fields and not official else image, settings, official=official)
    return Deployment(
        name=_name(context, name),
        kind="compose-service",
        location=node_location(key, context.path),
        settings=settings,
        image=image,
        replicas=_replicas(context, fields),
        per_node=_global(context, fields),
        official_image=official,
        openwebui=bool(because),
        because=because,
        uses=tuple(used),
    )


def _name(context: _Compose, service: str) -> str:
    return f"service '{service}' in {context.path}"


def _absent_env_files(context: _Compose, deployments: list[Deployment]) -> None:
    """Env files not in the checkout: kept out on purpose (gitignored, or named as secrets), the key
    may well be there (OW209 rather than OW205); otherwise compose stops unless `required: false`."""
    from validator.sources.gitignore import ignored

    entries = [entry for found in context.absent.values() for entry in found]
    # Git is asked only about the others: a secret-named file needs no subprocess on every commit.
    gitignored = ignored(entry.path for entry in entries if not _secret_named(entry.path))
    by_name = {deployment.name: deployment for deployment in deployments}
    for name, found in context.absent.items():
        source: tuple[_Absent, str] | None = None
        for entry in found:
            why = ("named as a secret file" if _secret_named(entry.path) else
                   "gitignored" if entry.path in gitignored else "")
            if why:
                source = source or (entry, why)
            elif entry.required:
                message = (f"env_file {entry.written} does not exist and is not gitignored: docker compose refuses to "
                           f"start service '{entry.service}' without it (mark it `required: false` if it is optional)")
                context.findings.append(Finding("OW001", Severity.WARNING, message,
                                                node_location(entry.node, context.path)))
        deployment = by_name[name]
        if source is not None and deployment.openwebui and "WEBUI_SECRET_KEY" not in deployment.settings:
            entry, why = source
            reason = (f"it is not in the environment of service '{entry.service}' and may come from env_file "
                      f"{entry.written}, which is {why} and so not in the checkout")
            deployment.settings["WEBUI_SECRET_KEY"] = Setting(
                "WEBUI_SECRET_KEY", None, node_location(entry.node, context.path), False, reason, context.path)


def _secret_named(path: str) -> bool:
    return _SECRET_FILE_WORD in os.path.basename(path).lower()


def _image(context: _Compose, node: yaml.Node | None) -> tuple[str | None, bool]:
    """(image, official). An unresolved image keeps its text; it is official when the
    repository is, whatever the references turn out to be (`open-webui:${TAG}`)."""
    raw = scalar_text(node)
    if raw is None:
        return None, False
    if "$" not in raw:
        return raw, is_official_image(raw)
    resolved = interpolate(raw, context.lookup).value
    if resolved is not None:
        return resolved, is_official_image(resolved)
    return raw, is_official_image(interpolate(raw, lambda _name: "x").value)


def _replicas(context: _Compose, fields: dict[str, yaml.Node]) -> int | None:
    """`deploy.replicas`, else `scale` (compose refuses both when they differ)."""
    node = mapping_get(fields["deploy"], "replicas") if "deploy" in fields else None
    if node is None:
        node = fields.get("scale")
    text = context.text(node)
    if text is None:
        return None
    text = text.strip()
    return small_count(text)


def _global(context: _Compose, fields: dict[str, yaml.Node]) -> bool:
    """`deploy.mode: global`: one container per node, each generating its own key."""
    mode = context.text(mapping_get(fields["deploy"], "mode")) if "deploy" in fields else None
    return (mode or "").strip() == "global"


def _env_files(context: _Compose, service: str, node: yaml.Node) -> Iterator[tuple[str, dict[str, Setting]]]:
    """Readable env files in order, with their settings; a missing required one is OW001 here."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for item in items:
        required = True
        path_node: yaml.Node | None = item
        if isinstance(item, yaml.MappingNode):
            path_node = mapping_get(item, "path")
            flag = context.text(mapping_get(item, "required"))
            required = flag is None or flag.strip().lower() not in _FALSE
        written = context.text(path_node)
        if not written or written.startswith("~"):
            continue  # unresolved, or in a home directory we cannot see from here
        path = os.path.normpath(os.path.join(context.directory, written))
        settings, why = context.env_file(path)
        if settings is not None:
            yield path, settings
        elif not context.ws.exists(path):  # not on disk, or gitignored: absent where CI checks
            context.absent.setdefault(_name(context, service), []).append(
                _Absent(service, path, written, path_node, required))  # type: ignore[arg-type]
        elif required:
            message = f"env_file {written} cannot be read: {why}; docker compose refuses to start service '{service}'"
            context.findings.append(Finding("OW001", Severity.ERROR, message, node_location(path_node, context.path)))  # type: ignore[arg-type]


def _environment(context: _Compose, service: str, node: yaml.Node) -> dict[str, Setting]:
    if isinstance(node, yaml.MappingNode):
        return _environment_mapping(context, service, node)
    if isinstance(node, yaml.SequenceNode):
        return _environment_list(context, service, node)
    return {}


def _environment_mapping(context: _Compose, service: str, node: yaml.MappingNode) -> dict[str, Setting]:
    path = context.path
    settings: dict[str, Setting] = {}
    for name, key, value in mapping_entries(node):
        if not isinstance(value, yaml.ScalarNode):
            continue  # a nested mapping or list: compose rejects it, nothing to read
        text = scalar_text(value)
        if text is None:
            settings[name] = context.passed_through(name, node_location(key, path))
        else:
            settings[name] = context.value(name, text, node_location(value, path))
    for name, first, last, count in duplicate_keys(node):
        again = "again" if count == 2 else f"{count} times"
        message = (
            f"{name} is defined {again} in the environment of service '{service}' (first at line "
            f"{first.start_mark.line + 1}); docker compose rejects duplicate mapping keys, this "
            f"linter used the definition at line {last.start_mark.line + 1}"
        )
        context.findings.append(Finding("OW002", Severity.WARNING, message, node_location(last, path), variable=name))
    return settings


def _environment_list(context: _Compose, service: str, node: yaml.SequenceNode) -> dict[str, Setting]:
    """`- KEY=VALUE` items: the value is everything after the first `=`, quotes included."""
    path = context.path
    settings: dict[str, Setting] = {}
    first: dict[str, int] = {}
    again: dict[str, tuple[Location, int]] = {}  # the last repeat of each name, and how many times it is set
    for item in node.value:
        text = scalar_text(item)
        if not text:
            continue
        name, equals, value = text.partition("=")
        if not name:
            continue
        line, column = _content_start(item)
        key_location = Location.span(path, line, column, name)
        if name in first:
            again[name] = (key_location, again.get(name, (key_location, 1))[1] + 1)
        else:
            first[name] = line
        settings.pop(name, None)
        if not equals:
            settings[name] = context.passed_through(name, node_location(item, path))
            continue
        whole = node_location(item, path)
        location = Location(path, line, column + len(name) + 1, whole.end_line, whole.end_column)
        settings[name] = context.value(name, value, location)
    for name, (key_location, count) in again.items():
        times = "again" if count == 2 else f"{count} times"
        message = (f"{name} is set {times} in the environment of service '{service}' (first at line "
                   f"{first[name]}); the last one wins")
        context.findings.append(Finding("OW002", Severity.WARNING, message, key_location, variable=name))
    return settings


def _content_start(node: yaml.Node) -> tuple[int, int]:
    """1-based position of a scalar's first character of content (after an opening quote)."""
    mark = node.start_mark
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
    return mark.line + 1, mark.column + 1 + (1 if quoted else 0)
