"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (upload with codeql-action/upload-sarif).

Rules carry their documentation; results carry repo-relative locations and partialFingerprints
that follow the finding, not its line, so alerts survive unrelated edits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from validator import __version__
from validator.findings import Finding
from validator.report.common import HOMEPAGE, SARIF_LEVEL, TOOL, Run, doc_sections

if TYPE_CHECKING:
    from validator.rules.base import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "owuiValidateFinding/v1"
ROOT_ID = "SRCROOT"


def _rule(rule: type[Rule], run: Run) -> dict[str, Any]:
    doc = rule.doc()
    sections = doc_sections(doc)
    full = " ".join(" ".join(sections.get(heading, "").split()) for heading in ("What it does", "Why is this bad?"))
    described: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": full.strip() or rule.summary()},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": SARIF_LEVEL[run.rule_severity.get(rule.code, rule.severity)]},
    }
    if rule.security_severity is not None:
        described["properties"] = {"tags": ["security"], "security-severity": f"{rule.security_severity:.1f}"}
    return described


def _location(run: Run, finding: Finding) -> dict[str, Any]:
    where = finding.location
    path = run.path(where.path)
    if Path(path).is_absolute():
        artifact: dict[str, Any] = {"uri": Path(path).as_uri()}
    else:
        artifact = {"uri": quote(path), "uriBaseId": ROOT_ID}
    region = {"startLine": where.line, "startColumn": where.column, "endLine": where.end_line,
              "endColumn": where.end_column}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(run: Run, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    result.update({
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(run, finding)],
        "partialFingerprints": {FINGERPRINT: run.fingerprint(finding)},
    })
    return result


def document(run: Run) -> dict[str, Any]:
    from validator.rules import catalog

    rules = list(catalog().values())
    index = {rule.code: position for position, rule in enumerate(rules)}
    driver = {"name": TOOL, "version": __version__, "semanticVersion": __version__, "informationUri": HOMEPAGE,
              "rules": [_rule(rule, run) for rule in rules]}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {ROOT_ID: {"uri": Path(run.root).resolve().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(run, finding, index) for finding in run.findings],
            # Which release each deployment was checked against (a property bag, free-form in SARIF).
            "properties": {"deployments": [{"name": d.name, "release": d.release, "releaseSource": d.release_source,
                                            "openwebuiBecause": d.because} for d in run.deployments]},
        }],
    }


def render(run: Run, stream: TextIO) -> None:
    stream.write(json.dumps(document(run), indent=2, ensure_ascii=False) + "\n")
