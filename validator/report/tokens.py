"""`owui-validate tokens` as text: per environment, its lifetime and key, then each check and its instants."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TextIO

from validator.harness.model import Check, Environment, Instants, ReleaseCodeReport, TokensReport
from validator.report.text import use_colour

_STATUS = {"pass": ("pass", "\033[32m"), "fail": ("FAIL", "\033[31m"), "skip": ("skip", "\033[2m")}
_RESET = "\033[0m"


def instant(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    text = moment.isoformat(timespec="milliseconds" if seconds != int(seconds) else "seconds")
    return text.replace("+00:00", "Z")


def instants(values: Instants) -> str:
    parts = [f"iat {instant(values.iat)}" if values.iat is not None else "no iat",
             f"exp {instant(values.exp)}" if values.exp is not None else "no exp",
             f"decoded {instant(values.checked_at)}"]
    return ", ".join(parts)


def _check(check: Check, colour: bool) -> list[str]:
    word, tint = _STATUS[check.status]
    if colour:
        word = f"{tint}{word}{_RESET}"
    rule = f" [{check.rule}]" if check.rule and check.status == "fail" else ""
    lines = [f"  {word} {check.number} {check.name}{rule}: {check.detail}"]
    if check.instants is not None and check.status != "skip":
        lines.append(f"         {instants(check.instants)}")
    return lines


def environment(env: Environment, colour: bool = False) -> list[str]:
    lines = [
        f"{env.name} ({env.source})",
        f"  lifetime: {env.lifetime.words}; {env.lifetime.source}",
        f"  key: {env.key.origin}, {env.key.description}: {env.key.note}",
    ]
    for check in env.checks:
        lines.extend(_check(check, colour))
    return lines


def release_code(code: ReleaseCodeReport, colour: bool = False) -> list[str]:
    """Each value through the release's own code, beside the validator's prediction."""
    release = f"Open WebUI {code.version}" if code.version else "The Open WebUI release"
    lines = [f"{release}'s own parse_duration and create_token ({code.origin}, ALGORITHM {code.algorithm}):"]
    for check in code.checks:
        word, tint = _STATUS[check.status]
        if colour:
            word = f"{tint}{word}{_RESET}"
        agreement = "as predicted" if check.status == "pass" else f"but the validator predicts {check.predicted}"
        lines.append(f"  {word} {check.value!r}: {check.release}, {agreement} ({check.source})")
    return lines


def summary(report: TokensReport) -> str:
    code = report.openwebui_code
    differ = sum(check.status == "fail" for check in code.checks) if code is not None else 0
    release = (f" The release's own code differs from the validator's prediction for {differ} "
               f"value{'s' if differ != 1 else ''}.") if differ else ""
    count = len(report.environments)
    if not count:
        return f"No Open WebUI environment in {len(report.files)} file{'s' if len(report.files) != 1 else ''}.{release}"
    failed = [env for env in report.environments if not env.passed]
    checks = sum(check.status == "fail" for env in report.environments for check in env.checks)
    tail = f"margin {report.margin_seconds} s.{release}"
    if not failed:
        return f"All checks passed in {count} environment{'s' if count != 1 else ''}; {tail}"
    return (f"{checks} check{'s' if checks != 1 else ''} failed in {len(failed)} of {count} "
            f"environment{'s' if count != 1 else ''}; {tail}")


def write(report: TokensReport, stream: TextIO) -> None:
    colour = use_colour(stream)
    for env in report.environments:
        stream.write("\n".join(environment(env, colour)) + "\n\n")
    if report.openwebui_code is not None:
        stream.write("\n".join(release_code(report.openwebui_code, colour)) + "\n\n")
    stream.write(summary(report) + "\n")
