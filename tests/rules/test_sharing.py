from __future__ import annotations

import secrets as random

from validator.rules import sharing


def test_same_key_in_two_files_is_reported_at_both(subject) -> None:
    key = random.token_hex(32)
    staging = subject({"WEBUI_SECRET_KEY": key}, path="staging.env")
    prod = subject({"WEBUI_SECRET_KEY": key}, path="prod.env")
    found = sorted(sharing.check([staging, prod]), key=lambda f: f.location.path)
    assert [(f.code, f.location.path) for f in found] == [("OW208", "prod.env"), ("OW208", "staging.env")]
    assert "env file staging.env" in found[0].message and "env file prod.env" in found[1].message
    assert key not in found[0].message and key[:8] not in found[0].message.split("sha256 ")[0]


def test_one_definition_shared_by_two_services_is_not_reported(subject) -> None:
    key = random.token_hex(32)
    first = subject({"WEBUI_SECRET_KEY": key}, path="compose.yaml", kind="compose-service")
    second = subject({"WEBUI_SECRET_KEY": key}, path="compose.yaml", kind="compose-service")
    assert list(sharing.check([first, second])) == []


def test_different_keys_and_templates_are_not_reported(subject) -> None:
    key = random.token_hex(32)
    assert list(sharing.check([subject({"WEBUI_SECRET_KEY": key}, path="a.env"),
                               subject({"WEBUI_SECRET_KEY": random.token_hex(32)}, path="b.env")])) == []
    assert list(sharing.check([subject({"WEBUI_SECRET_KEY": key}, path="a.env"),
                               subject({"WEBUI_SECRET_KEY": key}, path=".env.example", template=True)])) == []
