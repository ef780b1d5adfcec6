"""`owui-validate check`: find the deployment files, check them, report, and choose the exit status."""

from __future__ import annotations

import argparse
import sys

from validator.findings import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES_URL = "https://github.com/owui-config-validator/owui-config-validator/issues"


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from validator import engine
    from validator.policy import Policy
    from validator.report import text

    overrides = {name: value for name, value in (
        ("max_jwt_expiry", args.max_jwt_expiry), ("min_jwt_expiry", args.min_jwt_expiry),
        ("target_version", args.target_version),
    ) if value is not None}
    try:
        policy = Policy(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        option = "--" + str(error["loc"][0]).replace("_", "-")
        print(f"owui-validate: error: {option}: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return EXIT_USAGE
    options = engine.Options(policy=policy, assume_openwebui=args.assume_openwebui, max_bytes=args.max_file_size)
    result = engine.check(args.paths or ["."], options)
    text.write(result.findings, len(result.files), sys.stdout, quiet=args.quiet)
    if args.verbose:
        from validator.report import verbose

        verbose.write(result, policy, sys.stderr)
    if result.errors:
        report_internal_errors(result.errors, debug=args.debug)
        return EXIT_INTERNAL
    threshold = Severity[args.fail_on.upper()]
    return EXIT_FINDINGS if any(finding.severity >= threshold for finding in result.findings) else EXIT_OK


def report_internal_errors(errors: list, *, debug: bool) -> None:  # type: ignore[type-arg]
    """One line per file; the exception's message is never printed, since it may quote a value."""
    import traceback

    for error in errors:
        print(f"owui-validate: internal error while checking {error.path} ({type(error.error).__name__}): "
              f"please report it at {ISSUES_URL}" + ("" if debug else " with the output of --debug"),
              file=sys.stderr)
        if debug:
            print("".join(traceback.format_tb(error.error.__traceback__)), end="", file=sys.stderr)
