"""Baselines: record today's findings once, then report only new ones (`--write-baseline`, `--baseline`).

Entries use validator.verdict.identity's key (path, code, variable, value fingerprint; deployments for
findings about no variable) with a count, never a line number, so moving lines or editing
elsewhere in a file does not churn them. The file holds fingerprints, never values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from validator.verdict import identity
from validator.errors import UsageError
from validator.findings import Finding


# A baseline entry takes about 150 bytes: a million findings fit.
MAX_BYTES = 256 * 1024 * 1024


class BaselineError(UsageError):
    """The baseline file cannot be read, written or understood."""


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="Relative to the project root, with `/`.")
    code: str
    variable: str = ""
    value_fingerprint: str = Field("", description="First 8 hex digits of the value's SHA-256.")
    deployments: str = Field("", description="For findings about no variable: the deployments they name.")
    count: int = Field(1, ge=1, description="How many findings have this key.")

    @property
    def key(self) -> identity.Key:
        return (self.path, self.code, self.variable, self.value_fingerprint, self.deployments)


class Baseline(BaseModel):
    """Findings accepted when the baseline was written; `--baseline` reports only others."""

    model_config = ConfigDict(extra="forbid", title="owui-validate baseline")

    version: Literal[1]
    findings: list[Entry] = []


def build(findings: Iterable[Finding], path_of: Callable[[Finding], str]) -> Baseline:
    counts = Counter(identity.key(finding, path_of(finding)) for finding in findings)
    entries = [Entry(path=k[0], code=k[1], variable=k[2], value_fingerprint=k[3], deployments=k[4], count=n)
               for k, n in sorted(counts.items())]
    return Baseline(version=1, findings=entries)


def write(baseline: Baseline, path: Path) -> None:
    try:
        from validator.redaction import redact

        path.write_text(redact(baseline.model_dump_json(indent=2, exclude_defaults=True)) + "\n", "utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror}") from None


def load(path: Path) -> Counter[identity.Key]:
    from validator import fileio

    try:
        text = fileio.read_text(str(path), MAX_BYTES)
    except fileio.Unreadable as exc:
        reason = ("baseline file not found (create it with --write-baseline)" if exc.missing
                  else str(exc) if exc.refused else f"cannot read the baseline: {exc}")
        raise BaselineError(f"{path}: {reason}") from None
    try:
        baseline = Baseline.model_validate_json(text)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "file"
        raise BaselineError(f"{path}: not an owui-validate baseline: {where}: {error['msg']}") from None
    counts: Counter[identity.Key] = Counter()
    for entry in baseline.findings:
        counts[entry.key] += entry.count
    return counts


def new_findings(findings: Iterable[Finding], accepted: Counter[identity.Key],
                 path_of: Callable[[Finding], str]) -> list[Finding]:
    """The findings beyond what the baseline accepted, key by key."""
    remaining = accepted.copy()
    new = []
    for finding in findings:
        found = identity.key(finding, path_of(finding))
        if remaining[found] > 0:
            remaining[found] -= 1
        else:
            new.append(finding)
    return new
