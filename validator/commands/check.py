"""`owui-validate check`: find the deployment files, check them, report, and choose the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from validator.errors import UsageError

if TYPE_CHECKING:
    from validator.report import Run

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def run(args: argparse.Namespace) -> int:
    from validator import engine, project, report, triage

    try:
        settings = project.load(args, Path.cwd())
        result = engine.check(settings.files(args.paths or ["."]), settings.options(args.assume_openwebui))
        _refuse_checked(args.output, result.files)
        findings = triage.findings(result, settings.selection())
        run = report.Run(findings, result.files, str(settings.root), settings.fail_on, args.quiet, settings.severities)
        _output(report.choose(args.format, os.environ), run, args.output)
    except UsageError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FINDINGS if any(finding.severity >= settings.fail_on for finding in findings) else EXIT_OK


def _refuse_checked(target: str | None, files: list[str]) -> None:
    """Never write to a checked file: a typo in `--output` must not destroy a deployment file."""
    if target and os.path.abspath(target) in {os.path.abspath(path) for path in files}:
        raise UsageError(f"{target} is one of the files checked: refusing to overwrite it")


def _output(name: str, run: Run, output: str | None) -> None:
    from validator import report

    if not output:
        report.render(name, run, sys.stdout)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as stream:
            report.render(name, run, stream)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror}") from None
