"""`owui-validate tokens`: issue session tokens as Open WebUI would and prove how they expire."""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def margin(text: str) -> int:
    """Whole seconds (`5`) or an Open WebUI duration (`5s`, `1m`): PyJWT writes whole seconds, so a
    fractional margin would test its truncation instead of the lifetime."""
    from validator.openwebui import durations

    if text.strip().isdigit():
        seconds: float = int(text)
    else:
        reading = durations.explain(text)
        if reading.outcome != "lifetime" or reading.meaningful_ignored:
            raise ValueError(f"--margin is not a number of seconds or a duration such as 5s")
        seconds = reading.seconds or 0.0
    if seconds < 1 or seconds != int(seconds):
        raise ValueError(f"--margin: a whole number of seconds, at least 1")
    return int(seconds)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from validator import engine
    from validator.errors import UsageError
    from validator.harness.plan import prove
    from validator.report import tokens as text
    from validator.settings import project

    try:
        seconds = margin(args.margin)
        # The same configuration file and flags as `check`: one verdict on the same environment.
        settings = project.load(args, Path.cwd())
    except (ValueError, UsageError) as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    policy = settings.config.policy
    if args.allow_no_expiry:
        policy = replace(policy, allow_no_expiry=True)
    code = None
    if args.openwebui is not None:
        import os

        from validator.harness.openwebui_code import CodeError, load

        try:
            code = load(args.openwebui, os.urandom(32).hex())
        except CodeError as exc:
            print(f"owui-validate: error: --openwebui {exc}", file=sys.stderr)
            return EXIT_USAGE
    options = replace(settings.options(args.assume_openwebui), policy=policy)
    result = engine.check(settings.files(args.paths or ["."]), options)
    report = prove(result, policy, seconds, code=code, enabled=settings.selection().enabled)
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        text.write(report, sys.stdout)
    if result.errors:
        from validator.commands.check import report_internal_errors

        report_internal_errors(result.errors, debug=False)
        return EXIT_INTERNAL
    return EXIT_OK if report.passed else EXIT_FAILED
