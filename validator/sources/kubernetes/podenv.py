"""A container's environment as the kubelet builds it, from `env` and `envFrom`, with positions.

Kubernetes (pkg/kubelet `makeEnvironmentVariables`) first adds every key of each `envFrom`
source in order (with its `prefix`; a later source overrides an earlier one), then each `env`
entry in order, so `env` always wins and a name written twice keeps the last value. A `value`
has `$(NAME)` references expanded against what is defined so far; `$$` is a literal `$`; a
reference to a name not defined is left as written. Values from `valueFrom` and `envFrom` are
never expanded. Secret and ConfigMap keys are looked up through a `Find` the caller binds to
the objects of the run, so a value held in a Secret keeps the line it is written at there.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.redaction import is_secret_name
from validator.sources.interpolation import TOO_LARGE, Budget
from validator.sources.kubernetes.objects import Find, ObjectKind
from validator.sources.model import Setting
from validator.sources.yamlfile import mapping_get, node_location, scalar_text

TEMPLATE = "it is a template expression ({{ ... }}), filled in by a templating tool before deployment"
# Only this variable changes a verdict by being absent (OW205), so only it is assumed to come
# from an `envFrom` source the validator cannot see.
_MAY_COME_FROM_UNSEEN = ("WEBUI_SECRET_KEY",)
_EXPANSION = re.compile(r"\$(?:(\$)|\(([^)]*)\)|\(|.)", re.DOTALL)
_WHOLE = re.compile(r"\$\(([^)]*)\)")
_NO_VALUE = " has no known value: "
DOLLAR_IN_SECRET = "its value contains `$(`, which Kubernetes reads as a variable reference; write `$$` for a literal `$`"
_KEY_REFS: dict[str, ObjectKind] = {"secretKeyRef": "Secret", "configMapKeyRef": "ConfigMap"}
_RUNTIME_REFS = {
    "fieldRef": "it is a field of the pod (fieldRef), known only at run time",
    "resourceFieldRef": "it is a resource limit of the container (resourceFieldRef), known only at run time",
    "fileKeyRef": "it is read from a file in a volume (fileKeyRef) at run time",
}


@dataclass(frozen=True, slots=True)
class ValueFrom:
    """A `valueFrom` mapping, read once: only what resolving it needs, not its YAML nodes (a run
    keeps every container's env until all files are read, and nodes with their marks are large)."""

    # The first of secretKeyRef, configMapKeyRef, then the run-time references, present; "" if none.
    field: str
    name: str | None = None
    key: str | None = None
    template: bool = False
    optional: bool = False
    # The reference's `name` (else the reference itself), and its `key` (else `at`).
    at: Location | None = None
    key_at: Location | None = None


def value_from(node: yaml.MappingNode, path: str) -> ValueFrom:
    for field_name in (*_KEY_REFS, *_RUNTIME_REFS):
        ref = mapping_get(node, field_name)
        if ref is None:
            continue
        if field_name in _RUNTIME_REFS:
            return ValueFrom(field_name, at=node_location(ref, path))
        name_node, key_node = mapping_get(ref, "name"), mapping_get(ref, "key")
        at = node_location(name_node if name_node is not None else ref, path)
        return ValueFrom(field_name, scalar_text(name_node), scalar_text(key_node),
                         is_template(name_node) or is_template(key_node), _optional(ref), at,
                         node_location(key_node, path) if key_node is not None else at)
    return ValueFrom("")


@dataclass(frozen=True, slots=True)
class EnvItem:
    """One `env` entry: a `value` (None when not given) or a `valueFrom` mapping."""

    name: str
    key: Location
    value: str | None
    at: Location
    source: ValueFrom | None = None
    template: bool = False

    def __repr__(self) -> str:
        shown = "valueFrom" if self.value is None else f"<{len(self.value)} chars>"
        return f"EnvItem({self.name}={shown} at {self.at})"

    def __reduce__(self) -> tuple[type[EnvItem], tuple[object, ...]]:
        # Pickled by the thousand in a parallel run (validator.parallel): a tuple pickles in C.
        return EnvItem, (self.name, self.key, self.value, self.at, self.source, self.template)


@dataclass(frozen=True, slots=True)
class EnvFromItem:
    """One `envFrom` entry; `name` is None when it is a template or missing."""

    kind: ObjectKind
    name: str | None
    prefix: str
    optional: bool
    at: Location


@dataclass(slots=True)
class Environment:
    """What the container gets, the files it came from, and the names the manifest defines."""

    settings: dict[str, Setting] = field(default_factory=dict)
    uses: dict[str, None] = field(default_factory=dict)
    # Names written in `env` or found in resolved `envFrom` sources: what detection may look at.
    names: set[str] = field(default_factory=set)
    # What `$(NAME)` references may still bring in (validator.sources.interpolation.Budget).
    budget: Budget = field(default_factory=Budget)


def is_template(node: yaml.Node | None) -> bool:
    """`"{{ .Values.x }}"`, or unquoted `{{ .Values.x }}`, which YAML reads as a nested flow mapping."""
    if isinstance(node, yaml.ScalarNode):
        return "{{" in node.value
    return isinstance(node, yaml.MappingNode) and node.flow_style is True and len(node.value) == 1 \
        and isinstance(node.value[0][0], yaml.MappingNode)


def read_env(node: yaml.Node | None, path: str) -> list[EnvItem]:
    """`env` as a list of `{name, value | valueFrom}`; entries without a usable name are skipped."""
    if not isinstance(node, yaml.SequenceNode):
        return []
    items = []
    for entry in node.value:
        name_node = mapping_get(entry, "name")
        name = scalar_text(name_node)
        if not name or name_node is None:
            continue
        # Interned: thousands of containers of a rendered bundle set the same few names.
        items.append(env_item(sys.intern(name), node_location(name_node, path), entry, path))
    return items


def env_item(name: str, key: Location, body: yaml.Node, path: str) -> EnvItem:
    """An entry from its `{value | valueFrom}` mapping (also Helm's map style `NAME: {valueFrom: ...}`)."""
    value_node = mapping_get(body, "value")
    source = mapping_get(body, "valueFrom")
    at = node_location(value_node, path) if value_node is not None else key
    if is_template(value_node) or is_template(source):
        return EnvItem(name, key, None, at, None, template=True)
    compact = value_from(source, path) if isinstance(source, yaml.MappingNode) else None
    return EnvItem(name, key, scalar_text(value_node), at, compact)


def read_env_from(node: yaml.Node | None, path: str) -> list[EnvFromItem]:
    if not isinstance(node, yaml.SequenceNode):
        return []
    items = []
    for entry in node.value:
        prefix = scalar_text(mapping_get(entry, "prefix")) or ""
        for field_name, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
            ref = mapping_get(entry, field_name)
            if ref is None:
                continue
            name_node = mapping_get(ref, "name")
            name = None if is_template(name_node) else scalar_text(name_node)
            at = node_location(name_node if name_node is not None else ref, path)
            items.append(EnvFromItem(kind, name, prefix, _optional(ref), at))  # type: ignore[arg-type]
    return items


def _optional(ref: yaml.Node) -> bool:
    return (scalar_text(mapping_get(ref, "optional")) or "").lower() == "true"


def references(env: list[EnvItem], env_from: list[EnvFromItem]) -> list[tuple[ObjectKind, str]]:
    """The Secrets and ConfigMaps a container reads, as (kind, name)."""
    refs: list[tuple[ObjectKind, str]] = [(item.kind, item.name) for item in env_from if item.name is not None]
    for item in env:
        source = item.source
        if source is not None and source.field in _KEY_REFS and source.name is not None:
            refs.append((_KEY_REFS[source.field], source.name))
    return refs


def duplicates(env: list[EnvItem], scope: str) -> list[Finding]:
    """OW002 for each later definition of a name in one container's `env`; `scope` names the container."""
    first: dict[str, int] = {}
    last = {item.name: item.key.line for item in env}
    found = []
    for item in env:
        if item.name in first:
            message = (f"{item.name} is set again for {scope}, first at line {first[item.name]}: "
                       f"Kubernetes keeps the last one, at line {last[item.name]}")
            found.append(Finding("OW002", Severity.WARNING, message, item.key, variable=item.name))
        else:
            first[item.name] = item.key.line
    return found


def resolve(env: list[EnvItem], env_from: list[EnvFromItem], find: Find, path: str) -> Environment:
    """The container's variables in kubelet order; `path` is the file the entries are written in."""
    result = Environment()
    # envFrom sources that cannot be read, with why: any name may come from them.
    unseen: list[tuple[EnvFromItem, str]] = []
    for source in env_from:
        found = find(source.kind, source.name) if source.name is not None else f"a {source.kind} whose name {TEMPLATE}"
        if isinstance(found, str):
            unseen.append((source, found))
            continue
        result.uses[found.path] = None
        for key, entry in found.entries.items():
            name = source.prefix + key
            result.settings[name] = replace(entry, name=name, via=path, assigned=source.at)
            result.names.add(name)
    for item in env:
        result.names.add(item.name)
        setting = _entry(item, result, unseen, find, path)
        result.settings.pop(item.name, None)
        if setting is not None:
            result.settings[item.name] = setting
    for name in _MAY_COME_FROM_UNSEEN:
        if unseen and name not in result.settings:
            source, why = unseen[0]
            reason = f"it is not in env and may come through envFrom from {why}"
            result.settings[name] = Setting(name, None, source.at, False, reason, path)
    return result


def _entry(item: EnvItem, result: Environment, unseen: list[tuple[EnvFromItem, str]], find: Find,
           path: str) -> Setting | None:
    """The setting one `env` entry gives, or None when it sets nothing (an optional key that is absent)."""
    if item.template:
        return Setting(item.name, None, item.at, False, TEMPLATE, path)
    if item.value:  # the kubelet ignores an empty `value` and reads `valueFrom`
        return _expanded(item, item.value, result, unseen, path)
    if item.source is not None:
        return _value_from(item, item.source, find, result, path)
    return Setting(item.name, "", item.at, True, "", path)


def _expanded(item: EnvItem, text: str, result: Environment, unseen: list[tuple[EnvFromItem, str]],
              path: str) -> Setting:
    """`$(NAME)` expanded as Kubernetes does; a whole `$(NAME)` points at where NAME's value is written.
    References take from the environment's budget: `V2=$(V1)$(V1)`, ... is "too large to expand"."""
    if "$" not in text:
        return Setting(item.name, text, item.at, True, "", path)
    defined = result.settings
    used: list[Setting] = []
    why: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        if why:
            return ""  # the value is unresolved already: spend nothing more on it
        if match.group(1):
            return "$"
        name = match.group(2)
        if name is None:
            return match.group(0)
        source = defined.get(name)
        if source is None:
            if unseen:
                why.append(f"$({name}) may come through envFrom from {unseen[0][1]}")
            return match.group(0)
        if source.value is None:
            # The first cause, not a chain: `$(V3) has no known value: $(V2) has no ...` grows with each link.
            cause = source.unresolved.rpartition(_NO_VALUE)[2]
            why.append(TOO_LARGE if cause == TOO_LARGE else f"$({name}){_NO_VALUE}{cause}")
            return ""
        if not result.budget.spend(len(source.value)):
            why.append(TOO_LARGE)
            return ""
        used.append(source)
        return source.value

    value = _EXPANSION.sub(substitute, text)
    if why:
        # Inside a key, the "variable name" is part of the key: described, never quoted.
        secret = is_secret_name(item.name) and _WHOLE.fullmatch(text) is None
        return Setting(item.name, None, item.at, False, DOLLAR_IN_SECRET if secret else why[0], path)
    literal = all(source.literal for source in used)
    whole = _WHOLE.fullmatch(text)
    if whole is not None and used:
        return Setting(item.name, value, used[0].location, literal, "", path, item.key)
    return Setting(item.name, value, item.at, literal, "", path)


def _value_from(item: EnvItem, source: ValueFrom, find: Find, result: Environment, path: str) -> Setting | None:
    if source.field in _KEY_REFS:
        return _key_ref(item, _KEY_REFS[source.field], source, find, result, path)
    if source.field in _RUNTIME_REFS:
        return Setting(item.name, None, source.at or item.key, False, _RUNTIME_REFS[source.field], path)
    return Setting(item.name, None, item.key, False, "its valueFrom is of a kind this validator does not read", path)


def _key_ref(item: EnvItem, kind: ObjectKind, ref: ValueFrom, find: Find, result: Environment,
             path: str) -> Setting | None:
    name, key, at = ref.name, ref.key, ref.at or item.key
    if ref.template:
        return Setting(item.name, None, at, False, TEMPLATE, path)
    if name is None or key is None:
        return Setting(item.name, None, at, False, f"its {kind} reference has no name or no key", path)
    found = find(kind, name)
    if isinstance(found, str):
        reason = f"it comes from key '{key}' of {found}"
        if ref.optional:
            reason += " (optional: unset if it does not exist)"
        return Setting(item.name, None, at, False, reason, path)
    entry = found.entries.get(key)
    if entry is None:
        if ref.optional:
            return None  # the kubelet leaves the variable unset
        reason = f"{kind} '{name}' in {found.path} has no key '{key}', so the pod will not start unless it is added"
        return Setting(item.name, None, ref.key_at or at, False, reason, path)
    result.uses[found.path] = None
    return replace(entry, name=item.name, via=path, assigned=item.key)
