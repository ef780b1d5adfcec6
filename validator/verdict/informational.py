"""Informational findings stay quiet: OW108 once per run, naming the deployments, unless asked for per value.

OW108 is true of nearly every JWT_EXPIRES_IN (persistent config is on by default), so one note per
value buried the findings that need action. `--select OW108`, or OW108 named in the configuration's
`select` or `severity`, reports it at each value again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from validator.findings import Finding
from validator.verdict.selection import Selection

ONCE = "OW108"
NAMED = 3


def quiet(findings: Sequence[Finding], selection: Selection, outside: Sequence[Finding] = ()) -> list[Finding]:
    """`findings` with every OW108 folded into the first one, unless the selection names OW108.
    `outside` are findings in files read only as context: the note counts theirs too, and is left
    to the run that reports the first of them, so a split run gives what one whole run gives."""
    if ONCE in selection.select or ONCE in (selection.severity or {}):
        return list(findings)
    ours = [finding for finding in findings if finding.code == ONCE]
    theirs = [finding for finding in selection.apply(outside) if finding.code == ONCE]
    notes = sorted([*ours, *theirs], key=lambda finding: finding.sort_key)
    if not ours or len(notes) < 2:
        return list(findings)
    first = notes[0]
    if not any(note is first for note in ours):
        return [finding for finding in findings if finding.code != ONCE]
    names = tuple(dict.fromkeys(name for note in notes for name in note.deployments))
    shown = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
    folded = replace(
        first, deployments=names,
        message=f"JWT_EXPIRES_IN only seeds the stored setting on first start (here and {len(notes) - 1} more; "
        f"see `owui-validate rule {ONCE}`)",
        explanation=f"Deployments concerned: {shown}; --select {ONCE} reports each value. {first.explanation}".strip())
    return [folded if finding is first else finding for finding in findings if finding.code != ONCE or finding is first]
