"""Which findings the configuration keeps, and at which severity (select, ignore, per-file-ignores, severity)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from validator.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Selection:
    select: tuple[str, ...] = ("OW",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] | None = None
    # (does this path match, codes or prefixes not reported there)
    per_file: tuple[tuple[Callable[[str], bool], tuple[str, ...]], ...] = ()

    def enabled(self, code: str) -> bool:
        """The longest matching prefix decides, as in ruff; on a tie, ignore wins."""
        selected = max((len(prefix) for prefix in self.select if code.startswith(prefix)), default=-1)
        ignored = max((len(prefix) for prefix in self.ignore if code.startswith(prefix)), default=-1)
        return selected > ignored

    def keeps(self, finding: Finding) -> bool:
        if not self.enabled(finding.code):
            return False
        path = finding.location.path
        return not any(matches(path) and any(finding.code.startswith(prefix) for prefix in codes)
                       for matches, codes in self.per_file)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        severity = self.severity or {}
        return [replace(finding, severity=severity[finding.code]) if finding.code in severity else finding
                for finding in findings if self.keeps(finding)]
