"""The stored setting against JWT_EXPIRES_IN: which deployments it belongs to, OW110, and the
effective lifetime the token harness uses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import fill, run_cli
from validator import engine
from validator.precedence import effective_expiry
from validator.sources.model import Deployment

KEY = "WEBUI_SECRET_KEY=241fd9abfb44950ce3d8f1679ed64f3cce3be447e148f015fc70444178d4dc36\n"
OW110 = ("OW110 warning stored setting config[auth.jwt_expiry]='1mo' in {db} overrides JWT_EXPIRES_IN='4w': Open "
         "WebUI uses 1 minute, not 4 weeks")


def database(path: Path, value: str = "1mo") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    fill(connection, "sqlite", "per-key", [json.dumps(value)])
    connection.commit()
    connection.close()
    return path


def env(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(KEY + text)
    return path


def codes(result: engine.Result, name: str) -> list[str]:
    return [f.code for f in result.findings if Path(f.location.path).name == name]


def deployment(result: engine.Result, kind: str) -> Deployment:
    (found,) = [d for d in result.deployments if d.kind == kind]
    return found


def test_stored_setting_beside_the_env_file_overrides_it(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\n")
    database(tmp_path / "webui.db")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        ".env:2:16: " + OW110.format(db="webui.db"),
        "webui.db:1:1: OW102 error config[auth.jwt_expiry]='1mo' is read as 1 minute: Open WebUI ignores 'o'; use `4w`",
        "Found 2 problems (1 error, 1 warning) in 2 files.",
    ]
    assert result.returncode == 1


def test_ow110_replaces_ow108_and_is_gone_without_persistent_config(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\n")
    database(tmp_path / "webui.db")
    assert codes(engine.check([str(tmp_path)]), ".env") == ["OW110"]
    for flag in ("False", "false", "1"):
        env(tmp_path / ".env", f"JWT_EXPIRES_IN=4w\nENABLE_PERSISTENT_CONFIG={flag}\n")
        result = engine.check([str(tmp_path)])
        assert codes(result, ".env") == []
        assert effective_expiry(deployment(result, "env-file")).source == "environment"


def test_persistent_config_true_in_any_case_keeps_ow110(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\nENABLE_PERSISTENT_CONFIG=TRUE\n")
    database(tmp_path / "webui.db")
    assert codes(engine.check([str(tmp_path)]), ".env") == ["OW110"]


def test_unresolved_persistent_flag_is_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        "      JWT_EXPIRES_IN: 4w\n      ENABLE_PERSISTENT_CONFIG: ${PERSIST}\n      WEBUI_SECRET_KEY: ${KEY}\n")
    database(tmp_path / "data" / "webui.db")
    result = engine.check([str(tmp_path)])
    assert "OW110" not in [f.code for f in result.findings]
    assert effective_expiry(deployment(result, "compose-service")).source == "environment"


def test_same_lifetime_written_differently_is_no_override(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=28d\n")
    database(tmp_path / "webui.db", "4w")
    assert codes(engine.check([str(tmp_path)]), ".env") == ["OW108"]


def test_compose_service_and_its_data_directory(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    volumes: [./data:/app/backend/data]\n"
        "    environment:\n      JWT_EXPIRES_IN: 4w\n      WEBUI_SECRET_KEY: ${KEY}\n")
    database(tmp_path / "data" / "webui.db")
    result = engine.check([str(tmp_path)])
    (finding,) = [f for f in result.findings if f.code == "OW110"]
    assert (Path(finding.location.path).name, finding.location.line, finding.location.column) == ("compose.yaml", 6, 23)
    assert finding.message == OW110.format(db=str(tmp_path / "data" / "webui.db")).split(" ", 2)[2]
    effective = effective_expiry(deployment(result, "compose-service"))
    assert (effective.source, effective.text) == ("stored", "1mo")
    assert effective.overrides is not None and effective.overrides.value == "4w"
    assert effective.stored_in is deployment(result, "stored-config")


def test_sibling_directories_are_other_deployments_unless_given_together(tmp_path: Path) -> None:
    env(tmp_path / "staging" / "prod.env", "JWT_EXPIRES_IN=4w\n")
    database(tmp_path / "other" / "webui.db")
    assert codes(engine.check([str(tmp_path)]), "prod.env") == ["OW108"]
    together = engine.check([str(tmp_path / "staging" / "prod.env"), str(tmp_path / "other" / "webui.db")])
    assert codes(together, "prod.env") == ["OW110"]


def test_database_wins_over_an_export(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\n")
    (tmp_path / "config-1718000000000.json").write_text('{"auth.jwt_expiry":"2h"}')
    database(tmp_path / "data" / "webui.db")
    result = engine.check([str(tmp_path)])
    (finding,) = [f for f in result.findings if f.code == "OW110"]
    assert "config[auth.jwt_expiry]='1mo' in " in finding.full_message and "webui.db" in finding.full_message
    env_deployment = deployment(result, "env-file")
    assert [Path(d.location.path).name for d in env_deployment.stored] == ["webui.db", "config-1718000000000.json"]


def test_export_alone_overrides_too(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\n")
    (tmp_path / "config-1718000000000.json").write_text('{"auth.jwt_expiry":"0"}')
    (finding,) = [f for f in engine.check([str(tmp_path)]).findings if f.code == "OW110"]
    assert finding.full_message.startswith("stored setting auth.jwt_expiry='0' in ")
    assert "uses no expiry (tokens never expire), not 4 weeks" in finding.full_message


def test_stored_value_that_fails_is_named(tmp_path: Path) -> None:
    env(tmp_path / ".env", "JWT_EXPIRES_IN=4w\n")
    connection = sqlite3.connect(tmp_path / "webui.db")
    fill(connection, "sqlite", "per-key", ["3600"])
    connection.commit()
    connection.close()
    (finding,) = [f for f in engine.check([str(tmp_path)]).findings if f.code == "OW110"]
    assert finding.full_message.startswith("stored setting config[auth.jwt_expiry] (stored as JSON number 3600, not a string)")
    assert "uses none (rejected: every sign-in fails with HTTP 500), not 4 weeks" in finding.full_message


def test_templates_and_unset_variables_get_no_ow110(tmp_path: Path) -> None:
    env(tmp_path / ".env.example", "JWT_EXPIRES_IN=4w\n")
    env(tmp_path / ".env", "WEBUI_NAME=x\n")
    database(tmp_path / "webui.db")
    result = engine.check([str(tmp_path)])
    assert "OW110" not in [f.code for f in result.findings]
    unset = [d for d in result.deployments if d.location.path.endswith("/.env")][0]
    effective = effective_expiry(unset)
    assert (effective.source, effective.text, effective.overrides) == ("stored", "1mo", None)


@pytest.mark.parametrize(("version", "text"), [((0, 12, 4), "4w"), ((0, 6, 5), "-1")])
def test_effective_default_without_stored_or_environment(tmp_path: Path, version, text: str) -> None:
    env(tmp_path / ".env", "WEBUI_NAME=x\n")
    effective = effective_expiry(deployment(engine.check([str(tmp_path)]), "env-file"), version)
    assert (effective.source, effective.text, effective.setting) == ("default", text, None)


def test_effective_of_the_stored_deployment_itself(tmp_path: Path) -> None:
    database(tmp_path / "webui.db", "2h")
    effective = effective_expiry(deployment(engine.check([str(tmp_path / "webui.db")]), "stored-config"))
    assert (effective.source, effective.text) == ("stored", "2h")
