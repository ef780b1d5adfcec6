"""`owui-validate check`: find the deployment files, check them, report, and choose the exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from validator.errors import UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def run(args: argparse.Namespace) -> int:
    from validator import engine, project
    from validator.report import text

    try:
        settings = project.load(args, Path.cwd())
    except UsageError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = engine.check(settings.files(args.paths or ["."]), settings.options(args.assume_openwebui))
    findings = settings.selection().apply(result.findings)
    text.write(findings, len(result.files), sys.stdout, quiet=args.quiet)
    return EXIT_FINDINGS if any(finding.severity >= settings.fail_on for finding in findings) else EXIT_OK
