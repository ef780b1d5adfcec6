"""Argument parsing only: each command's work lives in validator.commands.<command>.run()."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys

from validator import __version__

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a pipeline cut short
MAX_TIMEOUT = 3600


def _size(text: str) -> int:
    """`5M`, `512K`, `1048576`: bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = (text[:-1], units[text[-1].upper()]) if text[-1:].upper() in units else (text, 1)
    try:
        size = int(number) * unit
    except ValueError:
        raise argparse.ArgumentTypeError("not a size (e.g. 5M, 512K, 1048576)") from None
    if size <= 0:
        raise argparse.ArgumentTypeError("not a size (must be positive)")
    return size


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number of seconds") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError("not a finite number of seconds")
    return number


def _timeout(text: str) -> float:
    """Seconds, more than 0 and at most an hour: 0, negative, nan and inf would wait forever or fail."""
    seconds = _number(text)
    if not 0 < seconds <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_TIMEOUT} seconds")
    return seconds


def _tolerance(text: str) -> float:
    seconds = _number(text)
    if seconds < 0:
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return seconds


# What argparse quotes of a value in its messages: `invalid choice: 'x'`, `invalid float value: 'x'`.
_QUOTED_VALUE = re.compile(r"(invalid [\w ]*?(?:value|choice)): .*?(?= \(choose from |$)", re.S)
# What may be named as a flag: a long option's shape (a value such as `-Xk9q` is never shown).
_FLAG = re.compile(r"--[a-z][a-z0-9-]*|-[a-zA-Z]")


class _Parser(argparse.ArgumentParser):
    """argparse that never echoes an argument's value, whatever the mistake: any argument may be a
    password or a database URL (`--pasword=X`, a stray extra value, an option before the command).
    Unknown flags are named (never their values) with the closest known flag."""

    # The arguments being parsed, and the words that may be shown (commands, choices): set by the
    # top-level parse_args for the error() of any parser below it.
    argv: list[str] = []
    shown: set[str] = set()

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def,override]
        _Parser.argv = list(sys.argv[1:] if args is None else args)
        _Parser.shown = _choices(self)
        parsed, extras = self.parse_known_args(_Parser.argv, namespace)
        if extras:
            self.error(self._unrecognized(extras, getattr(parsed, "command", None)))
        return parsed

    def _unrecognized(self, extras: list[str], command: str | None) -> str:
        from difflib import get_close_matches

        known = _option_strings(self, command)
        named, values = [], 0
        for extra in extras:
            flag = extra.partition("=")[0]
            if not _FLAG.fullmatch(flag):
                values += 1
                continue
            close = get_close_matches(flag, known, n=1, cutoff=0.6)
            named.append(flag + (f" (did you mean {close[0]}?)" if close else ""))
        if values:
            named.append(f"{values} extra value{'s' if values > 1 else ''} (not shown)")
        hint = "" if command else "; options go after the command (owui-validate check --help)"
        return f"unrecognized arguments: {', '.join(named)}{hint}"

    def error(self, message: str):  # type: ignore[no-untyped-def,override]
        message = _QUOTED_VALUE.sub(r"\1", message)
        if message.startswith("argument COMMAND") and _Parser.argv[:1] and _Parser.argv[0].startswith("-"):
            message += "; options go after the command (owui-validate check --help)"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_scrub_arguments(message)}\n")


def _option_strings(parser: argparse.ArgumentParser, command: str | None) -> list[str]:
    """The flags the command takes (every command's when none was reached), for did-you-mean."""
    subparsers = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    parsers = [parser]
    for action in subparsers:
        chosen = action.choices.get(command) if command else None
        parsers += [chosen] if chosen is not None else list(action.choices.values())
    return sorted({flag for each in parsers for flag in each._option_string_actions if flag.startswith("--")})


def _choices(parser: argparse.ArgumentParser) -> set[str]:
    """Every command name and every `choices` value, in this parser and the commands under it."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                found |= {name, *_choices(command)}
        elif action.choices:
            found |= {str(choice) for choice in action.choices}
    return found


def _scrub_arguments(message: str) -> str:
    """The last net: any argument that is not a flag, a command or a choice is cut from the message."""
    for argument in sorted(_Parser.argv, key=len, reverse=True):
        for part in {argument, argument.partition("=")[2] if argument.startswith("-") else ""}:
            if len(part) < 2 or part in _Parser.shown or _FLAG.fullmatch(part):
                continue
            message = message.replace(repr(part), "<value>").replace(part, "<value>")
    return message


class _RefusePassword(argparse.Action):
    """`--password VALUE` fails without echoing VALUE (argparse would, as an unrecognized argument)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        parser.error("--password is not accepted: a password on the command line shows in `ps` and shell history; "
                     "use --password-env VAR or --password-stdin")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    probe.add_argument("--tolerance", type=_tolerance, default=5.0, metavar="SECONDS",
                       help="allowed difference from the expected lifetime (default: 5)")
    probe.add_argument("--timeout", type=_timeout, default=10.0, metavar="SECONDS",
                       help="for each request, from connecting to the last byte of the answer (default: 10)")
    probe.add_argument("--insecure", action="store_true", help="do not verify the TLS certificate (test servers only)")
    probe.add_argument("--target-version", metavar="VERSION", help="the Open WebUI release deployed (for --config)")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as OW101")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from validator.redaction import guarded_output

    with guarded_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
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
