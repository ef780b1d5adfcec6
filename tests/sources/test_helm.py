"""Helm values of the open-webui chart through the whole check: detection, list and map style
extraEnvVars rendered as the chart does, commonEnvVars, extraEnvFrom, replicas, overrides."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from validator import engine
from validator.findings import Finding, Severity
from validator.sources import goyaml
from validator.sources.files import Workspace
from validator.sources.load import load
from validator.sources.yamlfile import load_documents

STRONG = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"


def check(root: Path, files: dict[str, str], *paths: str) -> list[Finding]:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dedent(text))
    return engine.check([str(root / path) for path in (paths or (".",))]).findings


def where(root: Path, finding: Finding) -> tuple[str, str, int, int]:
    return (finding.code, os.path.relpath(finding.location.path, root), finding.location.line, finding.location.column)


# --- detection --------------------------------------------------------------------------------


def test_replicas_without_key_is_an_error_at_replica_count(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        ollama:
          enabled: false
        replicaCount: 3
        """})
    assert [where(tmp_path, f) for f in found] == [("OW205", "values.yaml", 3, 15)]
    assert found[0].severity is Severity.ERROR
    assert found[0].message.startswith(
        f"open-webui chart release with values {tmp_path}/values.yaml has no WEBUI_SECRET_KEY: the official image's "
        "start.sh generates a new key in each container")
    assert "with 3 replicas each has its own key" in found[0].message


def test_autoscaling_max_replicas_counts(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        pipelines: {enabled: false}
        autoscaling:
          enabled: true
          maxReplicas: 5
        """})
    assert [(f.code, f.severity) for f in found] == [("OW205", Severity.ERROR)]
    assert "with 5 replicas" in found[0].message
    assert where(tmp_path, found[0]) == ("OW205", "values.yaml", 1, 1)


@pytest.mark.parametrize("name, text", [
    ("values.yaml", "replicaCount: 3\nimage: {repository: bitnami/redis}\n"),    # another chart
    ("values.yaml", "replicaCount: 3\nollama: {gpu: {enabled: true}}\nimage: {repository: ollama/ollama}\n"),
    ("values.yaml", "replicaCount: 3\nextraEnvVars: [{name: JWT_EXPIRES_IN, value: '3600'}]\n"),  # nothing of ours
    ("settings.yaml", "replicaCount: 3\nollama: {enabled: false}\n"),  # not a values file name
])
def test_values_of_other_charts_are_left_alone(tmp_path: Path, name: str, text: str) -> None:
    assert check(tmp_path, {name: text}) == []


def test_values_beside_the_chart_itself_and_beside_an_umbrella_chart(tmp_path: Path) -> None:
    files = {
        "open-webui/Chart.yaml": "apiVersion: v2\nname: open-webui\nversion: 10.2.0\nhome: https://www.openwebui.com/\n",
        "open-webui/values.yaml": "replicaCount: 2\n",
        "platform/Chart.yaml": dedent("""\
            apiVersion: v2
            name: platform
            version: 1.0.0
            dependencies:
              - {name: open-webui, version: ">=6", repository: "https://helm.openwebui.com", alias: chat}
            """),
        "platform/values.yaml": dedent("""\
            replicaCount: 4   # the umbrella's own, not Open WebUI's
            chat:
              replicaCount: 1
              extraEnvVars:
                - name: JWT_EXPIRES_IN
                  value: 1mo
            """),
        "other/Chart.yaml": "apiVersion: v2\nname: other\nversion: 1.0.0\n",
        "other/values.yaml": "replicaCount: 3\nollama: {enabled: false}\n",
    }
    found = check(tmp_path, files)
    assert [where(tmp_path, f) for f in found] == [
        ("OW205", "open-webui/values.yaml", 1, 15),
        ("OW205", "platform/values.yaml", 3, 17),
        ("OW102", "platform/values.yaml", 6, 14),
        ("OW108", "platform/values.yaml", 6, 14),
    ]
    assert found[0].severity is Severity.ERROR and found[1].severity is Severity.WARNING


# --- extraEnvVars, commonEnvVars, extraEnvFrom -------------------------------------------------


def test_list_style_literal_key_recommends_a_secret(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": f"""\
        replicaCount: 2
        extraEnvVars:
          - name: WEBUI_SECRET_KEY
            value: "{STRONG}"
          - name: JWT_EXPIRES_IN
            value: "3600"
        """})
    assert [where(tmp_path, f) for f in found] == [
        ("OW207", "values.yaml", 4, 13), ("OW101", "values.yaml", 6, 13), ("OW108", "values.yaml", 6, 13)]
    assert found[0].message == (
        f"WEBUI_SECRET_KEY is written literally in {tmp_path}/values.yaml, which is committed, and the chart copies it "
        "into the pod spec, which is readable by anyone who may read the namespace: put the key in a Secret and "
        "reference it from extraEnvVars with `valueFrom.secretKeyRef`")
    assert STRONG not in " ".join(f.message for f in found)


def test_map_style_is_rendered_as_the_chart_renders_it(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        ollama: {enabled: false}
        extraEnvVars:
          WEBUI_SECRET_KEY:
            valueFrom:
              secretKeyRef: {name: open-webui, key: key}
          JWT_EXPIRES_IN: 2419200
          ENABLE_PERSISTENT_CONFIG: off
        """, "secret.yaml": f"""\
        apiVersion: v1
        kind: Secret
        metadata: {{name: open-webui}}
        data:
          key: {base64.b64encode(b"changeme").decode()}
        """})
    # `off` becomes "false" (so no OW108), 2419200 becomes 2.4192e+06, the key comes from the Secret.
    assert [where(tmp_path, f) for f in found] == [("OW201", "secret.yaml", 5, 8), ("OW101", "values.yaml", 6, 19)]
    assert found[0].message.endswith(f"[used by open-webui chart release with values {tmp_path}/values.yaml]")
    assert found[1].message.startswith("JWT_EXPIRES_IN='2.4192e+06' is rejected by Open WebUI")


def test_common_env_vars_come_after_extra_env_vars(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        pipelines: {enabled: false}
        extraEnvVars:
          JWT_EXPIRES_IN: 1mo
          ENABLE_PERSISTENT_CONFIG: "False"
          WEBUI_SECRET_KEY: {valueFrom: {secretKeyRef: {name: missing, key: key}}}
        commonEnvVars:
          - name: JWT_EXPIRES_IN
            value: 4w
        """})
    assert [where(tmp_path, f) for f in found] == [("OW209", "values.yaml", 5, 55), ("OW002", "values.yaml", 7, 11)]
    assert found[1].message == ("JWT_EXPIRES_IN is set again for the chart's open-webui container (extraEnvVars, then "
                                "commonEnvVars), first at line 3: Kubernetes keeps the last one, at line 7")


def test_extra_env_from_a_secret_manifest(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        replicaCount: 2
        ollama: {enabled: false}
        extraEnvFrom:
          - secretRef:
              name: open-webui-env
        """, "secret.yaml": """\
        apiVersion: v1
        kind: Secret
        metadata:
          name: open-webui-env
          namespace: chat
        stringData:
          WEBUI_SECRET_KEY: t0p-s3cr3t
        """})
    # The release namespace is chosen at install time: a Secret of that name in any namespace.
    assert [where(tmp_path, f) for f in found] == [("OW201", "secret.yaml", 7, 21)]


def test_templates_in_values_are_ow209(tmp_path: Path) -> None:
    found = check(tmp_path, {"values.yaml": """\
        replicaCount: 3
        ollama: {enabled: false}
        extraEnvVars:
          WEBUI_SECRET_KEY: {{ .Values.global.secretKey }}
          JWT_EXPIRES_IN: "{{ .Values.ttl }}"
        """})
    assert [where(tmp_path, f) for f in found] == [("OW209", "values.yaml", 4, 21), ("OW209", "values.yaml", 5, 20)]
    assert all("template expression ({{ ... }})" in f.message for f in found)


def test_override_is_layered_on_values_yaml(tmp_path: Path) -> None:
    files = {
        "values.yaml": """\
            ollama: {enabled: false}
            replicaCount: 1
            extraEnvVars:
              JWT_EXPIRES_IN: 1mo
              WEBUI_SECRET_KEY: {valueFrom: {secretKeyRef: {name: webui, key: key}}}
            """,
        "values-prod.yaml": """\
            replicaCount: 3
            extraEnvVars:
              WEBUI_SECRET_KEY: null
            """,
        "values-dev.yaml": """\
            extraEnvVars:
              - name: JWT_EXPIRES_IN
                value: 4w
            """,
    }
    found = check(tmp_path, files)
    # prod: maps merge, so 1mo stays; null renders as an empty key, which the official image replaces
    # with a generated one per pod (3 of them). dev: a list replaces the map. values.yaml alone: no release.
    assert [where(tmp_path, f) for f in found] == [
        ("OW205", "values-dev.yaml", 1, 1),
        ("OW108", "values-dev.yaml", 3, 12),
        ("OW205", "values-prod.yaml", 3, 21),
        ("OW102", "values.yaml", 4, 19),
        ("OW108", "values.yaml", 4, 19),
    ]
    assert [f.severity for f in found if f.code == "OW205"] == [Severity.WARNING, Severity.ERROR]
    assert found[2].message.startswith("WEBUI_SECRET_KEY is empty") and "with 3 replicas" in found[2].message
    assert found[3].message.endswith(
        f"[used by open-webui chart release with values {tmp_path}/values.yaml and {tmp_path}/values-prod.yaml]")
    # Checking only the override reads its base too.
    assert [where(tmp_path, f) for f in check(tmp_path, {}, "values-prod.yaml")] == [
        ("OW205", "values-prod.yaml", 3, 21), ("OW102", "values.yaml", 4, 19), ("OW108", "values.yaml", 4, 19)]


def test_values_yaml_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicaCount: 2\nollama: {enabled: false}\n")
    (tmp_path / "values-prod.yaml").write_text("replicaCount: 3\n")
    ws = Workspace()
    calls: list[str] = []
    original = ws.parsed

    def counting(kind, path, parse):  # type: ignore[no-untyped-def]
        calls.append(path)
        return original(kind, path, parse)

    ws.parsed = counting  # type: ignore[method-assign]
    load(ws, str(tmp_path / "values.yaml"))
    load(ws, str(tmp_path / "values-prod.yaml"))
    assert len(ws._parsed) == 2 and set(calls) == {str(tmp_path / "values.yaml"), str(tmp_path / "values-prod.yaml")}


# --- how Helm holds and prints values ----------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    (3600.0, "3600"), (999999.0, "999999"), (1e6, "1e+06"), (2419200.0, "2.4192e+06"), (1.5, "1.5"),
    (0.0001, "0.0001"), (0.00001, "1e-05"), (0.0, "0"), (-5.0, "-5"), (1.234567890123457e+34, "1.234567890123457e+34"),
])
def test_go_float_is_gos_v_verb(value: float, shown: str) -> None:
    assert goyaml.go_float(value) == shown


@pytest.mark.parametrize("text, shown", [
    ("3600", "3600"), ("1000000", "1e+06"), ("1_000", "1000"), ("0x10", "16"), ("0755", "493"), ("1e3", "1000"),
    ("yes", "true"), ("Off", "false"), ("~", ""), ("null", ""), ("'3600'", "3600"), ('"yes"', "yes"),
    ("4w", "4w"), ("1:30", "1:30"), ("12345678901234567890", "1.2345678901234567e+19"),
])
def test_quote_renders_plain_scalars_as_helm_does(text: str, shown: str) -> None:
    (root,) = load_documents(f"v: {text}\n", "values.yaml")
    node = root.value[0][1]
    assert isinstance(node, yaml.ScalarNode)
    assert goyaml.quoted(node) == shown
