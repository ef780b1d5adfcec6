"""One check run: files -> deployments -> the model of each -> findings, collated and scoped.

A value is reported once, where it is written, naming every deployment that uses it when that
is not obvious. Findings are kept only for the files asked about and the files those use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from validator.findings import Finding
from validator.openwebui import release
from validator.settings.policy import Policy
from validator.sources import discover
from validator.sources.files import DEFAULT_MAX_BYTES, Workspace
from validator.sources.load import load
from validator.sources.model import Deployment, ParsedFile


@dataclass(frozen=True, slots=True)
class Options:
    policy: Policy = field(default_factory=Policy)
    assume_openwebui: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    # Files whose environments are Open WebUI's whatever they contain (config `assume-openwebui`).
    assume_openwebui_in: Callable[[str], bool] | None = None
    # PostgreSQL databases whose stored settings to read (`--database-url`).
    database_urls: tuple[str, ...] = ()
    # What the user named on the command line, when `paths` was expanded before (config `exclude`):
    # files named together are taken for one Open WebUI (precedence of stored settings).
    named: tuple[str, ...] | None = None
    # Texts to check instead of reading the file of that name (`check -` with --stdin-filename).
    texts: Mapping[str, str] = field(default_factory=dict)
    # Files read as context only: their deployments count (OW208, Secrets), their findings are not
    # reported (`--repository-context`: the verdict on a file does not depend on the batch it is in).
    context: tuple[str, ...] = ()
    # Files git ignores are absent unless named (a local `.env` must not decide the verdict).
    respect_gitignore: bool = False

    def assumes(self, path: str) -> bool:
        return self.assume_openwebui or (self.assume_openwebui_in is not None and self.assume_openwebui_in(path))


@dataclass(frozen=True, slots=True)
class InternalError:
    """A bug of ours met while checking `path`: reported, and the other files still checked."""

    path: str
    error: BaseException


@dataclass(slots=True)
class Result:
    findings: list[Finding]
    files: list[str]
    # The Open WebUI deployments of the files asked about (or using them).
    deployments: list[Deployment]
    # The files as read, for passes after the rules (suppression comments): nothing is read twice.
    workspace: Workspace | None = None
    errors: list[InternalError] = field(default_factory=list)
    # Findings in files read only as context (`--repository-context`): never reported, but a note
    # reported once per run (validator.verdict.informational) counts them, as a whole-repository run would.
    outside: list[Finding] = field(default_factory=list)


def check(paths: list[str], options: Options | None = None) -> Result:
    from validator.gcpause import paused

    with paused():
        return _check(paths, options or Options())


def _check(paths: list[str], options: Options) -> Result:
    requested = discover.expand(paths)
    hidden = None
    if options.respect_gitignore:
        from validator.sources.visibility import Hidden

        # Context files are tracked (validator.sources.repository): git ignores none of them.
        hidden = Hidden([*requested, *options.context])
    ws = Workspace(options.max_bytes, hidden)
    for path, text in options.texts.items():
        ws.give(path, text)
    errors: list[InternalError] = []
    from validator import parallel

    asked = set(requested)
    loading = [*requested, *(path for path in dict.fromkeys(options.context) if path not in asked)]
    if parallel.worthwhile(len(loading)):
        parsed = parallel.load_all(ws, loading, errors, _load)
    else:
        parsed = {path: _load(ws, path, errors) for path in loading}
    loaded = list(parsed)
    while loaded:  # a kustomize overlay's base is context, and so are the base's resources
        loaded = _context(ws, loaded, parsed)
        for path in loaded:
            parsed[path] = _load(ws, path, errors)
    pending = [result for result in parsed.values() if result.pending]
    if pending:
        from validator.sources.kubernetes.pairing import link

        try:
            link(list(parsed.values()), options.assumes)
        except Exception as exc:  # noqa: BLE001 - reported against the first manifest, the others still run
            errors.append(InternalError(pending[0].path, exc))
    databases = _databases(options.database_urls, options.max_bytes)
    parsed.update((database.path, database) for database in databases)
    requested += [database.path for database in databases]

    _register_secrets(parsed.values())
    used = {use for result in parsed.values() for use in result.uses}
    deployments = [
        deployment
        for result in parsed.values()
        for deployment in result.deployments
        if deployment.kind != "env-file" or result.path not in used
    ]
    templates = {result.path for result in parsed.values() if result.template}
    for deployment in deployments:
        if options.assumes(deployment.location.path) and not deployment.openwebui:
            deployment.openwebui, deployment.because = True, "assume-openwebui"
        if deployment.location.path in templates:
            deployment.template = True
        if deployment.openwebui and not deployment.release_source:
            deployment.release, deployment.release_source = release.from_image(deployment.image)
    ours = [deployment for deployment in deployments if deployment.openwebui]
    if any(deployment.kind == "stored-config" for deployment in ours):
        from validator import precedence

        named = paths if options.named is None else options.named
        precedence.attach(parsed.values(), ours, [*named, *(database.path for database in databases)])

    findings = _file_findings(parsed, ours, options.assumes)
    findings += _rule_findings(ours, options.policy, errors)

    asked = set(requested)
    scope = asked | {use for path in requested for use in parsed[path].uses}
    # A deployment read only as context (a compose file beside a requested .env that does not use it)
    # is not one the user asked about.
    theirs = [d for d in ours if d.location.path in asked or not asked.isdisjoint(d.uses)]
    collated = _collate(findings)
    return Result([f for f in collated if f.location.path in scope], requested, theirs, ws,
                  [error for error in errors if error.path in scope],
                  [f for f in collated if f.location.path not in scope] if options.context else [])


def _register_secrets(parsed: Iterable[ParsedFile]) -> None:
    """Tell the redaction boundary every secret read, in this process (a parallel run's child reads
    half the files): keys and passwords by variable name, and every value of a Kubernetes Secret."""
    from validator.redaction import register_key, register_setting

    for result in parsed:
        for deployment in result.deployments:
            for setting in deployment.settings.values():
                register_setting(setting.name, setting.value)
        for resource in result.resources:
            if getattr(resource, "kind", None) == "Secret":
                for setting in resource.entries.values():  # type: ignore[union-attr]
                    register_key(setting.value)


def _load(ws: Workspace, path: str, errors: list[InternalError]) -> ParsedFile:
    try:
        return load(ws, path)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the others
        errors.append(InternalError(path, exc))
        return ParsedFile(path, "error")


def _databases(urls: tuple[str, ...], max_bytes: int) -> list[ParsedFile]:
    if not urls:
        return []
    from validator.sources.postgres import read_url

    return [read_url(url, max_bytes) for url in dict.fromkeys(urls)]


def _context(ws: Workspace, loaded: list[str], parsed: dict[str, ParsedFile]) -> list[str]:
    """Compose files beside a requested env file decide whether it is their `.env`, and the manifests
    beside a requested manifest may hold its Secrets (pre-commit passes only the changed file, and
    the answer must not depend on that); so do the files a kustomization builds from. Only the files
    just `loaded` are asked: each file's context is loaded once."""
    extra: dict[str, None] = {}
    # Once per directory: 20,000 env files in one directory share one look at it.
    directories = dict.fromkeys(os.path.dirname(path) for path in loaded if parsed[path].kind == "dotenv")
    for directory in directories:
        for compose_path in discover.compose_files_in(directory, ws.names):
            if compose_path not in parsed:
                extra.setdefault(compose_path, None)
    for path in loaded:
        result = parsed[path]
        for context_path in result.context:
            if context_path not in parsed:
                extra.setdefault(context_path, None)
    return list(extra)


def _file_findings(parsed: dict[str, ParsedFile], ours: list[Deployment],
                   assume: Callable[[str], bool]) -> list[Finding]:
    """OW001/OW002 belong to files that are Open WebUI's; another app's .env is none of our business."""
    owui_files = {use for deployment in ours for use in deployment.uses}
    owui_files |= {setting.location.path for deployment in ours for setting in deployment.settings.values()}
    owui_files |= {deployment.location.path for deployment in ours}
    return [
        finding
        for result in parsed.values()
        if assume(result.path) or result.openwebui or result.path in owui_files
        for finding in result.findings
    ]


def _rule_findings(deployments: list[Deployment], policy: Policy, errors: list[InternalError]) -> list[Finding]:
    from validator.rules import expiry, secret_key, sharing, stored
    from validator.rules.base import Subject
    from validator.schema import AuthEnvironment

    subjects = [
        Subject(deployment, AuthEnvironment.from_settings(
            deployment.settings, official_image=deployment.official_image,
            target_version=deployment.release or policy.version), policy)
        for deployment in deployments
    ]
    findings: list[Finding] = []
    for subject in subjects:
        try:
            if subject.deployment.kind == "stored-config":
                findings.extend(stored.check(subject))
            else:
                findings.extend([*expiry.check(subject), *secret_key.check(subject)])
        except Exception as exc:  # noqa: BLE001 - one deployment's bug must not stop the others
            errors.append(InternalError(subject.deployment.location.path, exc))
    findings.extend(sharing.check(subjects))
    return stored.with_precedence(subjects, findings)


def _collate(findings: object) -> list[Finding]:
    """Merge the same finding reached through several deployments; name them where it helps."""
    merged: dict[tuple[str, object, str], Finding] = {}
    for finding in findings:  # type: ignore[attr-defined]
        key = (finding.code, finding.location, finding.message)
        if key in merged:
            previous = merged[key]
            names = tuple(dict.fromkeys(previous.deployments + finding.deployments))
            merged[key] = replace(previous, deployments=names, severity=max(previous.severity, finding.severity))
        else:
            merged[key] = finding
    return sorted((_named(finding) for finding in merged.values()), key=lambda f: f.sort_key)


def _named(finding: Finding) -> Finding:
    names = finding.deployments
    if not names or (len(names) == 1 and names[0].endswith(f" {finding.location.path}")):
        return finding
    if len(names) == 1 and (names[0] in finding.message or names[0] in finding.explanation):
        return finding
    # In the explanation: text output keeps one short line per finding, and JSON lists them anyway.
    return replace(finding, explanation=f"Used by {', '.join(names)}. {finding.explanation}".rstrip())
