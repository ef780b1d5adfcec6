"""`owui-validate check`: find the deployment files, check them, report, and choose the exit status."""

from __future__ import annotations

import argparse
import sys

from validator.findings import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    urls = tuple(args.database_url)
    if urls:
        from validator.sources.postgres import is_postgres_url

        if not all(is_postgres_url(url) for url in urls):
            # The URL itself is not echoed: it may hold a password.
            print("owui-validate: error: --database-url: expected a postgresql:// URL "
                  "(for SQLite, name the webui.db file)", file=sys.stderr)
            return EXIT_USAGE
    options = engine.Options(policy=policy, assume_openwebui=args.assume_openwebui, database_urls=urls)
    # With only --database-url, check the database alone rather than also walking the current directory.
    result = engine.check(args.paths or ([] if urls else ["."]), options)
    text.write(result.findings, len(result.files), sys.stdout, quiet=args.quiet)
    threshold = Severity[args.fail_on.upper()]
    return EXIT_FINDINGS if any(finding.severity >= threshold for finding in result.findings) else EXIT_OK

