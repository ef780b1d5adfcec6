"""WEBUI_SECRET_KEY: whether anyone else can sign session tokens, and whether they survive a restart.

OW201 or OW202 for a key suppress OW203 and OW204 for it: a public or empty key needs no
strength estimate. Keys are never shown, only their length and a short fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator import secrets
from validator.findings import Finding, Severity
from validator.openwebui import keys, versions
from validator.rules import fernet
from validator.rules.base import Rule, Subject
from validator.rules.resolution import Unresolved
from validator.sources.model import Setting


class PublicKey(Rule):
    """WEBUI_SECRET_KEY is a publicly known default or placeholder.

    ## What it does
    Compares the key with Open WebUI's old fallback `t0p-s3cr3t` and a curated list of
    placeholders from tutorials and example files (plus `known-default-keys` from the config),
    ignoring case and surrounding whitespace. It also recognises placeholder families, named in
    the finding without quoting the key: instruction placeholders (`change-this-...`,
    `your-...-key`, `put-...-here`, `<...>`, `xxx...`), a shell command written literally
    (`$(openssl rand -base64 32)`, which compose and env files never run), a listed placeholder
    with digits or words added (`supersecretkey123`), and the word secret, password or key with
    digits (`mysecret2024`). With `target-version` below 0.9.6 it also reports deployments without
    a key that would fall back to `t0p-s3cr3t`.

    ## Why is this bad?
    Session tokens are HS256 JWTs signed with this key. Anyone who knows it can mint tokens
    Open WebUI accepts: releases that check only the user id accept a token for any user, the
    admin included; 0.12 also compares the user's session stamp, which every token that user was
    ever issued carries, so one leaked or expired token can be renewed without end.

    ## Example
    ```env
    WEBUI_SECRET_KEY=t0p-s3cr3t
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=${WEBUI_SECRET_KEY}  # from a secret store; generate with openssl rand -hex 32
    ```
    """

    code = "OW201"
    name = "secret-key-public"
    severity = Severity.ERROR
    security_severity = 9.8


class EmptyKey(Rule):
    """WEBUI_SECRET_KEY is set but empty: the server refuses to start.

    ## What it does
    Reports an empty key outside the official Docker image, with authentication on.

    ## Why is this bad?
    Open WebUI stops at start when authentication is on and the key is empty (ValueError before
    0.9.6, SystemExit after). An empty variable is not an unset one: no default applies. (In
    the official image an empty key makes start.sh generate one per container instead: OW205.)

    ## Example
    ```env
    WEBUI_SECRET_KEY=
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=<64 hex digits from openssl rand -hex 32>
    ```
    """

    code = "OW202"
    name = "secret-key-empty"
    severity = Severity.ERROR
    security_severity = 5.0


class ShortKey(Rule):
    """The key is shorter than 32 bytes (RFC 7518 section 3.2 for HS256).

    ## What it does
    Measures the key in UTF-8 bytes against `min-secret-key-length` (default 32).

    ## Why is this bad?
    RFC 7518 requires an HMAC key at least as long as the hash output: 32 bytes for HS256. PyJWT
    warns (InsecureKeyLengthWarning) for shorter keys, and short keys are open to offline
    brute force from any one token.

    ## Example
    ```env
    WEBUI_SECRET_KEY=Xk29sLq0
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=<64 hex digits from openssl rand -hex 32>
    ```
    """

    code = "OW203"
    name = "secret-key-short"
    severity = Severity.ERROR
    security_severity = 7.5


class WeakKey(Rule):
    """The key has low entropy: a repeated character or pattern, a keyboard or alphabet run, a word plus digits.

    ## What it does
    Estimates how many bits of randomness the key holds, from the pattern it follows, and
    reports keys that follow one. The estimate is shown; the key is not.

    ## Why is this bad?
    Length alone does not make a key secret: `aaaa...` or `password12345678901234567890123`
    is long enough and guessed at once by any cracking tool run against a captured token.

    ## Example
    ```env
    WEBUI_SECRET_KEY=abcdefghijklmnopqrstuvwxyz012345
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=<64 hex digits from openssl rand -hex 32>
    ```
    """

    code = "OW204"
    name = "secret-key-low-entropy"
    severity = Severity.WARNING
    security_severity = 7.0


class NoKey(Rule):
    """An Open WebUI service has no secret key of its own: a new key per container.

    ## What it does
    Reports services and workloads that set no WEBUI_SECRET_KEY (or set it empty in the
    official image). It is an error when the service runs more than one replica: compose
    `deploy.replicas` or `scale`, `deploy.mode: global` (one container per node), Kubernetes `spec.replicas` or a HorizontalPodAutoscaler's
    `maxReplicas`, Helm `replicaCount` or `autoscaling.maxReplicas`. A key referenced from a
    Secret that is not among the files checked is OW209 instead, and so is a key that may come
    from an `env_file` left out of the checkout on purpose (gitignored, or named as a secret file)
    or from `WEBUI_SECRET_KEY_FILE` pointing at a secret mount (`/run/secrets/...`). With
    `WEBUI_SECRET_KEY_FILE` on the data volume (`/app/backend/data/...`, read by start.sh from
    0.6.14) the generated key survives recreates: info, or an error above one replica.

    ## Why is this bad?
    The official image's start.sh then writes a random key to `/app/backend/.webui_secret_key`,
    outside the data volume: every recreate of the container signs everyone out and loses OAuth
    sessions, MFA secrets and encrypted valves. With several replicas each has its own key, so a
    token issued by one is refused by the next and users are signed out at random.

    ## Example
    ```yaml
    services:
      open-webui:
        image: ghcr.io/open-webui/open-webui:main
        deploy:
          replicas: 2
    ```

    ## Use instead
    ```yaml
    services:
      open-webui:
        image: ghcr.io/open-webui/open-webui:main
        environment:
          WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}
        deploy:
          replicas: 2
    ```
    """

    code = "OW205"
    name = "secret-key-missing"
    severity = Severity.WARNING
    security_severity = 5.0


class DeprecatedAlias(Rule):
    """The deprecated WEBUI_JWT_SECRET_KEY is used, or both names are set.

    ## What it does
    Reports WEBUI_JWT_SECRET_KEY and says which name wins. It is an error with the official
    Docker image, which sets `WEBUI_SECRET_KEY=""` and so never reads the alias.

    ## Why is this bad?
    Open WebUI reads the alias only when WEBUI_SECRET_KEY is unset. In the official image it is
    always set (to empty), and start.sh generates no key while the alias has a value, so the
    server starts with an empty key and refuses to run. Elsewhere the alias works but will not
    forever, and two names for one key invite two different values.

    ## Example
    ```env
    WEBUI_JWT_SECRET_KEY=<key>
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY=<key>
    ```
    """

    code = "OW206"
    name = "secret-key-deprecated-alias"
    severity = Severity.WARNING
    security_severity = 5.0


class LiteralKey(Rule):
    """The secret key is written literally in a committed deployment file.

    ## What it does
    Reports a non-empty WEBUI_SECRET_KEY written as a literal value in a compose file (not
    interpolated from the environment), in a Kubernetes container's `env[].value` or a ConfigMap,
    or in the `extraEnvVars` of Helm values.

    ## Why is this bad?
    Compose files, manifests and values files are committed and shared; whoever can read the
    repository can sign admin tokens. Keep the value in an uncommitted `.env` or a secret store;
    on Kubernetes, in a Secret read through `valueFrom.secretKeyRef` (ConfigMaps and pod specs are
    not secret: anyone who may read the namespace reads them).

    ## Example
    ```yaml
    environment:
      WEBUI_SECRET_KEY: 2f0d6c1e...
    ```

    ## Use instead
    ```yaml
    environment:
      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}
    ```
    """

    code = "OW207"
    name = "secret-key-literal"
    severity = Severity.WARNING
    security_severity = 6.5


def check(subject: Subject) -> Iterator[Finding]:
    if subject.deployment.template:
        return
    yield from _alias(subject)
    key = subject.env.key
    deployment = subject.deployment
    if key.state == "unresolved":
        assert key.setting is not None
        yield Unresolved.about(key.setting, deployment)
    elif key.state == "set":
        assert key.setting is not None
        yield from _strength(subject, key.setting)
        yield from _literal(subject, key.setting)
    elif key.state == "empty" and key.setting is not None and key.setting.name == "WEBUI_SECRET_KEY":
        if subject.env.auth_enabled is not False:
            yield EmptyKey.finding(
                "WEBUI_SECRET_KEY is set but empty: with authentication on, Open WebUI refuses to start",
                key.setting.location, explanation="An empty variable is not an unset one, so no default or "
                "generated key applies.", setting=key.setting, deployment=deployment)
    elif key.state in ("generated", "missing"):
        yield from _missing(subject, key.setting)
    yield from fernet.check(subject)


def _alias(subject: Subject) -> Iterator[Finding]:
    alias, primary = subject.env.WEBUI_JWT_SECRET_KEY, subject.env.WEBUI_SECRET_KEY
    if alias is None:
        return
    if primary is not None:
        message = ("WEBUI_JWT_SECRET_KEY is deprecated and ignored here: WEBUI_SECRET_KEY is also set and wins; "
                   "remove the alias")
        explanation = ""
        severity = Severity.WARNING
    elif subject.env.official_image and alias.value != "":
        message = ("WEBUI_JWT_SECRET_KEY alone: the official image starts with an empty key and refuses to run; "
                   "rename it to WEBUI_SECRET_KEY")
        explanation = ("The image sets WEBUI_SECRET_KEY=\"\" and never reads the alias, and start.sh generates no "
                       "key while the alias is set, so the server starts with an empty key.")
        severity = Severity.ERROR
    else:
        message = ("WEBUI_JWT_SECRET_KEY is deprecated: Open WebUI reads it only because WEBUI_SECRET_KEY is "
                   "unset; rename it to WEBUI_SECRET_KEY")
        explanation = ""
        severity = Severity.WARNING
    yield DeprecatedAlias.finding(message, alias.assigned or alias.location, severity=severity, setting=alias,
                                  deployment=subject.deployment, explanation=explanation)


def _strength(subject: Subject, setting: Setting) -> Iterator[Finding]:
    from validator.keystrength import estimate

    value, deployment, policy = setting.value or "", subject.deployment, subject.policy
    name = setting.name
    if keys.is_known_default(value, policy.known_default_keys):
        # Published defaults may be named; a team's own list of burned keys may not.
        shown = f"the publicly known key {value.strip()!r}" if keys.is_known_default(value) \
            else "a key listed in known-default-keys"
        yield PublicKey.finding(
            f"{name} is {shown}: anyone can forge session tokens; generate one with `openssl rand -hex 32`",
            setting.location, explanation="Releases that check only the user id accept a forged token for any "
            "user; 0.12 accepts one made from any token a user was ever issued, even an expired one, which "
            "carries the session stamp.", setting=setting, deployment=deployment)
        return
    family = keys.placeholder_family(value)
    if family is not None:
        # Only the family is named: the value is not a published one, so it is not quoted.
        yield PublicKey.finding(
            f"{name} is {family}, not a generated key ({secrets.describe(value)}): anyone who guesses it can "
            "sign session tokens Open WebUI accepts; generate a new one with `openssl rand -hex 32`",
            setting.location, setting=setting, deployment=deployment)
        return
    length = len(value.encode("utf-8", "surrogatepass"))
    if length < policy.min_secret_key_length:
        yield ShortKey.finding(
            f"{name} is {length} bytes (sha256 {secrets.fingerprint(value)}), shorter than "
            f"{policy.min_secret_key_length}; generate one with `openssl rand -hex 32`",
            setting.location, explanation="HS256 needs a key of at least 32 bytes (RFC 7518 section 3.2).", setting=setting, deployment=deployment)
    strength = estimate(value)
    if strength.weakness is not None:
        yield WeakKey.finding(
            f"{name} has low entropy, about {strength.bits:.0f} bits (sha256 {secrets.fingerprint(value)}); "
            "generate one with `openssl rand -hex 32`",
            setting.location, explanation=f"It has {strength.weakness} ({secrets.describe(value)}).", setting=setting, deployment=deployment)


def _literal(subject: Subject, setting: Setting) -> Iterator[Finding]:
    deployment = subject.deployment
    if not (setting.literal and setting.value):
        return
    if deployment.kind == "compose-service" and setting.location.path == deployment.location.path:
        yield LiteralKey.finding(
            f"{setting.name} is written literally in a committed file: write `{setting.name}: ${{{setting.name}}}`",
            setting.location, explanation=f"{setting.location.path} is committed: interpolate the key and keep its "
            "value in an uncommitted .env or a secret store.", setting=setting, deployment=deployment)
    elif deployment.kind in ("k8s-workload", "k8s-patch", "helm-release"):
        helm = deployment.kind == "helm-release"
        exposed = "the chart copies it into the pod spec, which is" if helm else "pod specs and ConfigMaps are"
        yield LiteralKey.finding(
            f"{setting.name} is written literally in a committed file: put it in a Secret and use "
            f"`valueFrom.secretKeyRef`{' in extraEnvVars' if helm else ''}",
            setting.location, explanation=f"{setting.location.path} is committed, and {exposed} readable by anyone "
            "who may read the namespace.", setting=setting, deployment=deployment)


def _missing(subject: Subject, empty: Setting | None) -> Iterator[Finding]:
    deployment, env = subject.deployment, subject.env
    if deployment.kind not in ("compose-service", "k8s-workload", "helm-release"):
        return
    version = env.target_version
    if not env.official_image and versions.falls_back_to_public_key(version) and empty is None:
        yield PublicKey.finding(
            f"{deployment.name} sets no WEBUI_SECRET_KEY: unless its start script generates one, Open WebUI "
            f"{versions.format_version(version)} signs tokens with the public fallback 't0p-s3cr3t'",
            subject.at(empty), deployment=deployment)
        return
    replicas = deployment.replicas or 1
    key_file = env.key.key_file
    if key_file is not None:
        message = (f"{deployment.name} has no WEBUI_SECRET_KEY" + (" (it is empty)" if empty else "") +
                   f": the official image's start.sh generates one into WEBUI_SECRET_KEY_FILE {key_file.value}, "
                   "which survives recreates when it is on a persistent data volume")
        many = replicas > 1 or deployment.per_node
        if many:
            count = f"{replicas} replicas" if replicas > 1 else "deploy.mode: global"
            message += (f"; with {count} each generates its own unless they share that volume, so users "
                        "are signed out at random")
        yield NoKey.finding(message + "; set WEBUI_SECRET_KEY from a secret to be sure", key_file.location,
                            severity=Severity.ERROR if many else Severity.INFO, setting=empty,
                            deployment=deployment)
        return
    if env.official_image:
        # An empty value is one finding at that value, naming every service that shares it.
        message = ("WEBUI_SECRET_KEY is empty" if empty else "no WEBUI_SECRET_KEY") + ": a recreate signs everyone out"
        explanation = ("" if empty else f"{deployment.name}: ") + ("the official image's start.sh generates a new key "
                       "in each container, so every recreate signs everyone out and loses OAuth sessions and MFA "
                       "secrets.")
    else:
        message = "no WEBUI_SECRET_KEY: each new container gets a new key, or Open WebUI 0.9.6+ refuses to start"
        explanation = (f"{deployment.name}: Open WebUI 0.9.6+ refuses to start unless its start script generates "
                       "a key, and a generated key changes with every new container.")
    if replicas > 1:
        message += f" ({replicas} replicas, {replicas} keys)"
        explanation += f" With {replicas} replicas each has its own key, so users are signed out at random."
    elif deployment.per_node:
        message += " (deploy.mode: global, a key per node)"
        explanation += (" With deploy.mode: global each node runs a container with its own key, so users are "
                        "signed out at random.")
    many = replicas > 1 or deployment.per_node
    yield NoKey.finding(message + "; set it from a secret", subject.at(empty),
                        severity=Severity.ERROR if many else Severity.WARNING,
                        setting=empty, deployment=deployment, explanation=explanation)
