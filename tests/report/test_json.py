"""`--format json`: the documented shape, checked against schemas/report.schema.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parents[2]


def test_report_matches_its_published_schema_and_the_findings(owui, project) -> None:
    ran = owui("check", "--format", "json")
    assert ran.status == 1
    report = json.loads(ran.out)
    schema = json.loads((REPO / "schemas/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["version"] == 1 and report["tool"]["name"] == "owui-validate"
    assert report["files"] == ["clean.env", "compose.yaml", "prod.env"]
    assert report["summary"] == {"files": 3, "findings": 6, "errors": 2, "warnings": 2, "info": 2}
    rejected = report["findings"][2]
    fingerprint = rejected.pop("fingerprint")
    assert len(fingerprint) == 32 and int(fingerprint, 16) >= 0
    assert rejected == {
        "code": "OW101", "name": "jwt-expiry-rejected", "severity": "error",
        "message": rejected["message"], "path": "compose.yaml", "line": 6, "column": 24, "end_line": 6,
        "end_column": 28, "variable": "JWT_EXPIRES_IN", "value_fingerprint": hashlib.sha256(b"3600").hexdigest()[:8],
        "deployments": ["service 'open-webui' in compose.yaml"],
        "explanation": "Open WebUI rejects it: it has no number followed by a unit: ms, s, m, h, d or w.",
        "help_uri": "https://github.com/owui-config-validator/owui-config-validator/blob/main/docs/rules/OW101.md",
    }
    assert rejected["message"].startswith("JWT_EXPIRES_IN='3600' is rejected")


def test_no_findings_is_an_empty_list(owui, project) -> None:
    ran = owui("check", "clean.env", "--format", "json")
    assert ran.status == 0
    report = json.loads(ran.out)
    assert report["findings"] == [] and report["summary"]["findings"] == 0 and report["files"] == ["clean.env"]
