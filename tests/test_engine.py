from __future__ import annotations

import secrets
from pathlib import Path

from validator import engine


def found(result: engine.Result) -> list[tuple[str, int, int, str]]:
    return [(f.location.path, f.location.line, f.location.column, f.code) for f in result.findings]


def test_node_app_with_jwt_expires_in_is_left_alone(tmp_path: Path, write) -> None:
    write(tmp_path, {".env": "PORT=3000\nJWT_EXPIRES_IN=3600\nJWT_SECRET=short\n",
                     "compose.yaml": "services:\n  api:\n    image: node:20\n    environment:\n      JWT_EXPIRES_IN: 3600\n"})
    assert engine.check([str(tmp_path)]).findings == []


def test_assume_openwebui_forces_the_checks(tmp_path: Path, write) -> None:
    write(tmp_path, {"app.env": "JWT_EXPIRES_IN=3600\n"})
    result = engine.check([str(tmp_path)], engine.Options(assume_openwebui=True))
    assert [f.code for f in result.findings] == ["OW101", "OW108"]


def test_env_file_used_by_compose_is_not_a_deployment_of_its_own(tmp_path: Path, write) -> None:
    write(tmp_path, {
        "compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        "    env_file: webui.env\n",
        "webui.env": f"WEBUI_SECRET_KEY={secrets.token_hex(32)}\nJWT_EXPIRES_IN=1mo\n",
    })
    result = engine.check([str(tmp_path)])
    assert [d.name for d in result.deployments] == [f"service 'webui' in {tmp_path}/compose.yaml"]
    # The value is reported once, at the env file, naming the service that uses it.
    ow102 = [f for f in result.findings if f.code == "OW102"]
    assert len(ow102) == 1
    assert ow102[0].location.path == f"{tmp_path}/webui.env" and ow102[0].location.line == 2
    assert f"Used by service 'webui' in {tmp_path}/compose.yaml." in ow102[0].full_message


def test_value_shared_by_two_services_is_reported_once_naming_both(tmp_path: Path, write) -> None:
    write(tmp_path, {
        "compose.yaml": "services:\n"
                        "  a:\n    image: ghcr.io/open-webui/open-webui:main\n    env_file: common.env\n"
                        "  b:\n    image: ghcr.io/open-webui/open-webui:cuda\n    env_file: common.env\n",
        "common.env": f"WEBUI_SECRET_KEY={secrets.token_hex(32)}\nJWT_EXPIRES_IN=3600\n",
    })
    result = engine.check([str(tmp_path / "compose.yaml")])
    ow101 = [f for f in result.findings if f.code == "OW101"]
    assert len(ow101) == 1
    assert "service 'a'" in ow101[0].full_message and "service 'b'" in ow101[0].full_message
    assert "OW208" not in [f.code for f in result.findings]


def test_changed_env_file_alone_is_judged_with_the_compose_file_beside_it(tmp_path: Path, write) -> None:
    # pre-commit passes only the changed .env: it must still be known as compose's interpolation source.
    write(tmp_path, {
        "compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        "    environment:\n      JWT_EXPIRES_IN: ${JWT_EXPIRES_IN}\n      WEBUI_SECRET_KEY: ${KEY}\n",
        ".env": f"KEY={secrets.token_hex(32)}\nJWT_EXPIRES_IN=1H\n",
    })
    only_env = engine.check([str(tmp_path / ".env")])
    both = engine.check([str(tmp_path)])
    assert found(only_env) == [(f"{tmp_path}/.env", 2, 16, "OW101"), (f"{tmp_path}/.env", 2, 16, "OW108")]
    # The compose-located findings (none here) are added when the compose file is checked too.
    assert found(both) == found(only_env)


def test_findings_outside_the_requested_files_are_dropped(tmp_path: Path, write) -> None:
    write(tmp_path, {
        "compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    scale: 2\n",
        ".env": "OLLAMA_BASE_URL=http://ollama:11434\n",
    })
    assert engine.check([str(tmp_path / ".env")]).findings == []
    assert [f.code for f in engine.check([str(tmp_path / "compose.yaml")]).findings] == ["OW205"]


def test_broken_file_does_not_stop_the_others(tmp_path: Path, write) -> None:
    write(tmp_path, {
        "a/compose.yaml": "services:\n  webui:\n    image: [unclosed\n",
        "b/prod.env": "WEBUI_URL=https://chat.example.com\nJWT_EXPIRES_IN=1mo\n",
        "c/bad.env": "WEBUI_SECRET_KEY=\"never closed\n",
    })
    codes = [(Path(f.location.path).parent.name, f.code) for f in engine.check([str(tmp_path)]).findings]
    assert ("a", "OW001") in codes and ("b", "OW102") in codes and ("c", "OW001") in codes


def test_unparseable_env_file_of_another_app_is_not_reported(tmp_path: Path, write) -> None:
    write(tmp_path, {"other.env": "NODE_OPTIONS=\"--max-old-space-size\n"})
    assert engine.check([str(tmp_path)]).findings == []


def test_helm_templates_are_not_yaml_errors(tmp_path: Path, write) -> None:
    write(tmp_path, {"chart/templates/deployment.yaml": "spec:\n  replicas: {{ .Values.replicaCount }}\n  x: {{- if }}\n"})
    assert engine.check([str(tmp_path)]).findings == []


def test_missing_explicit_path_is_ow001(tmp_path: Path, write) -> None:
    result = engine.check([str(tmp_path / "nope.env")])
    assert [(f.code, f.location.line, f.location.column) for f in result.findings] == [("OW001", 1, 1)]


def test_directory_walk_skips_vendored_and_virtualenv_trees(tmp_path: Path, write) -> None:
    bad = "WEBUI_URL=x\nJWT_EXPIRES_IN=3600\n"
    write(tmp_path, {"node_modules/pkg/.env": bad, ".git/x.env": bad, "venv/pyvenv.cfg": "", "venv/y.env": bad,
                     "custom-env/pyvenv.cfg": "", "custom-env/z.env": bad, "deploy/prod.env": bad})
    result = engine.check([str(tmp_path)])
    assert {f.location.path for f in result.findings} == {f"{tmp_path}/deploy/prod.env"}


def test_deployments_read_only_as_context_are_not_in_the_result(tmp_path: Path, write) -> None:
    write(tmp_path, {
        "compose.yaml": "services:\n  other:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        "  user:\n    image: ghcr.io/open-webui/open-webui:main\n    env_file: webui.env\n",
        "webui.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=1mo\n",
    })
    names = [d.name for d in engine.check([str(tmp_path / "webui.env")]).deployments]
    assert names == [f"service 'user' in {tmp_path}/compose.yaml"]
