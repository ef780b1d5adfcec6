"""`owui-validate probe URL`: sign in to a running Open WebUI and check what it really issues.

Exit status: 0 every check passed; 1 a check failed (lifetime differs from the expectation, the
token verifies under a public key, or the server refuses its own token); 2 usage error; 3 no token
(connection refused, timeout, TLS, sign-in refused or failed).
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
from typing import TYPE_CHECKING

from validator.redaction import quote

if TYPE_CHECKING:
    from validator.harness.probe import Expectation, ProbeResult
    from validator.settings.policy import Policy

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_TOKEN = 0, 1, 2, 3


class UsageError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from validator.harness import probe as harness

    try:
        credentials = harness.Credentials(args.email, _password(args))
        _check_url(args.url, args.insecure)
        policy = _policy(args)
        expectation = _expectation(args, policy)
    except UsageError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from validator.harness.plan import public_keys

    try:
        result = harness.probe(args.url, credentials, expectation=expectation, public_keys=public_keys(policy),
                               tolerance=args.tolerance, timeout=args.timeout, insecure=args.insecure)
    except harness.ProbeError as exc:
        print(f"owui-validate: error: {exc}", file=sys.stderr)
        return EXIT_NO_TOKEN
    _write(result, args.email)
    return EXIT_OK if result.passed else EXIT_FAILED


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.read().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: nothing on standard input")
        return password
    if args.password_env is None:
        raise UsageError("give the password with --password-env VAR or --password-stdin (never on the command line)")
    password = os.environ.get(args.password_env)
    if not password:
        raise UsageError(f"--password-env: the environment variable {args.password_env} is not set or empty")
    return password


def _check_url(url: str, insecure: bool) -> None:
    """A URL the probe can use, or exit 2 without quoting what may be a password in it."""
    from validator import redaction
    from validator.harness.probe import is_loopback, origin

    redaction.register_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
    except ValueError:
        raise UsageError("the URL is not valid (a port from 1 to 65535; an IPv6 address in brackets, "
                         "http://[::1]:8080)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("the URL is not an http:// or https:// URL with a host")
    if "@" in parts.netloc:
        raise UsageError(f"the URL holds a user name or password ({origin(url)}): remove it; the probe signs in "
                         "with --email and --password-env or --password-stdin")
    if insecure and parts.scheme == "https":
        print("owui-validate: warning: TLS certificate verification is OFF (--insecure): the password goes to "
              "whoever answers", file=sys.stderr)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        print(f"owui-validate: warning: {origin(url)} is plain http: the password crosses the network unencrypted",
              file=sys.stderr)


def _policy(args: argparse.Namespace) -> Policy:
    from validator.openwebui import versions
    from validator.settings.policy import Policy

    if not args.target_version:
        return Policy()
    try:
        versions.parse_version(args.target_version)
    except ValueError as exc:
        raise UsageError(f"--target-version: {exc}") from None
    return Policy(target_version=args.target_version)


def _expectation(args: argparse.Namespace, policy: Policy) -> Expectation | None:
    from validator.harness.probe import Expectation
    from validator.openwebui import durations

    if args.expect is not None:
        reading = durations.explain(args.expect)
        if reading.outcome == "rejected":
            raise UsageError(f"--expect {quote(args.expect)}: Open WebUI rejects it ({reading.reason}); "
                             "give a value such as 4w, 2h or 0s")
        return Expectation(reading, "--expect")
    if args.config:
        return _from_files(args.config, policy)
    return None


def _from_files(paths: list[str], policy: Policy) -> Expectation:
    from validator import engine
    from validator.harness.plan import environment
    from validator.harness.probe import Expectation
    from validator.openwebui import versions

    found: dict[tuple[str, float | None], Expectation] = {}
    for deployment in engine.check(paths, engine.Options(policy=policy)).deployments:
        env = environment(deployment, policy)
        reading = env.lifetime
        if deployment.template or reading is None:
            continue
        setting = env.JWT_EXPIRES_IN
        source = (f"JWT_EXPIRES_IN at {setting.location}" if setting is not None else
                  f"{deployment.name}: unset, Open WebUI {versions.format_version(env.target_version)}'s default")
        found.setdefault((reading.outcome, reading.seconds), Expectation(reading, source))
    if not found:
        raise UsageError(f"--config: no Open WebUI environment with a known JWT_EXPIRES_IN in {' '.join(paths)}")
    if len(found) > 1:
        listed = "; ".join(f"{quote(e.reading.raw)} ({e.source})" for e in found.values())
        raise UsageError(f"--config: the files give different lifetimes ({listed}): pass the files of the "
                         "deployment this server runs, or --expect")
    return next(iter(found.values()))


def _write(result: ProbeResult, email: str) -> None:
    from validator.harness.probe import describe_lifetime
    from validator.report.tokens import instant

    lines = [f"signed in to {result.url} as {email} at {instant(result.requested_at)}",
             f"  token: {result.algorithm}, claims {', '.join(result.claim_names)}",
             "  " + ", ".join([f"iat {instant(result.iat)}" if result.iat is not None else "no iat",
                               f"exp {instant(result.exp)}" if result.exp is not None else "no exp",
                               f"expires_at {instant(result.expires_at)}" if result.expires_at is not None
                               else "expires_at null"]),
             f"  lifetime: {describe_lifetime(result.lifetime)}, {result.basis}"]
    for check in result.checks:
        lines.append(f"  {'FAIL' if check.status == 'fail' else check.status} {check.name}: {check.detail}")
    print("\n".join(lines))
