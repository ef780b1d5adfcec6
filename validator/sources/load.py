"""Read one file into a ParsedFile, choosing the reader by name and, for YAML, by content."""

from __future__ import annotations

import re

from validator.location import Location
from validator.openwebui.detect import has_marker
from validator.sources import discover
from validator.sources.files import SourceError, Workspace
from validator.sources.model import Deployment, ParsedFile

# Variable names on the lines of an env file that does not parse: are they Open WebUI's?
_ENV_NAMES = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:]", re.MULTILINE)
_TEMPLATE_MARKUP = re.compile(r"\{\{|\{%")


def load(ws: Workspace, path: str) -> ParsedFile:
    kind = "yaml" if discover.is_kustomization(path) else discover.explicit_kind(path)
    if kind == "yaml":
        return load_yaml(ws, path)
    if kind == "json":
        from validator.sources.export import read_export

        return read_export(ws, path)
    if kind == "sqlite":
        from validator.sources.sqlitedb import read_database

        return read_database(path)
    return load_env_file(ws, path)


def load_env_file(ws: Workspace, path: str) -> ParsedFile:
    from validator.sources.dotenv import parse_dotenv

    try:
        text = ws.text(path)
    except SourceError as exc:
        # A file that cannot be read at all gets its verdict whatever it was meant to hold.
        return ParsedFile(path, "dotenv", findings=[exc.finding], openwebui=True)
    try:
        parsed = ws.parsed("dotenv", path, parse_dotenv)
    except SourceError as exc:
        return ParsedFile(path, "dotenv", findings=[exc.finding], openwebui=has_marker(_ENV_NAMES.findall(text)))
    deployment = Deployment(
        name=f"env file {path}",
        kind="env-file",
        location=Location(path),
        settings=parsed.resolve(),
        openwebui=has_marker(parsed.names()),
        template=discover.is_template(path),
    )
    return ParsedFile(path, "dotenv", [deployment], list(parsed.findings), openwebui=deployment.openwebui)


def load_yaml(ws: Workspace, path: str) -> ParsedFile:
    from validator.sources import yamlfile

    try:
        documents = ws.parsed("yaml", path, yamlfile.load_documents)
    except yamlfile.BrokenDocument as exc:
        # One bad document in a multi-document file: the ones before it are still checked.
        result = _read_documents(ws, path, exc.documents)
        result.findings.append(exc.finding)
        result.openwebui = True
        return result
    except SourceError as exc:
        if _is_template(ws, path):
            # Helm and Jinja templates are not YAML until rendered; they are not ours to judge.
            return ParsedFile(path, "template")
        return ParsedFile(path, "yaml", findings=[exc.finding], openwebui=True)
    return _read_documents(ws, path, documents)


def _read_documents(ws: Workspace, path: str, documents: list) -> ParsedFile:  # type: ignore[type-arg]
    from validator.sources import compose

    if discover.is_kustomization(path) and documents:
        from validator.sources.kubernetes import kustomize

        return _released(ws, path, kustomize.read(ws, path, documents[0]))

    for document in documents:
        if compose.is_compose(document):
            return _released(ws, path, compose.read_compose(ws, path, document))
    from validator.sources import helm  # not needed for the common compose file
    from validator.sources.kubernetes import manifests

    if any(manifests.is_manifest(document) for document in documents):
        return _released(ws, path, manifests.read_manifests(path, documents))
    release = helm.read(ws, path, documents[0]) if len(documents) == 1 else None
    return release or ParsedFile(path, "yaml")


def _released(ws: Workspace, path: str, result: ParsedFile) -> ParsedFile:
    """Only Helm reads another file's YAML (Chart.yaml, the base values.yaml), never a compose
    file's or a manifest's: their nodes can go once read, so memory stays flat across a run. Their
    text is looked at again only for suppression comments, so it stays only if it has one."""
    from validator.verdict.suppressions import MARKER

    ws.release("yaml", path, keep_text=MARKER in (ws.cached_text(path) or ""))
    return result


def _is_template(ws: Workspace, path: str) -> bool:
    try:
        return _TEMPLATE_MARKUP.search(ws.text(path)) is not None
    except SourceError:
        return False
