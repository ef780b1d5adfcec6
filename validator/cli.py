"""Argument parsing only: each command's work lives in validator.commands.<command>.run()."""

from __future__ import annotations

import argparse
import os
import sys

from validator import __version__

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a pipeline cut short


def _size(text: str) -> int:
    """`5M`, `512K`, `1048576`: bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = (text[:-1], units[text[-1].upper()]) if text[-1:].upper() in units else (text, 1)
    try:
        size = int(number) * unit
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 5M, 512K, 1048576)") from None
    if size <= 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (must be positive)")
    return size


class _RefusePassword(argparse.Action):
    """`--password VALUE` fails without echoing VALUE (argparse would, as an unrecognized argument)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        parser.error("--password is not accepted: a password on the command line shows in `ps` and shell history; "
                     "use --password-env VAR or --password-stdin")


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
    check.add_argument("--fail-on", choices=("error", "warning", "info"),
                       help="exit 1 when a finding is at least this severe (default: warning)")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--assume-openwebui", action="store_true",
                       help="treat every environment as Open WebUI's, even without an Open WebUI image or variable")
    check.add_argument("--max-jwt-expiry", metavar="DURATION", help="OW105 above this lifetime (default: 4w)")
    check.add_argument("--min-jwt-expiry", metavar="DURATION", help="OW106 below this lifetime (default: 1m)")
    check.add_argument("--target-version", metavar="VERSION",
                       help="the Open WebUI release deployed (default: the latest known)")
    check.add_argument("--max-file-size", metavar="SIZE", type=_size, default=_size("5M"),
                       help="skip larger files with an OW001 finding, without reading them (default: 5M)")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="also print each deployment found and what Open WebUI will do with it (to stderr)")
    check.add_argument("--debug", action="store_true",
                       help="print where an internal error happened (stack frames; never values)")

    check.add_argument("--format", choices=("text", "json", "sarif", "github", "junit"),
                       help="output format (default: text; github inside GitHub Actions)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--config", metavar="PATH",
                       help="configuration file (default: .owui-validate.toml or pyproject.toml, searched upwards)")
    check.add_argument("--select", action="append", metavar="CODES", help="run only these rule codes or prefixes")
    check.add_argument("--ignore", action="append", metavar="CODES", help="do not run these rule codes or prefixes")
    check.add_argument("--extend-ignore", action="append", metavar="CODES",
                       help="add to the configuration's ignored codes")
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")

    check.add_argument("--database-url", action="append", default=[], metavar="URL",
                       help="also read the stored settings of Open WebUI's PostgreSQL database (postgresql://...; "
                       "password from the URL or PGPASSWORD, never shown; needs owui-config-validator[postgres])")

    tokens = commands.add_parser("tokens", help="issue session tokens as Open WebUI would and prove how they expire")
    tokens.add_argument("paths", nargs="*", metavar="PATH", help="files and directories (default: .)")
    tokens.add_argument("--margin", default="1", metavar="SECONDS",
                        help="check tokens this long before and after expiry, whole seconds (default: 1)")
    tokens.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    tokens.add_argument("--assume-openwebui", action="store_true", help="treat every environment as Open WebUI's")
    tokens.add_argument("--allow-no-expiry", action="store_true", help="accept tokens that never expire")
    tokens.add_argument("--target-version", metavar="VERSION", help="the Open WebUI release deployed")
    tokens.add_argument("--openwebui", metavar="PATH", help="also run each value through this release's own "
                        "parse_duration and create_token (a wheel or an installed open_webui directory; read, "
                        "never imported)")

    probe = commands.add_parser("probe", help="sign in to a running Open WebUI and check the token it issues",
                                allow_abbrev=False)
    probe.add_argument("url", metavar="URL", help="the server's base URL, e.g. https://chat.example.com")
    probe.add_argument("--email", required=True, help="the account to sign in with")
    password = probe.add_mutually_exclusive_group()
    password.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    probe.add_argument("--password", nargs="?", action=_RefusePassword, help=argparse.SUPPRESS)
    expect = probe.add_mutually_exclusive_group()
    expect.add_argument("--expect", metavar="DURATION", help="the lifetime tokens should have, e.g. 4w or 0s")
    expect.add_argument("--config", nargs="+", metavar="PATH", help="take the lifetime from these deployment files")
    probe.add_argument("--tolerance", type=float, default=5.0, metavar="SECONDS",
                       help="allowed difference from the expected lifetime (default: 5)")
    probe.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default: 10)")
    probe.add_argument("--insecure", action="store_true", help="do not verify the TLS certificate (test servers only)")
    probe.add_argument("--target-version", metavar="VERSION", help="the Open WebUI release deployed (for --config)")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as OW101")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "check":
        from validator.commands import check as command
    elif args.command == "tokens":
        from validator.commands import tokens as command  # type: ignore[no-redef]
    elif args.command == "probe":
        from validator.commands import probe as command  # type: ignore[no-redef]
    else:
        from validator.commands import rule as command  # type: ignore[no-redef]
    try:
        return command.run(args)
    except BrokenPipeError:
        # `owui-validate check | head`: the reader left; stop quietly, as a shell tool does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
