"""Read one file into a ParsedFile, choosing the reader by name and, for YAML, by content."""

from __future__ import annotations

import os
import re

from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui.detect import has_marker, identify
from validator.sources import discover
from validator.sources.files import SourceError, Workspace
from validator.sources.model import Deployment, ParsedFile

# Variable names on the lines of an env file that does not parse: are they Open WebUI's?
_ENV_NAMES = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:]", re.MULTILINE)
_TEMPLATE_MARKUP = re.compile(r"\{\{|\{%")
# ytt annotations (`#@ load(...)`, `#@overlay/match`, `#@ if ...:`): a ytt template or overlay.
_YTT = re.compile(r"^[ \t]*#@", re.MULTILINE)


def load(ws: Workspace, path: str) -> ParsedFile:
    if os.path.isdir(path):
        return unlisted_directory(path)
    if path in ws.given:
        # Standard input: the name decides, else the content; it is no database.
        kind = discover.kind_of(path) or ("json" if path.lower().endswith(".json")
                                          else discover.guess_kind(ws.text(path)))
    elif discover.is_kustomization(path):
        kind = "yaml"
    else:
        kind = discover.explicit_kind(path)
    if kind == "yaml":
        return load_yaml(ws, path)
    if kind == "json":
        from validator.sources.export import read_export

        return read_export(ws, path)
    if kind == "sqlite":
        from validator.sources.sqlitedb import SIDE_FILES, read_database

        for suffix in ("", *SIDE_FILES):
            ws.note(path + suffix)
        return read_database(path, ws.max_bytes)
    return load_env_file(ws, path)


def unlisted_directory(path: str) -> ParsedFile:
    """A directory reaches a reader only when the walk could not list it (validator.sources.discover.walk):
    OW001, since the files in it were not checked."""
    try:
        os.scandir(path).close()
        reason = "changed while the tree was walked"
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    finding = Finding("OW001", Severity.ERROR, f"directory cannot be listed ({reason}): the files in it are not checked",
                      Location(path))
    return ParsedFile(path, "directory", findings=[finding], openwebui=True)


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
    because = identify(None, parsed.names())
    deployment = Deployment(
        name=f"env file {path}",
        kind="env-file",
        location=Location(path),
        settings=parsed.resolve(),
        openwebui=bool(because),
        because=because,
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
    template = discover.is_template(path) or _YTT.search(ws.cached_text(path) or "") is not None
    result = _read_documents(ws, path, documents)
    result.template = template
    return result


def _read_documents(ws: Workspace, path: str, documents: list) -> ParsedFile:  # type: ignore[type-arg]
    """The file as its kind reads it, plus OW002 for keys written twice in any mapping of it."""
    from validator.sources.yamlfile import duplicate_key_findings

    result = _read_kind(ws, path, documents)
    reported = {finding.location for finding in result.findings if finding.code == "OW002"}
    skip: frozenset[int] = frozenset()
    if result.kind == "kubernetes":
        from validator.sources.kubernetes.manifests import concatenated  # reported there, with both halves read

        skip = frozenset(id(document) for document in documents if concatenated(document))
    result.findings.extend(finding for finding in duplicate_key_findings(documents, path, skip)
                           if finding.location not in reported)
    return result


def _read_kind(ws: Workspace, path: str, documents: list) -> ParsedFile:  # type: ignore[type-arg]
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
    if len(documents) == 1 and os.path.basename(path) == "fleet.yaml":
        from validator.sources import gitops

        fleet = gitops.read_fleet(path, documents[0])
        if fleet is not None:
            return fleet
    release = helm.read(ws, path, documents[0]) if len(documents) == 1 else None
    if release is None and len(documents) == 1 and discover.is_helm_values_name(path):
        from validator.sources import otherchart

        release = otherchart.read(path, documents[0])
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
