"""No output format, message, help text, fingerprint or baseline ever holds a secret key value.

Every value below contains the canary: the test writes files that make each key rule fire on
such values, runs the real CLI in every format, to stdout and to --output, and looks for it.
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import pytest

from validator.report import FORMATS

MARK = "CaNaRy"


def canary(extra: str = "") -> str:
    return MARK + (extra or secrets.token_hex(32))


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    public, literal, shared, alias = canary(), canary(), canary(), canary()
    (tmp_path / ".owui-validate.toml").write_text(f'known-default-keys = ["{public}"]\n')
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  literal:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      WEBUI_SECRET_KEY: {literal}\n"
        "  alias:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      - WEBUI_JWT_SECRET_KEY={alias}\n")
    (tmp_path / "public.env").write_text(f"WEBUI_URL=https://a\nWEBUI_SECRET_KEY={public}\n")
    (tmp_path / "short.env").write_text(f"WEBUI_URL=https://b\nWEBUI_SECRET_KEY={canary(secrets.token_hex(3))}\n")
    (tmp_path / "weak.env").write_text(f"WEBUI_URL=https://c\nWEBUI_SECRET_KEY={MARK.lower() * 6}\n")
    (tmp_path / "staging.env").write_text(f"WEBUI_URL=https://d\nWEBUI_SECRET_KEY={shared}\n")
    (tmp_path / "production.env").write_text(f"WEBUI_URL=https://e\nexport WEBUI_SECRET_KEY='{shared}'\n")
    (tmp_path / "twice.env").write_text(
        f"WEBUI_URL=https://f\nWEBUI_SECRET_KEY={canary()}  # owui-validate: ignore[OW999]\n"
        f"WEBUI_SECRET_KEY=\"{canary()}\"\n")
    (tmp_path / "alias.env").write_text(f"OLLAMA_BASE_URL=http://o\nWEBUI_JWT_SECRET_KEY={alias}\n")
    (tmp_path / "unterminated.env").write_text(f'WEBUI_URL=https://g\nWEBUI_SECRET_KEY="{canary()}\n')
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
        f"    environment:\n      WEBUI_SECRET_KEY: {canary()}: {canary()}\n")
    manifests = tmp_path / "k8s"
    manifests.mkdir()
    encoded = base64.b64encode(canary().encode()).decode()
    (manifests / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: webui}}\ndata:\n  key: {encoded}\n"
        f"  broken: {canary()}!!not-base64\n---\n"
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: webui-env}}\ndata:\n  WEBUI_SECRET_KEY: {canary()}\n")
    (manifests / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webui}\nspec:\n  replicas: 2\n  selector: {}\n"
        "  template:\n    spec:\n      containers:\n        - name: webui\n"
        "          image: ghcr.io/open-webui/open-webui:main\n          envFrom:\n"
        "            - configMapRef: {name: webui-env}\n          env:\n            - name: WEBUI_SECRET_KEY\n"
        "              valueFrom: {secretKeyRef: {name: webui, key: key}}\n"
        "        - name: other\n          image: ghcr.io/open-webui/open-webui:main\n          env:\n"
        f"            - name: WEBUI_SECRET_KEY\n              value: {canary()}\n"
        "            - name: BROKEN\n              valueFrom: {secretKeyRef: {name: webui, key: broken}}\n")
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "values.yaml").write_text(
        f"replicaCount: 1\nollama:\n  enabled: false\nextraEnvVars:\n  - name: WEBUI_SECRET_KEY\n"
        f"    value: {canary()}\n")
    (tmp_path / "config-export.json").write_text(
        f'{{\n  "auth.jwt_expiry": "1mo",\n  "oauth.client_secret": "{canary()}\n')
    return tmp_path


def test_setting_repr_hides_the_value() -> None:
    from validator.location import Location
    from validator.sources.model import Setting

    value = canary()
    assert MARK not in repr(Setting("WEBUI_SECRET_KEY", value, Location("x.env", 1, 1)))


def test_verbose_and_tokens_show_no_secret(owui_process, leaky) -> None:
    verbose = owui_process("check", "--verbose", "--fail-on", "info")
    assert "WEBUI_SECRET_KEY (" in verbose.err  # the verbose report described keys
    tokens_text = owui_process("tokens", ".")
    tokens_json = owui_process("tokens", ".", "--format", "json")
    assert tokens_text.out and tokens_json.out
    assert_clean(verbose.out, verbose.err, tokens_text.out, tokens_text.err, tokens_json.out, tokens_json.err)


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert MARK.lower() not in text.lower()


def test_every_key_rule_fires_on_the_canaries(owui_process, leaky) -> None:
    ran = owui_process("check", "--format", "json")
    found = {finding["code"] for finding in json.loads(ran.out)["findings"]}
    assert {"OW001", "OW002", "OW201", "OW203", "OW204", "OW206", "OW207", "OW208", "OW900"} <= found
    where = {(finding["path"], finding["code"]) for finding in json.loads(ran.out)["findings"]}
    assert {("k8s/secret.yaml", "OW001"), ("config-export.json", "OW001"), ("chart/values.yaml", "OW207"),
            ("k8s/deployment.yaml", "OW207")} <= where
    assert_clean(ran.out, ran.err)


@pytest.mark.parametrize("name", list(FORMATS))
def test_no_format_shows_a_secret(owui_process, leaky, name: str) -> None:
    to_stdout = owui_process("check", "--format", name, "--fail-on", "info")
    assert to_stdout.status == 1 and to_stdout.out
    to_file = owui_process("check", "--format", name, "--output", "report.out")
    assert to_file.status == 1 and to_file.out == ""
    assert_clean(to_stdout.out, to_stdout.err, to_file.err, (leaky / "report.out").read_text("utf-8"))


def test_baselines_and_rule_docs_show_no_secret(owui_process, leaky) -> None:
    written = owui_process("check", "--write-baseline", "baseline.json")
    assert written.status == 0
    baseline = (leaky / "baseline.json").read_text("utf-8")
    assert '"OW207"' in baseline
    checked = owui_process("check", "--baseline", "baseline.json", "--format", "sarif")
    assert checked.status == 0
    assert_clean(written.out, written.err, baseline, checked.out, checked.err)
