"""After the rules: keep what the configuration selects, honour suppression comments and report
the unused ones (OW900), which the configuration may select too."""

from __future__ import annotations

from validator.verdict import suppressions
from validator.engine import Result
from validator.findings import Finding
from validator.verdict.selection import Selection


def findings(result: Result, selection: Selection) -> list[Finding]:
    from validator.rules import catalog

    selected = selection.apply(result.findings)
    workspace = result.workspace
    if workspace is None:
        return selected
    files = [*result.files, *(finding.location.path for finding in selected)]
    kept, unused = suppressions.apply(selected, files, workspace.cached_text, catalog())
    return sorted(kept + selection.apply(unused), key=lambda finding: finding.sort_key)
