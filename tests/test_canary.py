"""No output format, message, help text, fingerprint or baseline ever holds a secret key value.

Every value below contains the canary: the test writes files that make each key rule fire on
such values, runs the real CLI in every format, to stdout and to --output, and looks for it.
`test_whole_cli_hides_every_secret_in_every_form` puts a canary in every secret position the tool
reads (env, compose, Kubernetes Secret data, Helm values, exports, SQLite, database URL, probe
password, URL user info), runs every command and format, and looks for each canary as written,
JSON-escaped, URL-encoded and base64-encoded in every output and every file written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from validator.report import FORMATS

MARK = "CaNaRy"
ROOT = Path(__file__).resolve().parents[1]
# Characters that every encoding changes: a canary holding them has a distinct form in each.
TRICKY = '$"\\é+/ '


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


def encoded_forms(value: str) -> set[str]:
    """The value as written, JSON-escaped (both ways), URL-encoded and base64-encoded at every alignment."""
    found = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1], quote(value, safe=""),
             quote(value), quote_plus(value)}
    data = value.encode()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode()
        core = encoded[-(-8 * shift // 6): 8 * (shift + len(data)) // 6]
        found |= {core, core.replace("+", "-").replace("/", "_")}
    return found


@pytest.fixture
def everywhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A monorepo with a canary in every secret position: {position: canary}."""
    c = {name: canary(secrets.token_hex(24) + (TRICKY if tricky else ""))
         for name, tricky in [("env", False), ("env_quoted", True), ("compose", True), ("oauth_session", False),
                              ("oauth_client_info", True), ("k8s_secret", True), ("helm", False), ("export", True),
                              ("sqlite", True), ("database_url", True), ("env_database_url", False),
                              ("probe_password", True), ("url_userinfo", False), ("dollar", False),
                              ("expiry_paste", False)]}
    c["dollar"] = c["dollar"][:20] + "$Kx" + c["dollar"][20:]  # compose reads `$Kx...` as a variable
    stack = tmp_path / "stack"
    stack.mkdir()
    env_quoted = c["env_quoted"].replace("\\", "\\\\").replace('"', '\\"')
    (stack / ".env").write_text(
        f"WEBUI_URL=https://chat.example.com\nWEBUI_SECRET_KEY={c['env']}\n"
        f"DATABASE_URL=postgresql://webui:{c['env_database_url']}@db:5432/webui\n"
        f"OAUTH_SESSION_TOKEN_ENCRYPTION_KEY={c['oauth_session']}\n"
        f"OAUTH_CLIENT_INFO_ENCRYPTION_KEY=\"{env_quoted}\"\n", "utf-8")
    (stack / "compose.yaml").write_text(
        "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        f"      WEBUI_SECRET_KEY: '{c['compose']}'\n      JWT_EXPIRES_IN: 4w\n"
        f"      OAUTH_CLIENT_INFO_ENCRYPTION_KEY: '{c['oauth_client_info']}'\n"
        "  other:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        f"      WEBUI_SECRET_KEY: {c['dollar']}\n      JWT_EXPIRES_IN: 4w WEBUI_SECRET_KEY={c['expiry_paste']}\n", "utf-8")
    k8s = tmp_path / "k8s"
    k8s.mkdir()
    encoded = base64.b64encode(c["k8s_secret"].encode()).decode()
    (k8s / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: webui}}\ndata:\n  key: {encoded}\n", "utf-8")
    (k8s / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webui}\nspec:\n  replicas: 2\n  selector: {}\n"
        "  template:\n    spec:\n      containers:\n        - name: webui\n"
        "          image: ghcr.io/open-webui/open-webui:main\n          env:\n            - name: WEBUI_SECRET_KEY\n"
        "              valueFrom: {secretKeyRef: {name: webui, key: key}}\n"
        "            - name: JWT_EXPIRES_IN\n              value: 4w\n", "utf-8")
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "values.yaml").write_text(
        f"replicaCount: 1\nollama:\n  enabled: false\nextraEnvVars:\n  - name: WEBUI_SECRET_KEY\n"
        f"    value: {c['helm']}\n", "utf-8")
    stored = tmp_path / "stored"
    stored.mkdir()
    (stored / ".env").write_text("WEBUI_URL=https://chat.example.com\nJWT_EXPIRES_IN=4w\n")
    (stored / "config-export.json").write_text(json.dumps(
        {"version": 0, "auth": {"jwt_expiry": "1mo"}, "oauth": {"client_secret": c["export"]}}), "utf-8")
    with sqlite3.connect(stored / "webui.db") as connection:
        connection.execute("CREATE TABLE config (id INTEGER NOT NULL, data JSON NOT NULL, version INTEGER NOT NULL, "
                           "PRIMARY KEY (id))")
        connection.execute("INSERT INTO config (id, data, version) VALUES (1, ?, 0)", (json.dumps(
            {"version": 0, "auth": {"jwt_expiry": "-1"}, "oauth": {"client_secret": c["sqlite"]}}),))
    connection.close()
    return tmp_path, c


def _digests(root: Path) -> dict[Path, str]:
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in root.rglob("*") if path.is_file()}


def test_whole_cli_hides_every_secret_in_every_form(everywhere: tuple[Path, dict[str, str]]) -> None:
    root, c = everywhere
    sys.path.insert(0, str(ROOT / "tests" / "harness"))
    import fake_openwebui

    inputs = _digests(root)
    outputs: list[str] = []
    database_url = f"postgresql://webui:{quote(c['database_url'], safe='')}@127.0.0.1:1/webui"

    def run(*args: str, stdin: str | None = None, status: set[int] | None = None, **env: str) -> None:
        environ = {name: value for name, value in os.environ.items() if name not in ("GITHUB_ACTIONS", "NO_COLOR")}
        done = subprocess.run([sys.executable, "-m", "validator", *args], cwd=root, capture_output=True, text=True,
                              input=stdin, env={**environ, **env}, timeout=120)
        assert done.returncode in (status or {0, 1}), (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr or "--debug" in args, (args, done.stderr)
        outputs.extend([done.stdout, done.stderr])

    everything = [".", "--database-url", database_url]
    for fmt in FORMATS:
        run("check", *everything, "--format", fmt, "--fail-on", "info")
        run("check", *everything, "--format", fmt, "--output", f"report.{fmt}")
    run("check", *everything, "--verbose", "--debug", "--fail-on", "info")
    run("check", *everything, "--write-baseline", "baseline.json")
    run("check", *everything, "--baseline", "baseline.json", "--format", "sarif")
    run("check", "--database-url", database_url, "stack/.env", "--debug")
    for fmt in ("text", "json"):
        run("tokens", ".", "--format", fmt)
        run("rule", "OW209", "--format", fmt)
    run("rule", "--all")
    fake_openwebui.PASSWORD = c["probe_password"]  # the fake server checks the module's password
    try:
        with fake_openwebui.FakeOpenWebUI() as server:
            password = {"OWUI_PROBE_PASSWORD": c["probe_password"]}
            run("probe", server.url, "--email", fake_openwebui.EMAIL, "--password-env", "OWUI_PROBE_PASSWORD",
                "--config", "stack/compose.yaml", status={0, 1, 2}, **password)  # the pasted key may add a lifetime
            run("probe", server.url, "--email", fake_openwebui.EMAIL, "--password-env", "OWUI_PROBE_PASSWORD",
                "--config", "k8s", **password)
            run("probe", server.url, "--email", fake_openwebui.EMAIL, "--password-stdin", "--expect", "4w",
                stdin=c["probe_password"] + "\n")
            run("probe", server.url, "--email", "nobody@example.com", "--password-env", "OWUI_PROBE_PASSWORD",
                status={3}, **password)
            userinfo = server.url.replace("://", f"://admin:{c['url_userinfo']}@")
            run("probe", userinfo, "--email", fake_openwebui.EMAIL, "--password-env", "OWUI_PROBE_PASSWORD",
                status={2}, **password)
            tokens = list(server.issued)
    finally:
        fake_openwebui.PASSWORD = "correct horse battery staple"
    assert len(tokens) >= 2  # the sign-ins with the canary password succeeded with the canary password succeeded

    written = {path: path.read_text("utf-8", "replace") for path in _digests(root) if path not in inputs}
    assert {path.name for path in written} >= {f"report.{fmt}" for fmt in FORMATS} | {"baseline.json"}
    assert _digests(root).items() >= inputs.items()  # no input was changed
    texts = outputs + list(written.values())
    assert any("WEBUI_SECRET_KEY" in text for text in texts)
    for position, value in c.items():
        for form in encoded_forms(value):
            for text in texts:
                assert form not in text, (position, form)
    for token in tokens:
        for part in (token, *token.split(".")[1:]):
            for text in texts:
                assert part not in text, (part, text[max(0, text.find(part) - 300):text.find(part) + 100])
    for text in texts:
        where = text.lower().find(MARK.lower())
        assert where < 0, text[max(0, where - 200):where + 100]
