"""A 44-character key that Fernet refuses: Open WebUI stops at start (OW210)."""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.openwebui import versions
from validator.rules.base import Rule, Subject
from validator.schema import FernetUse

_FIX = "generate one with `openssl rand -base64 32` (44 characters ending in `=`), or use a key of another length"


class InvalidFernetKey(Rule):
    """A key of exactly 44 characters is not a valid Fernet key: Open WebUI stops at start.

    ## What it does
    Open WebUI hashes a key of any length into an encryption key, except a key of exactly 44
    characters, which it hands to `Fernet(key)` as it is. This rule reports such a key whose URL-safe
    base64 decoding fails or does not give exactly 32 bytes, for every place that reads it on the
    release the deployment runs (`target-version`):

    - from 0.6.27, `OAUTH_SESSION_TOKEN_ENCRYPTION_KEY` (default: `WEBUI_SECRET_KEY`), read at start;
    - from 0.6.31, `OAUTH_CLIENT_INFO_ENCRYPTION_KEY` (default: `WEBUI_SECRET_KEY`), read at start;
    - from 0.10, valve encryption, which always uses `WEBUI_SECRET_KEY`: a warning when both OAuth
      keys are set to other values, so the server starts but encrypted valves cannot be saved or read.

    Up to 0.6.26 nothing reads the key this way. The key is never shown.

    ## Why is this bad?
    Both OAuth keys are turned into Fernet keys when Open WebUI is imported, so the server stops at
    start with `ValueError: Fernet key must be 32 url-safe base64-encoded bytes.` 44 base64 characters
    without padding (33 bytes), `openssl rand -hex 22` or any 44-character passphrase all do this;
    `openssl rand -base64 32` (44 characters ending in `=`) does not.

    ## Example
    ```env
    WEBUI_SECRET_KEY=<openssl rand -hex 22: 44 hex digits>
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=<openssl rand -base64 32: 44 characters ending in =>
    ```
    """

    code = "OW210"
    name = "secret-key-not-fernet"
    severity = Severity.ERROR


def check(subject: Subject) -> Iterator[Finding]:
    """One finding per setting whose value is refused, naming every variable that reads it."""
    from validator.openwebui.fernet import refusal

    refused: dict[int, list[FernetUse]] = {}
    for use in subject.env.fernet_uses:
        assert use.setting.value is not None
        if refusal(use.setting.value) is not None:
            refused.setdefault(id(use.setting), []).append(use)
    version = versions.format_version(subject.env.target_version)
    for uses in refused.values():
        setting = uses[0].setting
        why = refusal(setting.value or "")
        at_start = [use.variable for use in uses if use.at_start]
        if at_start:
            defaults = [variable for variable in at_start if variable != setting.name]
            via = ""
            if defaults:
                via = f" (read as {' and '.join(defaults)}, which default{'s' if len(defaults) == 1 else ''} to it)"
            message = (f"{setting.name} is 44 characters but no Fernet key (it {why}): Open WebUI {version} stops at "
                       "start; use `openssl rand -base64 32`")
            explanation = (f"A key of exactly 44 characters is used as a Fernet key as it is{via}, and Fernet "
                           "refuses it: `ValueError: Fernet key must be 32 url-safe base64-encoded bytes.` Fix: "
                           f"{_FIX}.")
            yield InvalidFernetKey.finding(message, setting.location, setting=setting, deployment=subject.deployment,
                                           explanation=explanation)
        else:
            message = (f"{setting.name} is 44 characters but no Fernet key (it {why}): Open WebUI {version} cannot "
                       "encrypt valves with it")
            explanation = ("A key of exactly 44 characters is used as a Fernet key as it is to encrypt valves. Both "
                           "OAuth keys have their own values, so the server starts, but with "
                           f"ENABLE_VALVE_ENCRYPTION=true valves cannot be saved or read. Fix: {_FIX}.")
            yield InvalidFernetKey.finding(message, setting.location, severity=Severity.WARNING, setting=setting,
                                           deployment=subject.deployment, explanation=explanation)
