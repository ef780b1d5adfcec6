"""Generated hostile input over every source (env files, compose, Kubernetes, Helm values, exported
config, SQLite databases). Scale with OWUI_FUZZ_EXAMPLES (default: a short,
deterministic slice; the 100,000-input run is `OWUI_FUZZ_EXAMPLES=25000 pytest tests/test_fuzz.py`).

Invariants: no exception escapes, no internal error, every OW001 has a position, a good file
beside the hostile one is still checked, and each run is bounded in time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from validator import engine

EXAMPLES = int(os.environ.get("OWUI_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 1000, database=None,
                suppress_health_check=list(HealthCheck))
SENTINEL = "WEBUI_URL=x\nJWT_EXPIRES_IN=1mo\n"

NAMES = st.sampled_from(["JWT_EXPIRES_IN", "WEBUI_SECRET_KEY", "WEBUI_JWT_SECRET_KEY", "WEBUI_AUTH",
                         "ENABLE_PERSISTENT_CONFIG", "WEBUI_URL", "OLLAMA_BASE_URL", "K", "x-y", "1A", ""])
VALUES = st.one_of(st.text(max_size=40), st.sampled_from(["${A:-${B}}", "$$", "${", "'", '"', "\\", "1mo", "3600",
                                                           "t0p-s3cr3t", " #c", "\"a\nb\"", "'unterminated"]))
ENV_LINE = st.one_of(
    st.builds(lambda e, k, q, v: f"{e}{k}={q}{v}{q}", st.sampled_from(["", "export ", "  "]), NAMES,
              st.sampled_from(["", "'", '"']), VALUES),
    st.text(max_size=60),
    st.sampled_from(["#", "export", "=", "KEY", "KEY:", "KEY: value", "\t", "\x00", "\ufeff"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), VALUES)
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.one_of(NAMES, st.text(max_size=8)), inner,
                                                                      max_size=4)), max_leaves=25)
COMPOSE = st.builds(
    lambda image, environment, extra: {"services": {"w": {"image": image, "environment": environment,
                                                          "env_file": extra.get("env_file", ".env"),
                                                          "deploy": extra}}},
    st.one_of(st.just("ghcr.io/open-webui/open-webui:main"), st.text(max_size=20)),
    st.one_of(st.dictionaries(NAMES, SCALARS, max_size=5), st.lists(ENV_LINE, max_size=5), TREES),
    st.dictionaries(st.sampled_from(["replicas", "env_file", "x"]), TREES, max_size=3),
)


def run(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, data in files.items():
            (root / name).write_bytes(data)
        (root / "sentinel").mkdir()
        (root / "sentinel" / "ok.env").write_text(SENTINEL)
        started = time.monotonic()
        result = engine.check([str(root)])
        assert time.monotonic() - started < 10
        assert result.errors == [], [(e.path, type(e.error).__name__) for e in result.errors]
        for finding in result.findings:
            assert finding.location.line >= 1 and finding.location.column >= 1
            if finding.code == "OW001":
                assert finding.message
        assert any(f.code == "OW102" and f.location.path.endswith("ok.env") for f in result.findings)


@seed(1)
@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".env", "compose.yaml", "values.yaml", "prod.env"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    run({name: data})


@seed(2)
@FUZZ
@given(st.lists(ENV_LINE, max_size=12))
def test_arbitrary_env_lines(lines: list[str]) -> None:
    run({".env": "\n".join(lines).encode("utf-8", "surrogatepass")})


@seed(3)
@FUZZ
@given(st.one_of(COMPOSE, TREES), st.lists(ENV_LINE, max_size=6))
def test_arbitrary_yaml_trees_with_their_env(tree: object, env: list[str]) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True)
    run({"compose.yaml": text.encode("utf-8", "surrogatepass"), ".env": "\n".join(env).encode("utf-8", "surrogatepass")})


@seed(4)
@FUZZ
@given(st.one_of(COMPOSE, TREES), st.integers(min_value=0, max_value=400), st.binary(max_size=8))
def test_yaml_cut_and_corrupted(tree: object, cut: int, junk: bytes) -> None:
    text = yaml.safe_dump(tree).encode()
    run({"docker-compose.yml": text[:cut] + junk + text[cut:]})


KINDS = st.sampled_from(["Deployment", "StatefulSet", "DaemonSet", "Pod", "Job", "CronJob", "Secret", "ConfigMap",
                         "HorizontalPodAutoscaler", "List", "Service"])
ENV_ITEM = st.one_of(
    st.fixed_dictionaries({"name": NAMES, "value": SCALARS}),
    st.fixed_dictionaries({"name": NAMES, "valueFrom": st.one_of(*(
        st.fixed_dictionaries({ref: st.fixed_dictionaries({"name": st.sampled_from(["webui", "x"]), "key": NAMES})})
        for ref in ("secretKeyRef", "configMapKeyRef")))}),
    TREES,
)
CONTAINER = st.fixed_dictionaries({"name": st.text(max_size=5),
                                   "image": st.sampled_from(["ghcr.io/open-webui/open-webui:main", "node:20", ""]),
                                   "env": st.one_of(st.lists(ENV_ITEM, max_size=4), TREES),
                                   "envFrom": st.one_of(st.just([{"secretRef": {"name": "webui"}}]), TREES)})
MANIFEST = st.fixed_dictionaries({
    "apiVersion": st.sampled_from(["v1", "apps/v1", "batch/v1", "autoscaling/v2"]),
    "kind": KINDS,
    "metadata": st.one_of(st.fixed_dictionaries({"name": st.sampled_from(["webui", "x"])}), TREES),
    "spec": st.one_of(st.fixed_dictionaries({"replicas": SCALARS, "selector": st.just({}),
                                             "template": st.fixed_dictionaries({"spec": st.fixed_dictionaries(
                                                 {"containers": st.lists(CONTAINER, max_size=2)})})}), TREES),
    "data": st.one_of(st.dictionaries(NAMES, st.one_of(VALUES, st.just("dDBwLXMzY3IzdA=="))), TREES),
    "stringData": st.one_of(st.dictionaries(NAMES, VALUES), st.none()),
})
HELM_VALUES = st.fixed_dictionaries({
    "replicaCount": SCALARS,
    "ollama": st.one_of(st.fixed_dictionaries({"enabled": st.booleans()}), TREES),
    "extraEnvVars": st.one_of(st.lists(ENV_ITEM, max_size=4), st.dictionaries(NAMES, SCALARS, max_size=4), TREES),
    "commonEnvVars": st.one_of(st.lists(ENV_ITEM, max_size=2), TREES),
})
EXPORT = st.one_of(
    st.dictionaries(st.sampled_from(["auth.jwt_expiry", "ui.enable_signup", "version", "auth"]), TREES, max_size=4),
    st.fixed_dictionaries({"auth": st.fixed_dictionaries({"jwt_expiry": SCALARS})}),
)


def dumped(documents: list[object]) -> bytes:
    return yaml.safe_dump_all(documents, allow_unicode=True).encode("utf-8", "surrogatepass")


@seed(5)
@FUZZ
@given(st.lists(MANIFEST, min_size=1, max_size=4), st.integers(min_value=0, max_value=2000))
def test_arbitrary_kubernetes_manifests(documents: list[object], cut: int) -> None:
    text = dumped(documents)
    run({"manifests.yaml": text, "other.yaml": text[:cut]})


@seed(6)
@FUZZ
@given(HELM_VALUES, st.booleans())
def test_arbitrary_helm_values(values: object, with_chart: bool) -> None:
    files = {"values.yaml": dumped([values])}
    if with_chart:
        files["Chart.yaml"] = b"apiVersion: v2\nname: open-webui\nversion: 1.0.0\n"
    run(files)


@seed(7)
@FUZZ
@given(EXPORT, st.integers(min_value=0, max_value=200), st.binary(max_size=6))
def test_arbitrary_exported_config(tree: object, cut: int, junk: bytes) -> None:
    text = json.dumps(tree, default=str, allow_nan=True).encode("utf-8", "surrogatepass")
    run({"config-export.json": text, "config-broken.json": text[:cut] + junk + text[cut:]})


@seed(8)
@FUZZ
@given(st.sampled_from(["per-key", "blob"]), st.lists(SCALARS, max_size=3), st.binary(max_size=64))
def test_arbitrary_sqlite_databases(layout: str, values: list[object], junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory, "webui.db")
        connection = sqlite3.connect(database)
        if layout == "per-key":
            connection.execute("CREATE TABLE config (key TEXT PRIMARY KEY, value JSON, updated_at BIGINT)")
            for index, value in enumerate(values):
                connection.execute("INSERT INTO config VALUES (?, ?, 1)",
                                   ("auth.jwt_expiry" if index == 0 else f"k{index}", json.dumps(value, default=str)))
        else:
            connection.execute("CREATE TABLE config (id INTEGER PRIMARY KEY, data JSON, version INTEGER)")
            for index, value in enumerate(values):
                connection.execute("INSERT INTO config VALUES (?, ?, 0)",
                                   (index, json.dumps({"auth": {"jwt_expiry": value}}, default=str)))
        connection.commit()
        connection.close()
        data = database.read_bytes()
    run({"webui.db": data, "corrupt.db": data[:100] + junk + data[100 + len(junk):]})


# Keys and passwords as generators make them: `$`, quotes, backslashes and braces inside.
KEY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789$\"'\\{}"
_LETTERS = st.text(alphabet="abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ", min_size=8, max_size=16)
# Each holds a `$` (or `${`, unterminated or not) followed by what compose takes for a variable name.
KEYS = st.builds(lambda head, dollar, name, tail: f"{head}{dollar}{name}{tail}",
                 st.text(alphabet=KEY_ALPHABET, min_size=4, max_size=12).filter(lambda head: head[0] not in "\"'"),
                 st.sampled_from(["$", "${", "$$", "\\$"]), _LETTERS, st.text(alphabet=KEY_ALPHABET, max_size=12))
WINDOW = 8


def _env_value(key: str, style: str) -> str:
    if style == "double":
        return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "single" and "'" not in key:
        return f"'{key}'"
    return key


@seed(9)
@settings(max_examples=min(EXAMPLES, 60), deadline=None, derandomize=EXAMPLES <= 1000, database=None,
          suppress_health_check=list(HealthCheck))
@given(KEYS, KEYS, st.sampled_from(["plain", "single", "double"]), st.sampled_from(["text", "json", "github"]))
def test_keys_and_passwords_with_dollars_and_quotes_are_never_quoted(key: str, password: str, style: str,
                                                                       fmt: str) -> None:
    """No run quotes any stretch of a key or a database password written with `$`, quotes or `\\`."""
    import contextlib
    import io

    from validator import cli

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / ".env").write_text(
            f"WEBUI_URL=https://a\nWEBUI_SECRET_KEY={_env_value(key, style)}\nJWT_EXPIRES_IN=4w\n"
            f"DATABASE_URL={_env_value('postgresql://webui:' + password + '@db/webui', style)}\n", "utf-8")
        (root / "compose").mkdir()
        (root / "compose" / "compose.yaml").write_text(
            "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
            f"      WEBUI_SECRET_KEY: '{key.replace(chr(39), chr(39) * 2)}'\n      JWT_EXPIRES_IN: 4w\n", "utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["check", str(root), "--format", fmt, "--fail-on", "info", "--verbose"])
    assert status in (0, 1), err.getvalue()
    shown = out.getvalue() + err.getvalue()
    for secret in (key, password):
        for start in range(len(secret) - WINDOW + 1):
            window = secret[start:start + WINDOW]
            assert window not in shown, (window, shown)
