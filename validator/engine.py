"""One check run: files -> deployments -> the model of each -> findings, collated and scoped.

A value is reported once, where it is written, naming every deployment that uses it when that
is not obvious. Findings are kept only for the files asked about and the files those use.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from validator.findings import Finding
from validator.policy import Policy
from validator.sources import discover
from validator.sources.files import DEFAULT_MAX_BYTES, Workspace
from validator.sources.load import load
from validator.sources.model import Deployment, ParsedFile


@dataclass(frozen=True, slots=True)
class Options:
    policy: Policy = field(default_factory=Policy)
    assume_openwebui: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    # PostgreSQL databases whose stored settings to read (`--database-url`).
    database_urls: tuple[str, ...] = ()


@dataclass(slots=True)
class Result:
    findings: list[Finding]
    files: list[str]
    deployments: list[Deployment]


def check(paths: list[str], options: Options | None = None) -> Result:
    options = options or Options()
    ws = Workspace(options.max_bytes)
    requested = discover.expand(paths)
    parsed = {path: load(ws, path) for path in requested}
    for path in _context(requested, parsed):
        parsed[path] = load(ws, path)
    databases = _databases(options.database_urls)
    parsed.update((database.path, database) for database in databases)
    requested += [database.path for database in databases]

    used = {use for result in parsed.values() for use in result.uses}
    deployments = [
        deployment
        for result in parsed.values()
        for deployment in result.deployments
        if deployment.kind != "env-file" or result.path not in used
    ]
    if options.assume_openwebui:
        for deployment in deployments:
            deployment.openwebui = True
    ours = [deployment for deployment in deployments if deployment.openwebui]
    if any(deployment.kind == "stored-config" for deployment in ours):
        from validator import precedence

        precedence.attach(parsed.values(), ours, [*paths, *(database.path for database in databases)])

    findings = _file_findings(parsed, ours, options.assume_openwebui)
    findings += _rule_findings(ours, options.policy)

    scope = set(requested) | {use for path in requested for use in parsed[path].uses}
    return Result(_collate(f for f in findings if f.location.path in scope), requested, ours)


def _databases(urls: tuple[str, ...]) -> list[ParsedFile]:
    if not urls:
        return []
    from validator.sources.postgres import read_url

    return [read_url(url) for url in dict.fromkeys(urls)]


def _context(requested: list[str], parsed: dict[str, ParsedFile]) -> list[str]:
    """Compose files beside a requested env file decide whether it is their `.env` (pre-commit
    passes only the changed file, and the answer must not depend on that)."""
    extra: dict[str, None] = {}
    for path, result in parsed.items():
        if result.kind == "dotenv":
            for compose_path in discover.compose_files_beside(path):
                if compose_path not in parsed:
                    extra.setdefault(compose_path, None)
    return list(extra)


def _file_findings(parsed: dict[str, ParsedFile], ours: list[Deployment], assume: bool) -> list[Finding]:
    """OW001/OW002 belong to files that are Open WebUI's; another app's .env is none of our business."""
    owui_files = {use for deployment in ours for use in deployment.uses}
    owui_files |= {setting.location.path for deployment in ours for setting in deployment.settings.values()}
    owui_files |= {deployment.location.path for deployment in ours}
    return [
        finding
        for result in parsed.values()
        if assume or result.openwebui or result.path in owui_files
        for finding in result.findings
    ]


def _rule_findings(deployments: list[Deployment], policy: Policy) -> list[Finding]:
    from validator.rules import expiry, secret_key, sharing, stored
    from validator.rules.base import Subject
    from validator.schema import AuthEnvironment

    subjects = [
        Subject(deployment, AuthEnvironment.from_settings(
            deployment.settings, official_image=deployment.official_image, target_version=policy.version), policy)
        for deployment in deployments
    ]
    findings: list[Finding] = []
    for subject in subjects:
        if subject.deployment.kind == "stored-config":
            findings.extend(stored.check(subject))
            continue
        findings.extend(expiry.check(subject))
        findings.extend(secret_key.check(subject))
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
    return replace(finding, message=f"{finding.message} [used by {', '.join(names)}]")
