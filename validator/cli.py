"""Argument parsing only: each command's work lives in validator.commands.<command>.run()."""

from __future__ import annotations

import argparse
import sys

from validator import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="owui-validate",
        description="Check Open WebUI's JWT_EXPIRES_IN and WEBUI_SECRET_KEY in deployment files, "
        "exactly as Open WebUI reads them.",
    )
    parser.add_argument("--version", action="version", version=f"owui-validate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check .env, compose, Kubernetes and Helm files")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files and directories (default: .)")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning",
                       help="exit 1 when a finding is at least this severe (default: warning)")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--assume-openwebui", action="store_true",
                       help="treat every environment as Open WebUI's, even without an Open WebUI image or variable")
    check.add_argument("--max-jwt-expiry", metavar="DURATION", help="OW105 above this lifetime (default: 4w)")
    check.add_argument("--min-jwt-expiry", metavar="DURATION", help="OW106 below this lifetime (default: 1m)")
    check.add_argument("--target-version", metavar="VERSION",
                       help="the Open WebUI release deployed (default: the latest known)")
    check.add_argument("--database-url", action="append", default=[], metavar="URL",
                       help="also read the stored settings of Open WebUI's PostgreSQL database (postgresql://...; "
                       "password from the URL or PGPASSWORD, never shown; needs owui-config-validator[postgres])")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as OW101")
    rule.add_argument("--all", action="store_true", help="list every rule")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "check":
        from validator.commands import check as command
    else:
        from validator.commands import rule as command  # type: ignore[no-redef]
    return command.run(args)
