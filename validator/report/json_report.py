"""`--format json`: a documented, stable shape (schemas/report.schema.json), and the rule documentation.

Add fields freely; renaming or removing one is a breaking change and bumps `version`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field

from validator import __version__
from validator.findings import Finding, Severity
from validator.report.common import TOOL, Run, counts

if TYPE_CHECKING:
    from validator.rules.base import Rule

SeverityName = Literal["error", "warning", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Tool(_Model):
    name: str = TOOL
    version: str = __version__


class JsonFinding(_Model):
    code: str = Field(description="Rule code, e.g. OW101; `owui-validate rule CODE` explains it.")
    name: str = Field(description="Rule name, e.g. jwt-expiry-rejected.")
    severity: SeverityName
    message: str = Field(description="What Open WebUI will do and how to fix it; never holds a secret value.")
    path: str = Field(description="Relative to the project root, with `/`.")
    line: int = Field(ge=1)
    column: int = Field(ge=1, description="1-based, in characters.")
    end_line: int = Field(ge=1)
    end_column: int = Field(ge=1, description="Exclusive.")
    variable: str = Field("", description="The variable the finding is about, if any.")
    value_fingerprint: str = Field("", description="First 8 hex digits of the value's SHA-256, if any.")
    deployments: list[str] = Field([], description="The deployments that use the value.")
    fingerprint: str = Field(description="Stable across runs and line moves: path, code, variable and value "
                             "fingerprint (as in SARIF partialFingerprints and baselines).")


class Summary(_Model):
    files: int = Field(description="Files checked.")
    findings: int
    errors: int
    warnings: int
    info: int


class JsonDeployment(_Model):
    name: str
    release: str = Field(description="The Open WebUI release the rules assumed, e.g. 0.6.18.")
    release_source: str = Field(description="Where it came from (`image tag ...`), or `--target-version; ...` "
                                "with why nothing in the files pins it.")
    openwebui_because: str = Field(description="Why this is taken for Open WebUI: its image, or the variables "
                                   "only Open WebUI reads.")


class Report(_Model):
    """The result of `owui-validate check --format json`."""

    model_config = ConfigDict(title="owui-validate report")

    version: Literal[1] = 1
    tool: Tool = Tool()
    files: list[str] = Field(description="The files checked, relative to the project root.")
    summary: Summary
    findings: list[JsonFinding]
    deployments: list[JsonDeployment] = Field([], description="The Open WebUI deployments checked.")


class RuleDoc(_Model):
    """One rule, as `owui-validate rule CODE --format json` prints it."""

    model_config = ConfigDict(title="owui-validate rule")

    code: str
    name: str
    severity: SeverityName = Field(description="The default severity.")
    security_severity: float | None = Field(None, description="SARIF security-severity (0-10), for security rules.")
    summary: str
    documentation: str = Field(description="Markdown: What it does / Why is this bad? / Example / Use instead.")


def _finding(run: Run, finding: Finding, names: dict[str, str]) -> JsonFinding:
    where = finding.location
    return JsonFinding(
        code=finding.code, name=names.get(finding.code, ""), severity=str(finding.severity),  # type: ignore[arg-type]
        message=finding.message, path=run.path(where.path), line=where.line, column=where.column,
        end_line=where.end_line, end_column=where.end_column, variable=finding.variable,
        value_fingerprint=finding.value_fingerprint, deployments=list(finding.deployments),
        fingerprint=run.fingerprint(finding),
    )


def report(run: Run) -> Report:
    from validator.rules import catalog

    names = {code: rule.name for code, rule in catalog().items()}
    tally = counts(run.findings)
    return Report(
        files=[run.path(path) for path in run.files],
        summary=Summary(files=len(run.files), findings=len(run.findings), errors=tally[Severity.ERROR],
                        warnings=tally[Severity.WARNING], info=tally[Severity.INFO]),
        findings=[_finding(run, finding, names) for finding in run.findings],
        deployments=[JsonDeployment(name=d.name, release=d.release, release_source=d.release_source,
                                    openwebui_because=d.because) for d in run.deployments],
    )


def render(run: Run, stream: TextIO) -> None:
    stream.write(report(run).model_dump_json(indent=2) + "\n")


def rule_doc(rule: type[Rule]) -> RuleDoc:
    return RuleDoc(code=rule.code, name=rule.name, severity=str(rule.severity),  # type: ignore[arg-type]
                   security_severity=rule.security_severity, summary=rule.summary(), documentation=rule.doc())
