"""`--verbose`: what each deployment makes Open WebUI do, for people reviewing a deployment."""

from __future__ import annotations

from typing import TextIO

from validator import secrets
from validator.engine import Result
from validator.openwebui import release
from validator.report.common import printable
from validator.settings.policy import Policy


def write(result: Result, policy: Policy, stream: TextIO) -> None:
    from validator.precedence import environment
    from validator.rules.expiry import meaning

    stream.write(f"checked {len(result.files)} file(s); Open WebUI deployments: {len(result.deployments)}\n")
    for deployment in result.deployments:
        env = environment(deployment, policy.version)
        key = env.key
        if key.state == "set" and key.setting is not None and key.setting.value is not None:
            key_text = f"{key.setting.name} ({secrets.describe(key.setting.value)}) at {key.setting.location}"
        else:
            key_text = {"unresolved": "not resolvable here", "empty": "empty", "generated": "generated per container",
                        "missing": "none"}.get(key.state, key.state)
        lifetime = env.lifetime
        lifetime_text = ("not resolvable here" if lifetime is None else
                         "rejected (sign-in fails)" if lifetime.outcome == "rejected" else meaning(lifetime))
        line = f"  {deployment.name}: key {key_text}; token lifetime {lifetime_text}"
        stream.write(printable(line + (f"; {deployment.replicas} replicas" if deployment.replicas else "")) + "\n")
        if deployment.kind != "stored-config":
            checked = release.describe(deployment.release, deployment.release_source, policy.version)
            stream.write(printable(f"    release {checked}; Open WebUI because: {deployment.because or 'unknown'}") + "\n")
