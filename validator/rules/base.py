"""What a rule is: a code, a default severity, and its docstring as its documentation."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import ClassVar

from validator import secrets
from validator.findings import Finding, Severity
from validator.location import Location
from validator.settings.policy import Policy
from validator.schema import AuthEnvironment
from validator.sources.model import Deployment, Setting


class Rule:
    """Subclasses carry the documentation (What it does / Why is this bad? / Example / Use instead)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    # Rules about secrets and lifetimes get a SARIF security-severity (0.0-10.0).
    security_severity: ClassVar[float | None] = None

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0] if cls.__doc__ else cls.name

    @classmethod
    def finding(cls, message: str, location: Location, *, severity: Severity | None = None,
                setting: Setting | None = None, deployment: Deployment | None = None) -> Finding:
        value = setting.value if setting is not None else None
        return Finding(
            code=cls.code,
            severity=severity or cls.severity,
            message=message,
            location=location,
            variable=setting.name if setting is not None else "",
            value_fingerprint=secrets.fingerprint(value) if value else "",
            deployments=(deployment.name,) if deployment is not None else (),
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """One Open WebUI deployment under check, with the model of what Open WebUI will do."""

    deployment: Deployment
    env: AuthEnvironment
    policy: Policy

    def at(self, setting: Setting | None) -> Location:
        """Where to report: the value if there is one, else where the deployment is declared."""
        return setting.location if setting is not None else self.deployment.location
