"""Keys shared between deployments that should not trust each other's tokens (OW208)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from validator import secrets
from validator.findings import Finding, Severity
from validator.location import Location
from validator.openwebui import keys
from validator.rules.base import Rule, Subject


class SharedKey(Rule):
    """The same secret key is used by more than one deployment, written in more than one place.

    ## What it does
    Compares the effective keys of all Open WebUI deployments checked in one run (compose
    services, workloads, standalone env files) and reports a key written in two or more places,
    such as a staging and a production env file. Services that share one definition (one `.env`
    interpolated into several services) are one deliberate choice and are not reported.

    ## Why is this bad?
    A token issued by staging is accepted by production: whoever is admin on the test system can
    act as any user in production. A leak of one environment's key compromises all of them.

    ## Example
    ```env
    # staging.env and production.env
    WEBUI_SECRET_KEY=9b1c...   # same value in both
    ```

    ## Use instead
    A separate `openssl rand -hex 32` for each environment.
    """

    code = "OW208"
    name = "secret-key-shared"
    severity = Severity.WARNING
    security_severity = 6.0


def check(subjects: Iterable[Subject]) -> Iterator[Finding]:
    by_value: dict[str, dict[Location, list[Subject]]] = defaultdict(lambda: defaultdict(list))
    for subject in subjects:
        key = subject.env.key
        if subject.deployment.template or key.state != "set" or key.setting is None or not key.setting.value \
                or keys.is_known_default(key.setting.value, subject.policy.known_default_keys):
            continue  # a public key is OW201's business: sharing it adds nothing
        by_value[key.setting.value][key.setting.location].append(subject)
    for value, places in by_value.items():
        if len(places) < 2:
            continue
        for location, users in places.items():
            others = sorted({s.deployment.name for where, group in places.items() if where != location for s in group})
            setting = users[0].env.key.setting
            shown = others[0] + (f" and {len(others) - 1} more" if len(others) > 1 else "")
            yield SharedKey.finding(
                f"{setting.name} (sha256 {secrets.fingerprint(value)}) is also the key of {shown}; "  # type: ignore[union-attr]
                "generate a separate key for each",
                location, setting=setting, deployment=users[0].deployment,
                explanation="Tokens issued by one are accepted by the other"
                + (f": {', '.join(others)}." if len(others) > 1 else "."))
