"""From a deployment to what the token checks sign with: the same model the rules read.

The effective key and lifetime come from `AuthEnvironment` (validator/schema.py), built exactly as
the engine builds it for the rules, so `tokens` proves what `check` predicts. Keys never leave as
values: the report describes them by length and fingerprint.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from validator import secrets
from validator.harness.model import Environment, Key, Lifetime, ReleaseCodeReport, TokensReport
from validator.harness.tokens import Setup, SigningKey, Verifier, run
from validator.openwebui import durations, keys, versions
from validator.redaction import quote
from validator.settings.policy import Policy
from validator.rules.expiry import meaning
from validator.schema import AuthEnvironment
from validator.sources.model import Deployment, Setting

if TYPE_CHECKING:
    from validator import engine
    from validator.harness.openwebui_code import ReleaseCode

# Deployment kinds whose missing key falls back to `t0p-s3cr3t` before 0.9.6 (as OW201 says).
_STARTED_SERVERS = ("compose-service", "k8s-workload", "helm-release")


@dataclass(frozen=True, slots=True)
class Plan:
    setup: Setup
    lifetime: Lifetime
    key: Key


def environment(deployment: Deployment, policy: Policy) -> AuthEnvironment:
    """The model the rules read, with the stored lifetime where Open WebUI lets it win (OW110)."""
    from validator.precedence import environment as effective

    return effective(deployment, policy.version)


def plan(deployment: Deployment, policy: Policy, margin: int, verifier: Verifier | None = None) -> Plan:
    env = environment(deployment, policy)
    lifetime = _lifetime(env, overridden=deployment.settings.get("JWT_EXPIRES_IN"),
                         name="auth.jwt_expiry" if deployment.kind == "stored-config" else "JWT_EXPIRES_IN")
    signing, key = _key(deployment, env, policy)
    unresolved = ""
    if env.JWT_EXPIRES_IN is not None and env.JWT_EXPIRES_IN.value is None:
        unresolved = f"cannot be resolved ({env.JWT_EXPIRES_IN.unresolved or 'its value is not in the files checked'})"
    setup = Setup(lifetime=env.lifetime, key=signing, public_keys=public_keys(policy), unresolved=unresolved,
                  margin=margin, allow_no_expiry=policy.allow_no_expiry, verifier=verifier)
    return Plan(setup, lifetime, key)


def public_keys(policy: Policy) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*keys.known_default_keys(), *policy.known_default_keys)))


def _lifetime(env: AuthEnvironment, overridden: Setting | None = None, name: str = "JWT_EXPIRES_IN") -> Lifetime:
    setting, reading = env.JWT_EXPIRES_IN, env.lifetime
    if reading is None:
        assert setting is not None
        return Lifetime(jwt_expires_in=None, source=f"JWT_EXPIRES_IN at {setting.location} cannot be resolved "
                        f"({setting.unresolved or 'its value is not in the files checked'})",
                        outcome="unresolved", words="unknown")
    if setting is None:
        source = f"JWT_EXPIRES_IN is unset: Open WebUI {versions.format_version(env.target_version)} uses {quote(reading.raw)}"
    elif overridden is not None and overridden is not setting:
        source = (f"the stored setting auth.jwt_expiry={quote(reading.raw)} at {setting.location}, which overrides "
                  f"JWT_EXPIRES_IN={quote(overridden.value or '')} at {overridden.location} (persistent config is on)")
    else:
        source = f"{name}={quote(reading.raw)} at {setting.location}"
    if reading.outcome == "rejected":
        words = f"none: Open WebUI rejects the value ({reading.reason})"
    else:
        words = meaning(reading)
        if reading.meaningful_ignored:
            words += f" (Open WebUI ignores {durations.ignored_parts(reading)})"
    return Lifetime(jwt_expires_in=reading.raw, source=source, outcome=reading.outcome,
                    seconds=reading.seconds, words=words)


def _throwaway() -> str:
    return os.urandom(32).hex()


def _key(deployment: Deployment, env: AuthEnvironment, policy: Policy) -> tuple[SigningKey, Key]:
    effective = env.key
    setting = effective.setting
    variable = setting.name if setting is not None else None

    def throwaway(note: str, origin_rule: str = "") -> tuple[SigningKey, Key]:
        value = _throwaway()
        return (SigningKey(value, empty_rule=origin_rule),
                Key(origin="throwaway", variable=variable, description=secrets.describe(value),
                    note=f"{note}; the checks sign with a random throwaway key"))

    if deployment.template:
        return throwaway("a template: its key is a placeholder, not a deployed key")
    if effective.state == "set":
        assert setting is not None and setting.value is not None
        public = keys.matching_default(setting.value, policy.known_default_keys)
        note = f"{setting.name} at {setting.location}"
        if public is not None:
            # Published defaults may be named; a team's own list of burned keys may not.
            note += (f": the publicly known key {public!r}" if public in keys.known_default_keys()
                     else ": a key listed in known-default-keys")
        return (SigningKey(setting.value, public=public, stops=_stops(env)),
                Key(origin="configured", variable=variable, description=secrets.describe(setting.value), note=note))
    if effective.state == "unresolved":
        assert setting is not None
        return throwaway(f"{setting.name} cannot be resolved ({setting.unresolved or 'not in the files checked'})")
    if effective.state == "empty":
        assert setting is not None
        if setting.name == "WEBUI_JWT_SECRET_KEY":
            return throwaway("only the alias WEBUI_JWT_SECRET_KEY is set, which the official image never reads: "
                             "the server starts with an empty key and refuses to run", "OW206")
        if env.auth_enabled is not False:
            return throwaway(f"{setting.name} is set but empty at {setting.location}: Open WebUI refuses to start",
                             "OW202")
        return throwaway(f"{setting.name} is empty and authentication is off")
    if effective.state == "generated":
        return throwaway("no key: the official image's start.sh generates a random key in each container")
    version = env.target_version
    if not versions.falls_back_to_public_key(version):
        return throwaway("no key in the files: `open-webui serve` generates one, otherwise Open WebUI 0.9.6+ stops")
    fallback = keys.OLD_FALLBACK_KEY
    if deployment.kind not in _STARTED_SERVERS:
        # An env file may be one of several sources of the environment: the key can come from elsewhere.
        return throwaway(f"no key in this file: without one from elsewhere, Open WebUI "
                         f"{versions.format_version(version)} signs with the public {fallback!r}")
    return (SigningKey(fallback, public=fallback),
            Key(origin="public-fallback", description=secrets.describe(fallback),
                note=f"no key: Open WebUI {versions.format_version(version)} falls back to the public "
                f"{fallback!r} unless a start script generates one"))


def _stops(env: AuthEnvironment) -> str:
    """Why Open WebUI stops at start on a key Fernet refuses (OW210, the same model), or ""."""
    from validator.openwebui.fernet import refusal

    for use in env.fernet_uses:
        why = refusal(use.setting.value or "") if use.at_start else None
        if why is not None:
            return (f"{use.variable} is the 44 characters of {use.setting.name} at {use.setting.location}, which "
                    f"Fernet refuses: it {why}")
    return ""


def evaluate(paths: list[str], policy: Policy, margin: int, *, assume_openwebui: bool = False,
             code: ReleaseCode | None = None, options: Options | None = None,
             enabled: Callable[[str], bool] = lambda _: True) -> TokensReport:
    """Find the Open WebUI environments as `check` does (with its `options`, when given), and run the
    seven checks on each; a failed check whose rule the configuration does not select fails nothing.
    With a release's own code, run every value through it too (validator.harness.crosscheck)."""
    from dataclasses import replace

    from validator import engine

    options = replace(options, policy=policy) if options else engine.Options(policy, assume_openwebui)
    return prove(engine.check(paths, options), policy, margin, code=code, enabled=enabled)


def prove(result: engine.Result, policy: Policy, margin: int, *, code: ReleaseCode | None = None,
          enabled: Callable[[str], bool] = lambda _: True) -> TokensReport:
    """The seven checks on each Open WebUI environment `check` found (and the release's own code on
    each value, given one); a failed check whose rule the configuration does not select fails
    nothing, as in `check`. A bug met in one environment is added to `result.errors` (the command
    exits 3), and the others are still proved."""
    from validator import engine

    environments = []
    for deployment in result.deployments:
        try:
            planned = plan(deployment, policy, margin)
            checks = run(planned.setup)
        except Exception as exc:  # noqa: BLE001 - reported as an internal error, never dropped
            result.errors.append(engine.InternalError(deployment.location.path, exc))
            continue
        passed = all(check.status != "fail" or (check.rule is not None and not enabled(check.rule))
                     for check in checks)
        environments.append(Environment(
            name=deployment.name, kind=deployment.kind, source=str(deployment.location), lifetime=planned.lifetime,
            key=planned.key, checks=checks, passed=passed))
    compared = None
    if code is not None:
        from validator.harness import crosscheck

        values = [(env.lifetime.jwt_expires_in, env.lifetime.source) for env in environments
                  if env.lifetime.jwt_expires_in is not None]
        compared = ReleaseCodeReport(origin=code.origin, version=code.version, algorithm=code.algorithm,
                                     checks=crosscheck.run(code, values))
    return TokensReport(margin_seconds=margin, files=result.files, environments=environments, openwebui_code=compared,
                        passed=all(environment.passed for environment in environments)
                        and (compared is None or all(check.status == "pass" for check in compared.checks)))
