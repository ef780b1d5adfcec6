"""JWT_EXPIRES_IN: what lifetime Open WebUI really gives session tokens (OW101-OW109).

One value gets at most one finding about its meaning (OW101, OW102, OW103 or OW104), then at most
one about policy (OW105 or OW106) and one about the Admin Panel (OW107); a value Open WebUI does not
read as written (OW101, OW102) gets nothing more.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.redaction import quote
from validator.openwebui import durations, versions
from validator.openwebui.durations import Reading
from validator.rules.base import Rule, Subject
from validator.rules.resolution import Unresolved
from validator.sources.model import Setting

VARIABLE = "JWT_EXPIRES_IN"


class RejectedExpiry(Rule):
    """Open WebUI rejects JWT_EXPIRES_IN: every sign-up and sign-in fails with HTTP 500.

    ## What it does
    Reads JWT_EXPIRES_IN with Open WebUI's own `parse_duration` and reports values it raises on:
    a bare number, an upper-case or unknown unit, a space between number and unit, or an empty value.

    ## Why is this bad?
    Open WebUI parses the value each time it issues a token. A value without a number-unit pair
    raises `ValueError`, so sign-up and sign-in answer HTTP 500 for every user. Units are
    case-sensitive (`1H` fails) and there are no months or years. Some old documentation called the
    variable "int, in seconds": it never was.

    ## Example
    ```env
    JWT_EXPIRES_IN=3600
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=1h
    ```
    """

    code = "OW101"
    name = "jwt-expiry-rejected"
    severity = Severity.ERROR
    security_severity = 7.5


class PartlyIgnoredExpiry(Rule):
    """Open WebUI ignores part of JWT_EXPIRES_IN and uses a different lifetime than written.

    ## What it does
    Reports values where Open WebUI's unanchored pattern skips text: it adds up every
    number-unit pair it finds and silently drops the rest.

    ## Why is this bad?
    `1mo` and `1month` are read as ONE MINUTE (`1m`, then `o` is ignored); `7days` happens to
    work, `1h garbage` is one hour, and `1.5.5h` is 5.5 hours. Nothing is logged: users are
    signed out far sooner or later than intended.

    ## Example
    ```env
    JWT_EXPIRES_IN=1mo
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=4w
    ```
    """

    code = "OW102"
    name = "jwt-expiry-partly-ignored"
    severity = Severity.ERROR
    security_severity = 7.0


class NeverExpires(Rule):
    """Session tokens never expire.

    ## What it does
    Reports `-1` and `0` (Open WebUI's special values) and any value whose total is zero
    (`0s`, `0h`, `0m0s`): a zero lifetime is falsy in `create_token`, so the token gets no `exp`.

    ## Why is this bad?
    A token that never expires stays valid after a password change is forgotten about, and a
    leaked one works forever (only rotating WEBUI_SECRET_KEY revokes it). Open WebUI itself
    prints a security warning for `-1`. Set `allow-no-expiry` in the policy if you accept this.

    ## Example
    ```env
    JWT_EXPIRES_IN=0s
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=4w
    ```
    """

    code = "OW103"
    name = "jwt-never-expires"
    severity = Severity.WARNING
    security_severity = 5.5


class NegativeExpiry(Rule):
    """A negative lifetime: every token is already expired when it is issued.

    ## What it does
    Reports values whose total is below zero, such as `-5m` or `1h-2h`.

    ## Why is this bad?
    Open WebUI adds the lifetime to the current time, so `exp` is in the past: sign-in succeeds
    but every following request is refused, and nobody can stay signed in.

    ## Example
    ```env
    JWT_EXPIRES_IN=-5m
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=5m
    ```
    """

    code = "OW104"
    name = "jwt-expiry-negative"
    severity = Severity.ERROR
    security_severity = 3.0


class ExpiryAboveMaximum(Rule):
    """The token lifetime is above the policy maximum (default 4w).

    ## What it does
    Compares the lifetime Open WebUI will use with `max-jwt-expiry`.

    ## Why is this bad?
    Open WebUI session tokens cannot be revoked one by one: a stolen token stays valid until it
    expires. Long lifetimes widen that window.

    ## Example
    ```env
    JWT_EXPIRES_IN=52w
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=4w
    ```
    """

    code = "OW105"
    name = "jwt-expiry-above-maximum"
    severity = Severity.WARNING
    security_severity = 4.0


class ExpiryBelowMinimum(Rule):
    """The token lifetime is below the policy minimum (default 1m); under one second is an error.

    ## What it does
    Compares the lifetime Open WebUI will use with `min-jwt-expiry`. Lifetimes under one second
    are errors: PyJWT writes `exp` in whole seconds, so such a token expires within a second.

    ## Why is this bad?
    Users are signed out almost at once. Often the value was meant in another unit (`30s` for
    thirty minutes).

    ## Example
    ```env
    JWT_EXPIRES_IN=500ms
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=30m
    ```
    """

    code = "OW106"
    name = "jwt-expiry-below-minimum"
    severity = Severity.WARNING
    security_severity = 3.0


class NotSavableInAdminPanel(Rule):
    """Accepted from the environment, but the Admin Panel cannot save this value.

    ## What it does
    Reports values Open WebUI reads correctly from the environment that its Admin Panel
    (Settings > General > JWT Expiration) refuses: it accepts only `-1`, `0` or a single
    number-unit pair, so compound values like `1h30m` and values with spaces do not pass.

    ## Why is this bad?
    The value is stored on first start, shown in the Admin Panel, and the next time anyone saves
    that page the setting is silently dropped while the page says "saved" (open-webui #30293).

    ## Example
    ```env
    JWT_EXPIRES_IN=1h30m
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=90m
    ```
    """

    code = "OW107"
    name = "jwt-expiry-not-savable"
    severity = Severity.INFO


class SeedsStoredSetting(Rule):
    """JWT_EXPIRES_IN only seeds the stored setting on the first start.

    ## What it does
    Reports JWT_EXPIRES_IN in deployments where persistent config is on (the default).

    ## Why is this bad?
    On first start Open WebUI copies the value into its database (`auth.jwt_expiry`); from then
    on the stored value wins and changing the variable does nothing, which is how deployments end
    up with lifetimes nobody can find in their files.

    ## Example
    ```env
    JWT_EXPIRES_IN=2h
    ```

    ## Use instead
    Change the lifetime in Admin Panel > Settings > General > JWT Expiration, or make the file
    authoritative:
    ```env
    JWT_EXPIRES_IN=2h
    ENABLE_PERSISTENT_CONFIG=False
    ```
    """

    code = "OW108"
    name = "jwt-expiry-seeds-stored-setting"
    severity = Severity.INFO


class UnsetExpiryNeverExpires(Rule):
    """JWT_EXPIRES_IN is unset and the target Open WebUI release defaults to tokens that never expire.

    ## What it does
    With `target-version` below 0.6.34, reports Open WebUI deployments that do not set
    JWT_EXPIRES_IN: those releases default to `-1`.

    ## Why is this bad?
    See OW103: tokens that never expire cannot be revoked except by rotating the key.

    ## Example
    ```yaml
    services:
      open-webui:
        image: ghcr.io/open-webui/open-webui:v0.6.5
    ```

    ## Use instead
    ```yaml
    services:
      open-webui:
        image: ghcr.io/open-webui/open-webui:v0.6.5
        environment:
          JWT_EXPIRES_IN: 4w
    ```
    """

    code = "OW109"
    name = "jwt-expiry-unset-never-expires"
    severity = Severity.WARNING
    security_severity = 5.5


def meaning(reading: Reading) -> str:
    """What a token's lifetime will be, in words a user can act on."""
    if reading.outcome == "never":
        return "no expiry (tokens never expire)"
    if reading.outcome == "negative":
        return f"{durations.in_words(reading.seconds or 0)} (every token is expired when issued)"
    return durations.in_words(reading.seconds or 0)


# How Go (and so Helm's `quote`) prints a large number: 2419200 becomes 2.4192e+06.
_EXPONENT = re.compile(r"^\s*\d+(?:\.\d+)?e\+\d+\s*$")


def _fix(raw: str) -> str:
    if _EXPONENT.match(raw) and math.isfinite(float(raw)):
        seconds = float(raw)
        return (f"; it is the number {seconds:.0f} as Helm prints an unquoted number: quote the value in the "
                f"values file and give it a unit, e.g. `\"{durations.canonical(seconds)}\"`")
    fixed = durations.suggest(raw)
    if fixed is None:
        return ""
    stripped = raw.strip()
    if stripped.lstrip("-").isdigit() and fixed != f"{stripped}s":
        return f"; use `{stripped}s` or `{fixed}`"
    return f"; use `{fixed}`"


def check(subject: Subject) -> Iterator[Finding]:
    setting = subject.env.JWT_EXPIRES_IN
    if setting is None:
        yield from _unset(subject)
        return
    if setting.value is None:
        yield Unresolved.about(setting, subject.deployment)
        return
    reading = subject.env.lifetime
    assert reading is not None
    yield from value_findings(subject, setting, reading)
    if subject.env.persistent_config is not False and not subject.deployment.template:
        yield SeedsStoredSetting.finding(
            "JWT_EXPIRES_IN only seeds the stored setting auth.jwt_expiry on the first start; after that, "
            "changing it has no effect unless ENABLE_PERSISTENT_CONFIG=False "
            "(or edit Admin Panel > Settings > General > JWT Expiration)",
            setting.location, setting=setting, deployment=subject.deployment)


def _unset(subject: Subject) -> Iterator[Finding]:
    version = subject.env.target_version
    if versions.default_jwt_expires_in(version) == "-1" and not subject.deployment.template \
            and not subject.policy.allow_no_expiry:
        yield UnsetExpiryNeverExpires.finding(
            f"JWT_EXPIRES_IN is unset: Open WebUI {versions.format_version(version)} then uses -1 and "
            "tokens never expire; set a lifetime such as `4w`",
            subject.deployment.location, deployment=subject.deployment)


def value_findings(subject: Subject, setting: Setting, reading: Reading) -> Iterator[Finding]:
    """OW101-OW107 for one value, named as written (`JWT_EXPIRES_IN`, or a stored setting's name)."""
    raw, policy, deployment = reading.raw, subject.policy, subject.deployment
    written = f"{setting.name}={quote(raw)}"

    def report(rule: type[Rule], message: str, severity: Severity | None = None) -> Finding:
        return rule.finding(message, setting.location, severity=severity, setting=setting, deployment=deployment)

    if reading.outcome == "rejected":
        yield report(RejectedExpiry, f"{written} is rejected by Open WebUI ({reading.reason}): "
                     f"every sign-up and sign-in fails with HTTP 500{_fix(raw)}")
        return
    if reading.meaningful_ignored:
        yield report(PartlyIgnoredExpiry, f"{written} is read as {meaning(reading)}: Open WebUI "
                     f"ignores {durations.ignored_parts(reading)}{_fix(raw) or '; write only number-unit pairs such as `4w`'}")
        return
    if reading.outcome == "never":
        if not policy.allow_no_expiry:
            yield report(NeverExpires, f"{written}: tokens never expire ({reading.reason}); "
                         "a leaked token stays valid until the key is rotated")
    elif reading.outcome == "negative":
        yield report(NegativeExpiry, f"{written} is a negative lifetime of "
                     f"{durations.in_words(reading.seconds or 0)}: every token is expired when issued, so sign-in "
                     "succeeds but the next request is refused")
    else:
        yield from _policy(report, written, reading.seconds or 0.0, subject)
    if not reading.admin_panel_savable:
        yield report(NotSavableInAdminPanel, f"{written} works from the environment, but the Admin "
                     "Panel cannot save it (it takes -1, 0 or one number-unit pair"
                     f"{_single_pair(reading)}): saving Settings > General there silently drops the setting")


def _single_pair(reading: Reading) -> str:
    seconds = reading.seconds
    return f" such as `{durations.canonical(seconds)}`" if seconds and seconds > 0 else ""


def _policy(report, written: str, seconds: float, subject: Subject) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    policy = subject.policy
    words = durations.in_words(seconds)
    if seconds > policy.max_seconds:
        yield report(ExpiryAboveMaximum, f"{written} gives tokens {words}, above the policy maximum "
                     f"of {durations.in_words(policy.max_seconds)} (max-jwt-expiry={policy.max_jwt_expiry})")
    elif seconds < 1:
        yield report(ExpiryBelowMinimum, f"{written} gives tokens {words}: PyJWT writes `exp` in whole "
                     "seconds, so every token expires within a second of sign-in", Severity.ERROR)
    elif seconds < policy.min_seconds:
        yield report(ExpiryBelowMinimum, f"{written} gives tokens {words}, below the policy minimum "
                     f"of {durations.in_words(policy.min_seconds)}: users are signed out after {words}")
