"""Which finding is "the same" from one run to the next: for baselines and SARIF fingerprints.

A finding is identified by its file, code, variable and the fingerprint of the value it is about;
a finding about no variable (a service without a key) by the deployments it names. Line numbers
are never part of it, so editing elsewhere in a file changes nothing, and a value is never part
of it, only `secrets.fingerprint` of it. Findings with equal keys are told apart by their order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from validator.findings import Finding

Key = tuple[str, str, str, str, str]


def key(finding: Finding, path: str) -> Key:
    """(path, code, variable, value fingerprint, deployments); `path` as the project names it."""
    context = "" if finding.variable else ", ".join(sorted(finding.deployments))
    return (path, finding.code, finding.variable, finding.value_fingerprint, context)


def keyed(findings: Iterable[Finding], path_of: Callable[[Finding], str]) -> Iterator[tuple[Finding, Key, int]]:
    """Each finding with its key and its ordinal among findings with that key (0 for the first)."""
    seen: dict[Key, int] = {}
    for finding in findings:
        found = key(finding, path_of(finding))
        ordinal = seen.get(found, 0)
        seen[found] = ordinal + 1
        yield finding, found, ordinal


def fingerprint(found: Key, ordinal: int) -> str:
    """A stable hex digest of a key: what SARIF's partialFingerprints and the JSON report carry."""
    import hashlib  # only the formats that carry fingerprints need it

    text = "\0".join(found) + (f"\0{ordinal}" if ordinal else "")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
