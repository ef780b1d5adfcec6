"""The stored setting `auth.jwt_expiry` (Admin Panel): what Open WebUI makes of it.

A stored value gets the same OW101-OW106 as JWT_EXPIRES_IN, named as stored
(`config[auth.jwt_expiry]` in a database, `auth.jwt_expiry` in an export); OW107 is left out,
since a value already stored is not re-saved. A stored value that is not a string is OW101: Open
WebUI hands it to `parse_duration`, which fails on anything but a string.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding
from validator.rules import expiry
from validator.rules.base import Subject


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
