"""`owui-validate check`: find the deployment files, check them, report, and choose the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from validator.errors import UsageError

if TYPE_CHECKING:
    from validator import engine
    from validator.findings import Finding
    from validator.settings.policy import Policy
    from validator.settings.project import Project
    from validator.report import Checked, Run

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES_URL = "https://github.com/owui-config-validator/owui-config-validator/issues"


def run(args: argparse.Namespace) -> int:
    from validator import engine, report
    from validator.settings import project
    from validator.verdict import triage

    try:
        settings = project.load(args, Path.cwd())
        urls = _database_urls(args.database_url)
        options = replace(settings.options(args.assume_openwebui, args.max_file_size, urls), named=tuple(args.paths))
        # With only --database-url, check the database alone rather than also walking the current directory.
        result = engine.check(settings.files(args.paths or ([] if urls else ["."])), options)
        read = [*result.files, *[str(path) for path in (settings.source, args.baseline) if path]]
        for target in (args.output, args.write_baseline):
            _refuse_read(target, result, read)
        findings = triage.findings(result, settings.selection())
        if args.write_baseline:
            _write_baseline(findings, settings, args.write_baseline)
            return EXIT_OK
        if args.baseline:
            findings = _new_findings(findings, settings, args.baseline)
        run = report.Run(findings, result.files, str(settings.root), settings.fail_on, args.quiet, settings.severities,
                         _checked(result, options.policy),
                         unchecked=tuple(dict.fromkeys(error.path for error in result.errors)))
        _output(report.choose(args.format, os.environ), run, args.output)
        if args.verbose:
            from validator.report import verbose

            verbose.write(result, options.policy, sys.stderr)
    except UsageError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if result.errors:
        report_internal_errors(result.errors, debug=args.debug)
        return EXIT_INTERNAL
    return EXIT_FINDINGS if any(finding.severity >= settings.fail_on for finding in findings) else EXIT_OK


def _checked(result: engine.Result, policy: Policy) -> list[Checked]:
    """Which release each deployment was checked against, and where that came from."""
    from validator.openwebui.versions import format_version
    from validator.report import Checked

    return [Checked(
        deployment.name,
        format_version(deployment.release or policy.version),
        deployment.release_source if deployment.release else f"--target-version; {deployment.release_source}",
        deployment.because,
    ) for deployment in result.deployments if deployment.kind != "stored-config"]


def _database_urls(urls: list[str]) -> tuple[str, ...]:
    if urls:
        from validator.sources.postgres import is_postgres_url

        if not all(is_postgres_url(url) for url in urls):
            # The URL itself is not echoed: it may hold a password.
            raise UsageError("--database-url: expected a postgresql:// URL (for SQLite, name the webui.db file)")
    return tuple(urls)


def report_internal_errors(errors: list, *, debug: bool) -> None:  # type: ignore[type-arg]
    """One line per file; the exception's message is never printed, since it may quote a value."""
    import traceback

    from validator.report.common import printable

    for error in errors:
        print(f"owui-validate: internal error while checking {printable(error.path)} ({type(error.error).__name__}): "
              f"please report it at {ISSUES_URL}" + ("" if debug else " with the output of --debug"),
              file=sys.stderr)
        if debug:
            print("".join(traceback.format_tb(error.error.__traceback__)), end="", file=sys.stderr)


def _refuse_read(target: str | None, result: engine.Result, named: list[str]) -> None:
    """Never write to a file this run read: a typo in `--output` must not destroy a deployment file,
    nor an `env_file` target, a compose file read beside a `.env`, or one reached through a link."""
    from validator.fileio import same_as_any

    if target and (same_as_any(target, named) or (result.workspace is not None and result.workspace.was_read(target))):
        raise UsageError(f"{target} is one of the files read in this run: refusing to overwrite it")


def _write_baseline(findings: list[Finding], settings: Project, target: str) -> None:
    from validator.verdict import baseline

    baseline.write(baseline.build(findings, settings.finding_path), Path(target))
    plural = "s" if len(findings) != 1 else ""
    print(f"owui-validate: recorded {len(findings)} finding{plural} in {target}", file=sys.stderr)


def _new_findings(findings: list[Finding], settings: Project, source: str) -> list[Finding]:
    from validator.verdict import baseline

    return baseline.new_findings(findings, baseline.load(Path(source)), settings.finding_path)


def _output(name: str, run: Run, output: str | None) -> None:
    from validator import report

    if not output:
        report.render(name, run, sys.stdout)
        return
    try:
        from validator.redaction import RedactingWriter

        with open(output, "w", encoding="utf-8", newline="\n") as stream:
            writer = RedactingWriter(stream)  # the file leaves the process too
            report.render(name, run, writer)  # type: ignore[arg-type]
            writer.flush()
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror}") from None
