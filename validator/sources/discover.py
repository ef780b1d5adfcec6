"""Which files to read: names that deployment files have, found by walking directories.

The same patterns generate the pre-commit hook's `files` regex (see validator/generate.py),
so the hook and a directory walk always agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Literal

from validator import fileio

Kind = Literal["dotenv", "yaml", "json", "sqlite"]

# Matched against the file's base name.
ENV_NAME = r"\.env(?:\.[^/]*)?|[^/]*\.env"
YAML_NAME = r"[^/]*\.ya?ml"
COMPOSE_NAME = r"(?:docker-)?compose(?:\.[^/]*)?\.ya?ml"
# Stored settings (validator.sources.export, validator.sources.sqlitedb). Only JSON files named
# like Open WebUI's export (`config-<ms>.json`) or an export are walked, so a repository's
# package.json and tsconfig.json cost nothing; explicit files of any name are read and the export
# is recognised by content.
EXPORT_NAME = r"[^/]*(?i:config|export)[^/]*\.json"
DATABASE_NAME = r"webui\.db"
_ENV = re.compile(rf"^(?:{ENV_NAME})$")
_YAML = re.compile(rf"^(?:{YAML_NAME})$")
_COMPOSE = re.compile(rf"^(?:{COMPOSE_NAME})$")
_HELM_VALUES = re.compile(r"^values[^/]*\.ya?ml$")
_EXPORT = re.compile(rf"^(?:{EXPORT_NAME})$")
_DATABASE = re.compile(rf"^(?:{DATABASE_NAME})$")
_DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SQLITE_MAGIC = b"SQLite format 3\x00"
_TEMPLATE = re.compile(r"(?:^|[.\-_])(?:example|sample|template|dist|tpl|tmpl|j2|jinja2?|gotmpl)(?:$|[.\-_])",
                       re.IGNORECASE)
# The suffix a templating tool's input has (Jinja `.j2`, envsubst and gomplate `.tpl`/`.tmpl`):
# `compose.yaml.j2` is a compose file once rendered.
_TEMPLATE_SUFFIX = re.compile(r"\.(?:j2|jinja2?|tpl|tmpl|gotmpl)$", re.IGNORECASE)

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".terraform", ".cache",
})


def hook_files_pattern() -> str:
    """The regex pre-commit matches against repository-relative paths."""
    return rf"(^|/)({ENV_NAME}|{YAML_NAME}|{EXPORT_NAME}|{DATABASE_NAME})$"


def kind_of(path: str) -> Kind | None:
    """The kind a file's name says it is: what the directory walk and the hook pick up."""
    name = os.path.basename(path)
    if _YAML.match(name):
        return "yaml"
    if _ENV.match(name):
        return "dotenv"
    if _EXPORT.match(name):
        return "json"
    if _DATABASE.match(name):
        return "sqlite"
    return None


def explicit_kind(path: str) -> Kind | None:
    """For a file named on the command line: its name, else its extension or SQLite header."""
    kind = kind_of(path) or kind_of(_TEMPLATE_SUFFIX.sub("", path))
    if kind is not None:
        return kind
    lowered = path.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(_DATABASE_SUFFIXES):
        return "sqlite"
    try:
        with fileio.open_regular(path) as handle:
            return "sqlite" if handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC else None
    except (OSError, fileio.NotRegularFile):
        return None  # the reader that gets it reports what it is


def is_compose_name(path: str) -> bool:
    return _COMPOSE.match(os.path.basename(path)) is not None


def is_template(path: str) -> bool:
    """`.env.example`, `example.env`, `.env.sample`, `compose.yaml.j2`, `.env.tpl`, ...: files meant
    to be copied or rendered, not deployed."""
    return _TEMPLATE.search(os.path.basename(path).removeprefix(".env")) is not None


def normalise(path: str) -> str:
    return os.path.normpath(path)


def walk(root: str) -> Iterator[str]:
    """Files under root whose names are deployment files; no symlinked directories (no loops).
    A directory that cannot be listed is yielded itself: it gets a verdict (validator.sources.load),
    not a silent skip."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            yield normalise(directory)
            continue
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name not in SKIP_DIRS and not os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    subdirs.append(entry.path)
            elif kind_of(entry.name) is not None:
                yield normalise(entry.path)
        stack.extend(reversed(subdirs))


def expand(paths: list[str], *, respect_gitignore: bool = False) -> list[str]:
    """Explicit files are always checked; directories are walked, skipping what git ignores when
    `respect_gitignore` (git is asked once, for every file found). Order kept, duplicates dropped."""
    seen: dict[str, None] = {}
    walked: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for found in walk(path):
                if found not in seen:
                    walked.append(found)
                seen.setdefault(found, None)
        else:
            seen.setdefault(normalise(path), None)
    if respect_gitignore and walked:
        from validator.sources import gitignore

        ignored = gitignore.ignored(walked)
        named = {normalise(path) for path in paths if not os.path.isdir(path)}
        return [path for path in seen if path not in ignored or path in named]
    return list(seen)


def guess_kind(text: str) -> Kind:
    """For text with no telling name (standard input): YAML when it looks like a document, else an env file."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped == "---" or re.match(r"^[A-Za-z_][\w.-]*:(?:\s|$)", stripped) or stripped.startswith("- "):
            return "yaml"
        return "dotenv"
    return "dotenv"


def compose_files_in(directory: str, names: Callable[[str], list[str]]) -> list[str]:
    """Compose files in the directory of an env file, which may interpolate from it;
    `names(directory)` lists a directory (Workspace.names: once per run)."""
    return [normalise(os.path.join(directory, name)) for name in names(directory) if _COMPOSE.match(name)]


def yaml_files_beside(path: str) -> list[str]:
    """YAML files in the same directory as a manifest, which may define the Secrets it references."""
    directory = os.path.dirname(path) or "."
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [normalise(os.path.join(directory, name)) for name in names
            if _YAML.match(name) and normalise(os.path.join(directory, name)) != normalise(path)]


def is_kustomization(path: str) -> bool:
    """`kustomization.yaml` (or `.yml`, or `Kustomization`): a kustomize build, not a manifest."""
    return os.path.basename(path) in KUSTOMIZATION_NAMES


def is_helm_values_name(path: str) -> bool:
    """`values.yaml`, `values-prod.yaml`, `values.staging.yml`: the names Helm values files have."""
    return _HELM_VALUES.match(os.path.basename(path)) is not None


def chart_file_beside(path: str) -> str | None:
    """The `Chart.yaml` of the chart directory a values file sits in, if there is one."""
    candidate = os.path.join(os.path.dirname(path), "Chart.yaml")
    return normalise(candidate) if os.path.isfile(candidate) else None


def is_chart_template(path: str) -> bool:
    """A file under a Helm chart's `templates/`: Go templates, YAML only once Helm renders them."""
    directory = os.path.dirname(os.path.abspath(path))
    while os.path.basename(directory) and os.path.basename(directory) != "templates":
        directory = os.path.dirname(directory)
    return bool(os.path.basename(directory)) and os.path.isfile(os.path.join(os.path.dirname(directory), "Chart.yaml"))
