"""Compose services as the container sees them: values, exact positions, precedence, findings."""

from __future__ import annotations

import os
import time
from pathlib import Path
from textwrap import dedent

import pytest

from validator.findings import Finding, Severity
from validator.location import Location
from validator.sources import compose
from validator.sources.compose import SHELL, is_compose, read_compose
from validator.sources.dotenv import DotenvFile, parse_dotenv
from validator.sources.files import Workspace
from validator.sources.model import Deployment, ParsedFile, Setting
from validator.sources.yamlfile import load_documents


def read(tmp_path: Path, text: str, files: dict[str, str] | None = None, ws: Workspace | None = None) -> ParsedFile:
    """Write the compose file (and others) into tmp_path and read it as the engine does."""
    for name, content in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    path = str(tmp_path / "docker-compose.yml")
    Path(path).write_text(dedent(text))
    ws = ws or Workspace()
    (root,) = load_documents(ws.text(path), path)
    assert is_compose(root)
    return read_compose(ws, path, root)


def service(parsed: ParsedFile, name: str) -> Deployment:
    (found,) = [d for d in parsed.deployments if d.name.startswith(f"service '{name}' in ")]
    return found


def at(setting: Setting) -> tuple[str, int, int]:
    return (os.path.basename(setting.location.path), setting.location.line, setting.location.column)


def codes(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.code, os.path.basename(f.location.path), f.location.line, f.location.column) for f in findings]


# --- environment -----------------------------------------------------------------------------


def test_mapping_environment_raw_values_and_positions(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              JWT_EXPIRES_IN: 3600
              ENABLE_SIGNUP: False
              WEBUI_SECRET_KEY: "s3cr3t value"
              WEBUI_NAME:   'It''s'
              RATIO: 1.50
        """)
    settings = service(parsed, "webui").settings
    assert {name: s.value for name, s in settings.items()} == {
        "JWT_EXPIRES_IN": "3600", "ENABLE_SIGNUP": "False", "WEBUI_SECRET_KEY": "s3cr3t value",
        "WEBUI_NAME": "It's", "RATIO": "1.50",
    }  # fmt: skip
    assert at(settings["JWT_EXPIRES_IN"]) == ("docker-compose.yml", 5, 23)
    assert at(settings["ENABLE_SIGNUP"]) == ("docker-compose.yml", 6, 22)
    # inside the quotes, spanning exactly the content
    assert settings["WEBUI_SECRET_KEY"].location == Location(str(tmp_path / "docker-compose.yml"), 7, 26, 7, 38)
    assert at(settings["WEBUI_NAME"]) == ("docker-compose.yml", 8, 22)
    for setting in settings.values():
        assert setting.literal and setting.unresolved == "" and setting.via == str(tmp_path / "docker-compose.yml")


def test_list_environment_value_column_and_verbatim_quotes(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              - WEBUI_SECRET_KEY=abc
              - JWT_EXPIRES_IN="4w"
              - "WEBUI_NAME=Team chat"
              - EMPTY=
              - A=b=c
        """)
    settings = service(parsed, "webui").settings
    assert settings["WEBUI_SECRET_KEY"].value == "abc"
    assert at(settings["WEBUI_SECRET_KEY"]) == ("docker-compose.yml", 5, 26)
    assert settings["WEBUI_SECRET_KEY"].location.end_column == 29
    # list items are not unquoted by compose: the quotes are part of the value
    assert settings["JWT_EXPIRES_IN"].value == '"4w"'
    assert at(settings["JWT_EXPIRES_IN"]) == ("docker-compose.yml", 6, 24)
    assert settings["WEBUI_NAME"].value == "Team chat"
    assert at(settings["WEBUI_NAME"]) == ("docker-compose.yml", 7, 21)
    assert settings["EMPTY"].value == ""
    assert settings["A"].value == "b=c"
    assert all(s.literal for s in settings.values())


def test_value_less_entries_are_unresolved_without_dotenv(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              WEBUI_SECRET_KEY:
              JWT_EXPIRES_IN: ~
              WEBUI_URL: null
          other:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              - WEBUI_SECRET_KEY
        """)
    for name in ("WEBUI_SECRET_KEY", "JWT_EXPIRES_IN", "WEBUI_URL"):
        setting = service(parsed, "webui").settings[name]
        assert setting.value is None and setting.unresolved == SHELL and not setting.literal
    assert at(service(parsed, "webui").settings["WEBUI_SECRET_KEY"]) == ("docker-compose.yml", 5, 7)
    listed = service(parsed, "other").settings["WEBUI_SECRET_KEY"]
    assert listed.value is None and listed.unresolved == SHELL
    assert at(listed) == ("docker-compose.yml", 11, 9)


def test_value_less_entry_takes_dotenv_value(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              - WEBUI_SECRET_KEY
              - JWT_EXPIRES_IN
        """, {".env": "# keys\nWEBUI_SECRET_KEY=from-dotenv\n"})
    settings = service(parsed, "webui").settings
    assert settings["WEBUI_SECRET_KEY"].value == "from-dotenv"
    assert at(settings["WEBUI_SECRET_KEY"]) == (".env", 2, 18)
    assert not settings["WEBUI_SECRET_KEY"].literal
    assert settings["WEBUI_SECRET_KEY"].via == str(tmp_path / "docker-compose.yml")
    assert settings["JWT_EXPIRES_IN"].value is None and settings["JWT_EXPIRES_IN"].unresolved == SHELL


# --- interpolation ---------------------------------------------------------------------------


def test_interpolation_from_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_SHELL", "never-read")
    monkeypatch.setenv("UNSET_HERE", "never-read")
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              WEBUI_SECRET_KEY: ${SECRET}
              WEBUI_URL: https://${HOST}/chat
              JWT_EXPIRES_IN: ${EXPIRY:-4w}
              WEBUI_NAME: ${FROM_SHELL}
              ENABLE_SIGNUP: $${NOT_A_REFERENCE}
        """, {".env": "SECRET=k3y-from-env\nHOST=chat.example.org\n"})
    settings = service(parsed, "webui").settings
    compose_path = str(tmp_path / "docker-compose.yml")

    whole = settings["WEBUI_SECRET_KEY"]
    assert whole.value == "k3y-from-env"
    assert at(whole) == (".env", 1, 8) and not whole.literal and whole.via == compose_path

    partial = settings["WEBUI_URL"]
    assert partial.value == "https://chat.example.org/chat"
    assert at(partial) == ("docker-compose.yml", 6, 18) and not partial.literal

    default = settings["JWT_EXPIRES_IN"]
    assert default.value == "4w" and at(default) == ("docker-compose.yml", 7, 23) and not default.literal

    shell_only = settings["WEBUI_NAME"]  # os.environ is never consulted
    assert shell_only.value is None and "FROM_SHELL" in shell_only.unresolved
    assert at(shell_only) == ("docker-compose.yml", 8, 19)

    escaped = settings["ENABLE_SIGNUP"]
    assert escaped.value == "${NOT_A_REFERENCE}" and escaped.literal


# --- env_file and precedence -----------------------------------------------------------------


def test_env_file_order_then_environment(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file:
              - ./base.env
              - config/prod.env
            environment:
              WEBUI_NAME: from-compose
        """, {
        "base.env": "WEBUI_SECRET_KEY=base-key\nJWT_EXPIRES_IN=1h\nWEBUI_NAME=base\n",
        "config/prod.env": "\nWEBUI_SECRET_KEY=prod-key\nWEBUI_NAME=prod\n",
    })
    webui = service(parsed, "webui")
    settings = webui.settings
    base, prod = str(tmp_path / "base.env"), str(tmp_path / "config" / "prod.env")
    assert settings["WEBUI_SECRET_KEY"].value == "prod-key"
    assert settings["WEBUI_SECRET_KEY"].location.path == prod and at(settings["WEBUI_SECRET_KEY"])[1:] == (2, 18)
    assert settings["WEBUI_SECRET_KEY"].via == prod
    assert settings["JWT_EXPIRES_IN"].value == "1h" and settings["JWT_EXPIRES_IN"].via == base
    assert settings["WEBUI_NAME"].value == "from-compose"
    assert at(settings["WEBUI_NAME"]) == ("docker-compose.yml", 8, 19)
    assert webui.uses == (base, prod)
    assert parsed.uses == (base, prod)
    assert parsed.findings == []


def test_env_file_string_form_interpolated_with_dotenv(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file: ./${STAGE}.env
        """, {
        ".env": "STAGE=prod\nDOMAIN=example.org\n",
        "prod.env": "WEBUI_URL=https://chat.${DOMAIN}\nWEBUI_SECRET_KEY=${MISSING}\n",
    })
    webui = service(parsed, "webui")
    assert webui.settings["WEBUI_URL"].value == "https://chat.example.org"
    assert at(webui.settings["WEBUI_URL"]) == ("prod.env", 1, 11)
    assert webui.settings["WEBUI_SECRET_KEY"].value is None
    assert "MISSING" in webui.settings["WEBUI_SECRET_KEY"].unresolved
    assert webui.uses == (str(tmp_path / "prod.env"), str(tmp_path / ".env"))
    assert set(parsed.uses) == {str(tmp_path / "prod.env"), str(tmp_path / ".env")}


def test_long_form_env_file_required_false_is_skipped(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file:
              - path: ./default.env
              - path: ./override.env
                required: false
              - path: ./present.env
                required: false
        """, {"default.env": "WEBUI_NAME=default\n", "present.env": "WEBUI_NAME=present\n"})
    webui = service(parsed, "webui")
    assert parsed.findings == []
    assert webui.settings["WEBUI_NAME"].value == "present"
    assert webui.uses == (str(tmp_path / "default.env"), str(tmp_path / "present.env"))


def test_missing_required_env_file_is_ow001_at_the_entry(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file:
              - ./base.env
              - ./prod.env
              - path: ./long.env
                required: true
            environment:
              WEBUI_NAME: still read
        """, {"base.env": "WEBUI_SECRET_KEY=k\n"})
    assert codes(parsed.findings) == [
        ("OW001", "docker-compose.yml", 6, 9),
        ("OW001", "docker-compose.yml", 7, 15),
    ]
    finding = parsed.findings[0]
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("env_file ./prod.env does not exist and is not gitignored")
    assert "refuses to start" in finding.message and "webui" in finding.message
    webui = service(parsed, "webui")
    assert webui.settings["WEBUI_SECRET_KEY"].value == "k" and webui.settings["WEBUI_NAME"].value == "still read"
    assert webui.uses == (str(tmp_path / "base.env"),)


def test_env_file_syntax_error_is_kept_and_reading_continues(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file: [broken.env, good.env]
        """, {"broken.env": "OK=1\n=no-name\n", "good.env": "WEBUI_SECRET_KEY=good\n"})
    assert codes(parsed.findings) == [("OW001", "broken.env", 2, 1)]
    webui = service(parsed, "webui")
    assert webui.settings["WEBUI_SECRET_KEY"].value == "good"
    assert str(tmp_path / "broken.env") in webui.uses


def test_dotenv_findings_are_kept(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:${TAG}
        """, {".env": "TAG=main\nTAG=cuda\n"})
    assert codes(parsed.findings) == [("OW002", ".env", 2, 1)]
    assert service(parsed, "webui").image == "ghcr.io/open-webui/open-webui:cuda"


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "official"),
    [
        ("ghcr.io/open-webui/open-webui:main", True),
        ("ghcr.io/open-webui/open-webui:cuda", True),
        ("ghcr.io/open-webui/open-webui:ollama", True),
        ("ghcr.io/open-webui/open-webui@sha256:" + "ab" * 32, True),
        ("ghcr.io/open-webui/open-webui:${TAG}", True),
        ("${IMAGE}", True),
        ("ghcr.io/open-webui/open-webui:${UNSET_TAG}", True),
        ("ghcr.io/open-webui/pipelines:main", False),
        ("${UNSET_IMAGE}", False),
        ("node:20", False),
    ],
)
def test_official_image_matrix(tmp_path: Path, image: str, official: bool) -> None:
    parsed = read(tmp_path, f"""\
        services:
          app:
            image: "{image}"
            environment:
              JWT_EXPIRES_IN: "3600"
        """, {".env": "TAG=cuda\nIMAGE=ghcr.io/open-webui/open-webui:ollama\n"})
    app = service(parsed, "app")
    assert app.official_image is official
    assert app.openwebui is official  # JWT_EXPIRES_IN alone is not Open WebUI's
    assert parsed.openwebui is official


def test_image_value_interpolated(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          a: {image: "ghcr.io/open-webui/open-webui:${TAG}"}
          b: {image: "ghcr.io/open-webui/open-webui:${UNSET}"}
          c: {build: .}
        """, {".env": "TAG=cuda\n"})
    assert service(parsed, "a").image == "ghcr.io/open-webui/open-webui:cuda"
    assert service(parsed, "b").image == "ghcr.io/open-webui/open-webui:${UNSET}"
    assert service(parsed, "c").image is None and not service(parsed, "c").official_image


def test_marker_variable_makes_a_service_openwebui(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          custom:
            image: registry.example.org/our-webui:1
            environment: [WEBUI_SECRET_KEY=k]
          api:
            image: node:20
            environment: [JWT_EXPIRES_IN=3600, DATABASE_URL=x]
        """)
    assert service(parsed, "custom").openwebui and not service(parsed, "custom").official_image
    assert not service(parsed, "api").openwebui
    assert parsed.openwebui


# --- YAML features ---------------------------------------------------------------------------


def test_anchors_merge_keys_and_extensions(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        x-common-env: &common-env
          WEBUI_SECRET_KEY: shared-key
          JWT_EXPIRES_IN: 1h
        x-more: &more
          JWT_EXPIRES_IN: 2h
          WEBUI_NAME: more
        x-service: &base
          image: ghcr.io/open-webui/open-webui:main
        services:
          x-template:
            image: ghcr.io/open-webui/open-webui:main
          webui:
            <<: *base
            environment:
              <<: [*common-env, *more]
              WEBUI_NAME: own
        """)
    assert [d.name.split("'")[1] for d in parsed.deployments] == ["webui"]
    webui = service(parsed, "webui")
    assert webui.official_image
    settings = webui.settings
    assert {n: s.value for n, s in settings.items()} == {
        "WEBUI_SECRET_KEY": "shared-key", "JWT_EXPIRES_IN": "1h", "WEBUI_NAME": "own",
    }  # fmt: skip
    assert at(settings["WEBUI_SECRET_KEY"]) == ("docker-compose.yml", 2, 21)
    assert at(settings["JWT_EXPIRES_IN"]) == ("docker-compose.yml", 3, 19)
    assert at(settings["WEBUI_NAME"]) == ("docker-compose.yml", 16, 19)
    assert parsed.findings == []


def test_duplicate_mapping_key_is_ow002_at_the_later_one(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              WEBUI_SECRET_KEY: first-secret
              JWT_EXPIRES_IN: 1h
              WEBUI_SECRET_KEY: second-secret
        """)
    assert codes(parsed.findings) == [("OW002", "docker-compose.yml", 7, 7)]
    finding = parsed.findings[0]
    assert finding.severity is Severity.WARNING and finding.variable == "WEBUI_SECRET_KEY"
    assert "line 5" in finding.message and "docker compose rejects" in finding.message and "line 7" in finding.message
    assert "first-secret" not in finding.message and "second-secret" not in finding.message
    assert service(parsed, "webui").settings["WEBUI_SECRET_KEY"].value == "second-secret"


def test_duplicate_list_entry_is_ow002_and_the_later_wins(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            environment:
              - WEBUI_SECRET_KEY=first-secret
              - WEBUI_SECRET_KEY=second-secret
        """)
    assert codes(parsed.findings) == [("OW002", "docker-compose.yml", 6, 9)]
    assert "last one wins" in parsed.findings[0].message
    assert "secret" not in parsed.findings[0].message.replace("WEBUI_SECRET_KEY", "")
    setting = service(parsed, "webui").settings["WEBUI_SECRET_KEY"]
    assert setting.value == "second-secret" and at(setting) == ("docker-compose.yml", 6, 26)


def test_billion_laughs_compose_finishes_quickly(tmp_path: Path) -> None:
    lines = ['x-l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"x-l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines += ["x-m0: &m0 {WEBUI_NAME: lol}"]
    lines += [f"x-m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}], K{i}: v}}" for i in range(1, 8)]
    lines += ["services:", "  webui:", "    image: ghcr.io/open-webui/open-webui:main", "    command: *l9"]
    lines += ["    environment: *m7", "  other:", "    image: x", "    environment: *l9"]
    started = time.perf_counter()
    parsed = read(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2.0
    assert set(service(parsed, "webui").settings) == {"WEBUI_NAME"} | {f"K{i}" for i in range(1, 8)}
    assert service(parsed, "other").settings == {}


# --- deployments -----------------------------------------------------------------------------


def test_deployment_fields(tmp_path: Path) -> None:
    parsed = read(tmp_path, """\
        name: chat
        services:
          webui:
            image: ghcr.io/open-webui/open-webui:main
            env_file: webui.env
          db:
            image: postgres:16
        """, {".env": "A=1\n", "webui.env": "WEBUI_NAME=x\n"})
    compose_path = str(tmp_path / "docker-compose.yml")
    webui = service(parsed, "webui")
    assert webui.name == f"service 'webui' in {compose_path}"
    assert webui.kind == "compose-service"
    assert webui.location == Location(compose_path, 3, 3, 3, 8)
    assert webui.uses == (str(tmp_path / "webui.env"), str(tmp_path / ".env"))
    db = service(parsed, "db")
    assert db.uses == (str(tmp_path / ".env"),) and not db.openwebui and db.settings == {}
    assert parsed.kind == "compose" and parsed.path == compose_path
    assert parsed.uses == (str(tmp_path / ".env"), str(tmp_path / "webui.env"))


@pytest.mark.parametrize(
    ("spec", "replicas"),
    [
        ("deploy:\n      replicas: 3", 3),
        ("scale: 2", 2),
        ("deploy:\n      replicas: ${N}", 4),
        ("deploy:\n      replicas: \"${M:-5}\"", 5),
        ("deploy:\n      resources: {}\n    scale: 6", 6),
        ("deploy:\n      replicas: ${UNSET}", None),
        ("scale: many", None),
        ("restart: always", None),
    ],
)
def test_replicas(tmp_path: Path, spec: str, replicas: int | None) -> None:
    text = "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    " + spec + "\n"
    (tmp_path / ".env").write_text("N=4\n")
    path = tmp_path / "docker-compose.yml"
    path.write_text(text)
    ws = Workspace()
    (root,) = load_documents(ws.text(str(path)), str(path))
    assert service(read_compose(ws, str(path), root), "webui").replicas == replicas


def test_is_compose() -> None:
    def check(text: str) -> bool:
        return is_compose(load_documents(text, "f.yml")[0])

    assert check("services:\n  a: {image: x}\n")
    assert check("services: {}\n")
    assert not check("services: [a]\n")
    assert not check("services:\n")
    assert not check("apiVersion: v1\nkind: ConfigMap\n")
    assert not check("- services\n")


def test_each_file_is_read_and_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    reads: list[str] = []

    def counting_parse(text: str, path: str):  # type: ignore[no-untyped-def]
        parses.append(os.path.basename(path))
        return parse_dotenv(text, path)

    class CountingWorkspace(Workspace):
        def _read(self, path: str) -> str:
            reads.append(os.path.basename(path))
            return super()._read(path)

    resolved: list[str] = []
    resolve = DotenvFile.resolve

    def counting_resolve(self: DotenvFile, lookup=None, budget=None):  # type: ignore[no-untyped-def]
        resolved.append(os.path.basename(self.path))
        return resolve(self, lookup, budget)

    monkeypatch.setattr(compose, "parse_dotenv", counting_parse)
    monkeypatch.setattr(DotenvFile, "resolve", counting_resolve)
    read(tmp_path, """\
        services:
          a: {image: x, env_file: [common.env, .env, missing.env]}
          b: {image: x, env_file: [common.env, missing.env], environment: ["K=${V}"]}
          c: {image: x, env_file: common.env}
        """, {".env": "V=1\n", "common.env": "K=${V}\n"}, ws=CountingWorkspace())
    assert sorted(parses) == [".env", "common.env"]
    # `.env` once for the lookup and once as service a's env_file (their lookups differ)
    assert sorted(resolved) == [".env", ".env", "common.env"]
    assert sorted(reads) == [".env", "common.env", "docker-compose.yml", "missing.env"]


def test_keys_written_twice_outside_environment_are_ow002_and_environment_ones_are_reported_once(
        tmp_path: Path) -> None:
    from validator import engine

    (tmp_path / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    image: ghcr.io/open-webui/open-webui:cuda\n"
        "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n      WEBUI_SECRET_KEY: ${KEY}\n")
    found = [f for f in engine.check([str(tmp_path / "compose.yaml")]).findings if f.code == "OW002"]
    assert [(f.location.line, f.message.split(" ")[0]) for f in found] == [(4, "key"), (7, "WEBUI_SECRET_KEY")]
    assert "at lines 3 and 4" in found[0].message
