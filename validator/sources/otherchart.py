"""Values of a chart other than open-webui that run Open WebUI's image (a generic app chart).

Such a chart's templates are its own: only the usual shapes are read, wherever the values put an
Open WebUI `image` (a `repository`/`tag` mapping or an `image:` string), with its siblings `env`
(a list of name/value entries, or a map of name to value or to `{value | valueFrom}`), `envFrom`
and `replicas`/`replicaCount`. What they do not show cannot be known here, since the templates
may set it elsewhere: a key missing from these values is OW209, never OW205.
"""

from __future__ import annotations

import yaml

from validator.openwebui import release
from validator.openwebui.detect import is_official_image
from validator.sources import discover
from validator.sources.kubernetes import podenv
from validator.sources.helm import Release, whole_number
from validator.sources.model import ParsedFile
from validator.sources.kubernetes.podenv import EnvItem
from validator.sources.yamlfile import mapping_entries, mapping_get, node_location, scalar_text

_ENV_KEYS = ("env", "extraEnv", "extraEnvVars", "envVars")
_MAX_DEPTH = 10


def read(path: str, root: yaml.Node) -> ParsedFile | None:
    """A values file (`values*.yaml`) of another chart that runs Open WebUI's image; None otherwise."""
    found = releases(root, path, "values of another chart")
    if not found:
        return None
    return ParsedFile(path, "helm-values", pending=list(found), openwebui=True,
                      context=tuple(discover.yaml_files_beside(path)))


def releases(values: yaml.Node, path: str, chart: str) -> list[Release]:
    """One release per place in `values` that runs Open WebUI's image; `chart` says whose values they are."""
    found: list[Release] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(values, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > _MAX_DEPTH:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            image = _image(mapping_get(node, "image"))
            if image is not None:
                found.append(_release(node, image, path, chart))
                continue
            stack.extend((child, depth + 1) for _name, _key, child in reversed(mapping_entries(node)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
    return found


def _image(node: yaml.Node | None) -> str | None:
    """The Open WebUI image a values `image` names, with its tag; None for any other image."""
    if isinstance(node, yaml.ScalarNode):
        text = (scalar_text(node) or "").strip()
        return text if is_official_image(text) else None
    repository = scalar_text(mapping_get(node, "repository")) or ""
    registry = scalar_text(mapping_get(node, "registry"))
    if registry and repository:
        repository = f"{registry}/{repository}"
    if not is_official_image(repository):
        return None
    tag = (scalar_text(mapping_get(node, "tag")) or "").strip()
    return f"{repository}:{tag}" if tag else repository


def _release(node: yaml.MappingNode, image: str, path: str, chart: str) -> Release:
    key = next((k for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "image"), node)
    location = node_location(key, path)
    env: list[EnvItem] = []
    for name in _ENV_KEYS:
        env += _env(mapping_get(node, name), path)
    pinned, source = release.from_image(image)
    replicas = next((count for count in (whole_number(counted) for counted in
                                         (mapping_get(node, name) for name in ("replicas", "replicaCount"))
                                         if isinstance(counted, yaml.ScalarNode)) if count is not None), None)
    return Release(
        name=f"{chart} running {image} ({location})",
        path=path,
        layers=(path,),
        env=env,
        env_from=podenv.read_env_from(mapping_get(node, "envFrom"), path),
        image=image,
        replicas=replicas,
        namespace=None,
        location=location,
        release=pinned,
        release_source=source,
        unseen="it is not in these values, and that chart's own templates may set it from elsewhere",
        because=f"image {image} in the {chart}",
    )


def _env(node: yaml.Node | None, path: str) -> list[EnvItem]:
    """A list of `{name, value | valueFrom}`, or a map of name to a value or to such a mapping."""
    if isinstance(node, yaml.SequenceNode):
        return podenv.read_env(node, path)
    items = []
    for name, key, value in mapping_entries(node):
        key_location = node_location(key, path)
        if podenv.is_template(value):
            items.append(EnvItem(name, key_location, None, node_location(value, path), template=True))
        elif isinstance(value, yaml.MappingNode):
            items.append(podenv.env_item(name, key_location, value, path))
        elif isinstance(value, yaml.ScalarNode):
            items.append(EnvItem(name, key_location, scalar_text(value) or "", node_location(value, path)))
    return items
