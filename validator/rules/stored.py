"""The stored setting `auth.jwt_expiry` (Admin Panel): its meaning, and its precedence (OW110).

A stored value gets the same OW101-OW106 as JWT_EXPIRES_IN, named as stored
(`config[auth.jwt_expiry]` in a database, `auth.jwt_expiry` in an export); OW107 is left out,
since a value already stored is not re-saved. A stored value that is not a string is OW101: Open
WebUI hands it to `parse_duration`, which fails on anything but a string.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from validator.findings import Finding, Severity
from validator.openwebui import durations
from validator.openwebui.durations import Reading
from validator.precedence import effective_expiry
from validator.redaction import quote
from validator.rules import expiry
from validator.rules.base import Rule, Subject
from validator.sources.model import Setting


class StoredSettingOverrides(Rule):
    """A stored setting overrides JWT_EXPIRES_IN: the lifetime in the file is not the one in use.

    ## What it does
    When one run sees both a deployment's JWT_EXPIRES_IN and the stored setting `auth.jwt_expiry`
    of the same Open WebUI (its `webui.db`, its PostgreSQL database with `--database-url`, or an
    Admin Panel export in the same directory tree or given together on the command line), and
    persistent config is on, reports the variable when the two give different lifetimes.

    ## Why is this bad?
    JWT_EXPIRES_IN only seeds the stored setting on the first start. From then on Open WebUI reads
    the lifetime from its database, so the file says one thing and users get another: tokens live
    far longer (or shorter) than the deployment file claims, and changing the variable does nothing.

    ## Example
    ```env
    # .env; data/webui.db stores auth.jwt_expiry = "52w"
    JWT_EXPIRES_IN=4w
    ```

    ## Use instead
    Change the lifetime where Open WebUI reads it, Admin Panel > Settings > General > JWT
    Expiration, or make the file authoritative:
    ```env
    JWT_EXPIRES_IN=4w
    ENABLE_PERSISTENT_CONFIG=False
    ```
    """

    code = "OW110"
    name = "jwt-expiry-overridden-by-stored-setting"
    severity = Severity.WARNING
    security_severity = 4.0


def check(subject: Subject) -> Iterator[Finding]:
    """Findings about the stored value of a "stored-config" deployment."""
    setting = subject.env.JWT_EXPIRES_IN
    if setting is None:
        return
    if setting.value is None:
        yield expiry.RejectedExpiry.finding(
            f"{setting.name} is {setting.unresolved}: Open WebUI's parse_duration fails on it (TypeError), so every "
            "sign-up and sign-in fails with HTTP 500; save a lifetime such as `4w` in Admin Panel > Settings > "
            "General > JWT Expiration", setting.location, setting=setting, deployment=subject.deployment)
        return
    reading = subject.env.lifetime
    assert reading is not None
    for finding in expiry.value_findings(subject, setting, reading):
        if finding.code != expiry.NotSavableInAdminPanel.code:
            yield finding


def with_precedence(subjects: Iterable[Subject], findings: list[Finding]) -> list[Finding]:
    """Add OW110; the variable it is about loses OW108, which OW110 says more precisely."""
    overridden = list(_overrides(subjects))
    places = {(finding.location, finding.deployments) for finding in overridden}
    kept = [f for f in findings if f.code != expiry.SeedsStoredSetting.code or (f.location, f.deployments) not in places]
    return kept + overridden


def _overrides(subjects: Iterable[Subject]) -> Iterator[Finding]:
    for subject in subjects:
        deployment = subject.deployment
        if deployment.kind == "stored-config" or deployment.template:
            continue
        effective = effective_expiry(deployment, subject.policy.version)
        environment, stored = effective.overrides, effective.setting
        if effective.source != "stored" or environment is None or environment.value is None or stored is None:
            continue
        ours, theirs = _reading(stored), durations.explain(environment.value)
        if ours is not None and _same_effect(ours, theirs):
            continue
        where = effective.stored_in.location.path if effective.stored_in is not None else stored.location.path
        yield StoredSettingOverrides.finding(
            f"stored setting {_shown(stored)} in {where} overrides JWT_EXPIRES_IN={quote(environment.value)}: Open WebUI "
            f"uses the stored lifetime, {_lifetime(ours)}, not {_lifetime(theirs)} as written here; change it in "
            "Admin Panel > Settings > General > JWT Expiration, or set ENABLE_PERSISTENT_CONFIG=False to make this "
            "value authoritative", environment.location, setting=environment, deployment=deployment)


def _reading(setting: Setting) -> Reading | None:
    return None if setting.value is None else durations.explain(setting.value)


def _same_effect(first: Reading, second: Reading) -> bool:
    return first.outcome == second.outcome and first.delta == second.delta


def _shown(setting: Setting) -> str:
    return f"{setting.name}={quote(setting.value)}" if setting.value is not None else f"{setting.name} ({setting.unresolved})"


def _lifetime(reading: Reading | None) -> str:
    if reading is None or reading.outcome == "rejected":
        return "none (rejected: every sign-in fails with HTTP 500)"
    return expiry.meaning(reading)
