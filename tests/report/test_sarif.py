"""SARIF 2.1.0 for GitHub code scanning: valid against the official schema, rules from the docs,
exact regions, and fingerprints that survive unrelated edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.rules import catalog

REPO = Path(__file__).resolve().parents[2]
OFFICIAL_SCHEMA = REPO.parent / "shared/data/sarif-schema-2.1.0.json"


def sarif(owui, *args: str, cwd: Path | None = None) -> dict:
    ran = owui("check", "--format", "sarif", *args, cwd=cwd)
    assert ran.status in (0, 1), ran.err
    return json.loads(ran.out)


def results(document: dict) -> list[dict]:
    return document["runs"][0]["results"]


def test_valid_against_the_official_schema(owui, project) -> None:
    if not OFFICIAL_SCHEMA.is_file():
        pytest.skip(f"official SARIF schema not found at {OFFICIAL_SCHEMA} (CI provides ../shared/data)")
    import jsonschema

    schema = json.loads(OFFICIAL_SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    document = sarif(owui)
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(document)]
    assert errors == []
    assert len(results(document)) == 6
    clean = sarif(owui, "clean.env")
    assert results(clean) == [] and list(validator.iter_errors(clean)) == []
    bad = sarif(owui, "examples/bad", cwd=REPO)  # every kind of finding the examples have
    text_lines = owui("check", "--quiet", "examples/bad", cwd=REPO).out.splitlines()
    assert list(validator.iter_errors(bad)) == [] and len(results(bad)) == len(text_lines) > 20


def test_driver_and_rules_come_from_the_rule_docs(owui, project) -> None:
    document = sarif(owui)
    assert document["version"] == "2.1.0" and document["$schema"].endswith("sarif-schema-2.1.0.json")
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "owui-validate"
    assert driver["informationUri"] == "https://github.com/owui-config-validator/owui-config-validator"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert list(rules) == list(catalog())
    public = rules["OW201"]
    assert public["shortDescription"]["text"] == "WEBUI_SECRET_KEY is a publicly known default or placeholder."
    assert public["fullDescription"]["text"].startswith("Compares the key with Open WebUI's old fallback `t0p-s3cr3t`")
    assert "Anyone who knows it can mint tokens" in public["fullDescription"]["text"]
    assert public["help"]["markdown"] == catalog()["OW201"].doc()
    assert public["defaultConfiguration"] == {"level": "error"}
    assert public["properties"] == {"tags": ["security"], "security-severity": "9.8"}
    assert rules["OW103"]["properties"]["security-severity"] == "5.5"
    # Every rule about the key or the lifetime carries one, so code scanning ranks them.
    security = {code for code, rule in rules.items() if "security-severity" in rule.get("properties", {})}
    assert {f"OW10{n}" for n in range(1, 10)} - {"OW107", "OW108"} <= security
    assert {f"OW20{n}" for n in range(1, 9)} <= security
    assert rules["OW108"]["defaultConfiguration"] == {"level": "note"}
    assert "properties" not in rules["OW108"]


def test_results_have_level_message_region_and_relative_uri(owui, project) -> None:
    document = sarif(owui)
    rejected = next(result for result in results(document) if result["ruleId"] == "OW101")
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["rules"][rejected["ruleIndex"]]["id"] == "OW101"
    assert rejected["level"] == "error"
    assert rejected["message"]["text"].startswith("JWT_EXPIRES_IN='3600' is rejected by Open WebUI")
    assert rejected["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "compose.yaml", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 6, "startColumn": 24, "endLine": 6, "endColumn": 28},
    }}]
    assert document["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == project.resolve().as_uri() + "/"
    assert [result["level"] for result in results(document)] == ["error", "warning", "error", "note", "warning", "note"]


def fingerprints(document: dict) -> dict[tuple[str, str], str]:
    out = {}
    for result in results(document):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        out[(uri, result["ruleId"])] = result["partialFingerprints"]["owuiValidateFinding/v1"]
    return out


def test_fingerprints_survive_moved_lines_and_follow_the_value(owui, project) -> None:
    before = sarif(owui)
    compose = project / "compose.yaml"
    compose.write_text("# a comment\n\n" + compose.read_text().replace(
        "    environment:\n", "    ports:\n      - \"3000:8080\"\n    environment:\n"))
    prod = project / "prod.env"
    prod.write_text("# moved down\nOLLAMA_BASE_URL=http://ollama:11434\n" + prod.read_text())
    after = sarif(owui)
    lines = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results(after)}
    assert ("OW101", 10) in lines and ("OW105", 5) in lines  # the findings did move
    assert fingerprints(after) == fingerprints(before)
    assert len(set(fingerprints(after).values())) == 6

    prod.write_text(prod.read_text().replace("JWT_EXPIRES_IN=52w", "JWT_EXPIRES_IN=26w"))
    changed = fingerprints(sarif(owui))
    assert changed[("prod.env", "OW105")] != fingerprints(before)[("prod.env", "OW105")]
    assert changed[("compose.yaml", "OW101")] == fingerprints(before)[("compose.yaml", "OW101")]


def test_configured_severity_is_the_rules_default_level(owui, project) -> None:
    (project / ".owui-validate.toml").write_text('[severity]\nOW108 = "warning"\n')
    document = sarif(owui)
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["OW108"]["defaultConfiguration"] == {"level": "warning"}
    assert {r["level"] for r in results(document) if r["ruleId"] == "OW108"} == {"warning"}
