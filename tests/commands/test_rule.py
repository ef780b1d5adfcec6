"""`owui-validate rule CODE [--format json]`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from validator.rules import catalog

REPO = Path(__file__).resolve().parents[2]


def test_one_rule_as_json_matches_its_schema(owui) -> None:
    ran = owui("rule", "ow201", "--format", "json")
    assert ran.status == 0
    doc = json.loads(ran.out)
    schema = json.loads((REPO / "schemas/rule.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc == {
        "code": "OW201", "name": "secret-key-public", "severity": "error", "security_severity": 9.8,
        "summary": "WEBUI_SECRET_KEY is a publicly known default or placeholder.",
        "documentation": catalog()["OW201"].doc(),
    }
    assert "## Why is this bad?" in doc["documentation"]


def test_all_rules_as_json(owui) -> None:
    docs = json.loads(owui("rule", "--all", "--format", "json").out)
    assert [doc["code"] for doc in docs] == list(catalog())
    assert docs[-1]["code"] == "OW900" and docs[-1]["severity"] == "info"


def test_text_stays_the_default(owui) -> None:
    ran = owui("rule", "OW900")
    assert ran.out.startswith("# OW900 suppression-unused (info)\n\nA suppression comment suppresses nothing")


def test_unknown_rule_exits_2(owui) -> None:
    ran = owui("rule", "OW999", "--format", "json")
    assert (ran.status, ran.out) == (2, "")
    assert ran.err == "owui-validate: error: unknown rule 'OW999' (see `owui-validate rule --all`)\n"


def test_ow210_documents_the_release_boundaries(owui_process) -> None:
    ran = owui_process("rule", "OW210")
    assert ran.status == 0, ran.err
    assert ran.out.startswith("# OW210 secret-key-not-fernet (error)")
    for text in ("from 0.6.27, `OAUTH_SESSION_TOKEN_ENCRYPTION_KEY`", "from 0.6.31, `OAUTH_CLIENT_INFO_ENCRYPTION_KEY`",
                 "from 0.10, valve encryption", "Up to 0.6.26", "openssl rand -base64 32"):
        assert text in ran.out
