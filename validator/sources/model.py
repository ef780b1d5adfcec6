"""What every source produces: located settings grouped into deployments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from validator.findings import Finding
from validator.location import Location

# "k8s-patch": a workload without an image, i.e. a kustomize patch merged onto a base elsewhere.
DeploymentKind = Literal["compose-service", "env-file", "k8s-workload", "k8s-patch", "helm-release", "stored-config"]


@dataclass(frozen=True, slots=True)
class Setting:
    """One variable's value as a deployment receives it, with the place it is written.

    `value` is None when it cannot be known statically (`unresolved` says why). The repr hides
    the value: settings end up in tracebacks and logs, and some of them are secret keys.
    """

    name: str
    value: str | None
    location: Location
    # False when the value arrives through interpolation or a reference rather than being
    # written right here (OW207 cares: a literal key in a compose file is committed).
    literal: bool = True
    unresolved: str = ""
    # The file that defines this setting for the deployment (`env_file`, compose `environment`),
    # which may differ from `location.path` when the value is interpolated from `.env`.
    via: str = ""
    # Where the variable is assigned, when its value is written elsewhere (`KEY: ${KEY}` in a
    # compose file, value in `.env`): findings about the name (OW206) point here.
    assigned: Location | None = None

    def __repr__(self) -> str:
        shown = "unresolved" if self.value is None else f"<{len(self.value)} chars>"
        return f"Setting({self.name}={shown} at {self.location})"

    def __reduce__(self) -> tuple[type[Setting], tuple[object, ...]]:
        # Pickled by the thousand in a parallel run (validator.parallel): a tuple pickles in C.
        return Setting, (self.name, self.value, self.location, self.literal, self.unresolved, self.via, self.assigned)


@dataclass(slots=True)
class Deployment:
    """Something that runs Open WebUI (or might): a compose service, a workload, a bare env file."""

    name: str
    kind: DeploymentKind
    location: Location
    settings: dict[str, Setting] = field(default_factory=dict)
    image: str | None = None
    replicas: int | None = None
    # One container per node (compose `deploy.mode: global`): as many as there are nodes.
    per_node: bool = False
    # True for the official image, whose start.sh generates a key and sets WEBUI_SECRET_KEY="".
    official_image: bool = False
    # True when the image or the settings show this is Open WebUI (see validator.openwebui.detect).
    openwebui: bool = False
    # Why it was taken for Open WebUI (`image ...`, the variables only Open WebUI reads, the chart).
    because: str = ""
    # The Open WebUI release it runs when something pins it (image tag, chart appVersion), and where
    # that came from, or why it is unknown (validator.openwebui.release); None: --target-version.
    release: tuple[int, int, int] | None = None
    release_source: str = ""
    # `.env.example` and friends: templates to copy, not running deployments.
    template: bool = False
    # Files this deployment takes settings from; an env file used by a deployment is not one itself.
    uses: tuple[str, ...] = ()
    # The "stored-config" deployments (database, export) of the same Open WebUI, databases first:
    # with persistent config on, their stored settings win over this environment. Set by
    # validator.precedence.attach; see precedence.effective_expiry.
    stored: list[Deployment] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFile:
    """The result of reading one file: its deployments, and findings about the file itself."""

    path: str
    kind: str
    deployments: list[Deployment] = field(default_factory=list)
    # OW001/OW002/OW209 found while reading; emitted only if the file belongs to Open WebUI.
    findings: list[Finding] = field(default_factory=list)
    # Files read on this file's behalf (env_file, the .env beside a compose file).
    uses: tuple[str, ...] = ()
    # Set when the file itself says it is Open WebUI's (it sets an Open WebUI-specific variable).
    openwebui: bool = False
    # Kubernetes Secrets, ConfigMaps and autoscalers defined here (validator.sources.kubernetes.objects),
    # which workloads in other files may use. Typed loosely: this module sits below every source.
    resources: list[Any] = field(default_factory=list)
    # Workloads, kustomizations and Helm releases that become deployments once every file is read
    # (validator.sources.kubernetes.pairing.link).
    pending: list[Any] = field(default_factory=list)
    # Files to read too although not asked about, because this file's verdict depends on them.
    context: tuple[str, ...] = ()
    # A templating tool's input (ytt `#@`, Jinja `.j2`, envsubst/gomplate `.tpl`): its deployments
    # are templates, checked where values are literal, never running services of their own.
    template: bool = False
