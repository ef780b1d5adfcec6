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
    from validator import engine
    from validator.harness.plan import prove
    from validator.openwebui import versions
    from validator.settings.policy import Policy
    from validator.report import tokens as text

    try:
        seconds = margin(args.margin)
    except ValueError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    overrides: dict[str, object] = {"allow_no_expiry": args.allow_no_expiry}
    if args.target_version is not None:
        try:
            versions.parse_version(args.target_version)
        except ValueError as exc:
            print(f"owui-validate: error: --target-version: {exc}", file=sys.stderr)
            return EXIT_USAGE
        overrides["target_version"] = args.target_version
    policy = Policy(**overrides)  # type: ignore[arg-type]
    code = None
    if args.openwebui is not None:
        import os

        from validator.harness.openwebui_code import CodeError, load

        try:
            code = load(args.openwebui, os.urandom(32).hex())
        except CodeError as exc:
            print(f"owui-validate: error: --openwebui {exc}", file=sys.stderr)
            return EXIT_USAGE
    result = engine.check(args.paths or ["."], engine.Options(policy=policy, assume_openwebui=args.assume_openwebui))
    report = prove(result, policy, seconds, code=code)
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        text.write(report, sys.stdout)
    if result.errors:
        from validator.commands.check import report_internal_errors

        report_internal_errors(result.errors, debug=False)
        return EXIT_INTERNAL
    return EXIT_OK if report.passed else EXIT_FAILED
